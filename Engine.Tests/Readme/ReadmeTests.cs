using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Features.Scaling;
using FashionCore.Metrics;
using FashionCore.Models.Linear;
using FashionCore.Persistence;
using FashionCore.Selection;

namespace FashionCore.Tests.Readme;

/// <summary>
/// The README's C# snippets are copies of the regions below: each test runs its region, and checks that the README
/// contains it verbatim, so the documentation cannot go stale.
/// </summary>
public class ReadmeTests
{
    [Test]
    [Category("Dataset")]
    public void DataSnippet_RunsAndIsInReadme()
    {
        RequireDataWithoutDownload();

        // README:data
        FashionMnistData data = FashionMnist.Load();            // or FashionMnist.Load("/path/to/dir")
        Dataset train = data.Train;                             // train.Images: ReadOnlyMemory2D<byte>, 60000×784
        byte label = train.Labels.Span[0];                      // 9 = "Ankle boot"
        string name = train.ClassNames[label];
        // README:end

        Assert.That(label, Is.EqualTo(9));
        Assert.That(name, Is.EqualTo("Ankle boot"));
        Assert.That(train.Images.Height, Is.EqualTo(60000));
        AssertReadmeContains("data");
    }

    [Test]
    [Category("Dataset")]
    public void QuickStartSnippet_RunsAndIsInReadme()
    {
        RequireDataWithoutDownload();
        string directory = Directory.CreateTempSubdirectory("fashioncore-readme-").FullName;
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = directory;
        try
        {
            // README:quickstart
            FashionMnistData data = FashionMnist.Load();
            var trainX = new ReadOnlyMemory2D<float>(data.Train.ToFloatPixels(), data.Train.Count, data.Train.PixelCount);
            var testX = new ReadOnlyMemory2D<float>(data.Test.ToFloatPixels(), data.Test.Count, data.Test.PixelCount);
            int[] trainY = data.Train.GetLabelsInt32(), testY = data.Test.GetLabelsInt32();

            // HOG of the raw pixels (the study's 8 orientations: 72 features), then logistic regression (SAGA).
            var pipeline = new Pipeline(
                [new("hog", new Hog(new HogOptions { Orientations = 8 }))],
                "logreg",
                new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 100, RandomState = 0 }));
            PipelineModel model = pipeline.Fit(trainX, trainY);

            int[] predicted = new int[testY.Length];
            model.Predict(testX.Span, predicted);
            double accuracy = Accuracy.Score(testY, predicted);       // 0.8105, as scikit-learn (the study: 0.8144)
            Console.WriteLine(ClassificationReport.Compute(testY, predicted).ToText());

            ModelFile.Save("hog-logreg.model", model);                // atomic write, checksummed
            var loaded = ModelFile.Load<PipelineModel>("hog-logreg.model");
            float[] probabilities = new float[10];                    // one row per image, one column per class
            loaded.PredictProbabilities(testX.Span.Slice(0, 0, 1, 784), new Span2D<float>(probabilities, 1, 10));
            string name = data.Test.ClassNames[loaded.Classes[Array.IndexOf(probabilities, probabilities.Max())]];
            // README:end

            // scikit-learn 1.2.1 on the same rows (hog(orientations=8) → LogisticRegression(solver='saga', random_state=0),
            // shared/peer/seed_pipeline_sklearn.py hog) gives test accuracy 0.8105 too: 8105 of 10 000, exactly.
            Assert.That(accuracy, Is.EqualTo(0.8105));
            Assert.That(name, Is.EqualTo("Ankle boot"));
            Assert.That(probabilities.Sum(), Is.EqualTo(1).Within(1e-5));
            AssertReadmeContains("quickstart");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void ParallelismSnippet_RunsEveryLoopOnTheLimitAndIsInReadme()
    {
        var random = new Random(3);
        int[] trainY = [.. Enumerable.Range(0, 900).Select(i => i % 3)];
        float[] rows = [.. Enumerable.Range(0, 900 * 100).Select(i => (float)(random.NextDouble() + (trainY[i / 100] == i % 3 ? 1 : 0)))];
        var trainX = new ReadOnlyMemory2D<float>(rows, 900, 100);
        var pipeline = new Pipeline(
            [new("scale", new StandardScaler())],
            "logreg",
            new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Lbfgs, MultiClass = LogisticRegressionMultiClass.Ovr, MaxIterations = 20 }));
        List<int> levels = [];
        FashionCore.Internals.EngineParallel.Started = s =>
        {
            lock (levels)
            {
                levels.Add(s.MaximumConcurrencyLevel);
            }
        };
        PipelineModel limited;
        try
        {
            // README:parallelism
            var limit = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 2);
            PipelineModel fitted = Task.Factory.StartNew(() => pipeline.Fit(trainX, trainY),
                CancellationToken.None, TaskCreationOptions.DenyChildAttach, limit.ConcurrentScheduler).GetAwaiter().GetResult();
            // README:end
            limited = fitted;
        }
        finally
        {
            FashionCore.Internals.EngineParallel.Started = null;
        }

        PipelineModel free = pipeline.Fit(trainX, trainY);
        Assert.That(levels, Is.Not.Empty.And.All.EqualTo(2), "the scaler's and the objective's loops ran on the limit");
        Assert.That(((LogisticRegressionModel)limited.Classifier).Coefficients.ToArray(), Is.EqualTo(((LogisticRegressionModel)free.Classifier).Coefficients.ToArray()));
        AssertReadmeContains("parallelism");
    }

    // The snippets call FashionMnist.Load() as a user would, which downloads when nothing is found. The same search
    // with downloads off runs first, so a machine without the data fails here with the locator's message instead.
    private static void RequireDataWithoutDownload() => _ = TestData.FashionMnist;

    private static void AssertReadmeContains(string region)
    {
        string directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "Readme");
        string source = File.ReadAllText(Path.Combine(directory, "ReadmeTests.cs.txt"));
        int start = source.IndexOf($"// README:{region}\n", StringComparison.Ordinal);
        int end = source.IndexOf("// README:end", start, StringComparison.Ordinal);
        string[] lines = source[(start + $"// README:{region}\n".Length)..end].Split('\n');
        // Dedent by the snippet's indentation inside the method (that of its first line).
        int indent = lines[0].Length - lines[0].TrimStart().Length;
        string snippet = string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();
        string readme = File.ReadAllText(Path.Combine(directory, "README.md"));
        Assert.That(readme, Does.Contain(snippet), $"README.md must contain the '{region}' snippet verbatim");
    }
}
