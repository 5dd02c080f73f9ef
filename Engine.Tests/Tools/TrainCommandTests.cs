using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Metrics;
using FashionCore.Models.Linear;
using FashionCore.Persistence;
using FashionCore.Selection;

namespace FashionCore.Tests.Tools;

/// <summary>
/// <c>fashion train</c> against the engine called directly with the same estimators on the same rows: the tool adds
/// nothing numerical, so accuracies, iterations, report text and confusion matrix must be identical.
/// </summary>
[Category("Dataset")]
public class TrainCommandTests
{
    private const int Rows = 3000;

    [Test]
    public void Train_HogJsonWithModel_EqualsEngineAndSavedModelPredictsTheSame()
    {
        string model = Path.Combine(Path.GetTempPath(), $"fashioncore-train-{Guid.NewGuid():N}.fcm");
        try
        {
            JsonElement json = ToolJson.Run("train", "--features", "hog", "--range", $"0:{Rows}", "--max-iter", "30", "--C", "10", "--model", model);

            var pipeline = new Pipeline(
                [new("hog", new Hog(new HogOptions { Orientations = 8 }))],
                "logreg",
                new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 30, C = 10, RandomState = 0 }));
            Expected expected = Fit(pipeline);
            AssertMatches(json, expected, "hog", "none", 72);

            var loaded = ModelFile.Load<PipelineModel>(model);
            int[] predicted = new int[expected.TestPredicted.Length];
            loaded.Predict(Test().Span, predicted);
            Assert.That(predicted, Is.EqualTo(expected.TestPredicted));
            Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(Path.GetFullPath(model)));
        }
        finally
        {
            File.Delete(model);
        }
    }

    [Test]
    public void Train_PixelsDefaultsAndNotConverged_EqualsX255SagaAndWarnsOnStderr()
    {
        (int code, string stdout, string stderr) = ToolRunner.Run(
            "train", "--range", $"0:{Rows}", "--max-iter", "3", "--json", "--no-download", "--data", TestData.FashionMnist.Directory);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stderr, Does.StartWith("fashion: warning: logistic regression did not converge in --max-iter=3"));
        using JsonDocument document = JsonDocument.Parse(stdout);
        var pipeline = new Pipeline(
            [new("scale", new PixelScaler())], "logreg", new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 3, RandomState = 0 }));
        AssertMatches(document.RootElement, Fit(pipeline), "pixels", "x255", 784);
        Assert.That(document.RootElement.GetProperty("converged").GetBoolean(), Is.False);
    }

    [Test]
    public void Train_ShuffledSampleOrder_EqualsEngineFitWithShuffledEpochs()
    {
        JsonElement json = ToolJson.Run("train", "--range", $"0:{Rows}", "--max-iter", "3", "--sample-order", "shuffled");

        var options = new LogisticRegressionOptions { MaxIterations = 3, RandomState = 0, SampleOrder = LogisticRegressionSampleOrder.Shuffled };
        Expected shuffled = Fit(new Pipeline([new("scale", new PixelScaler())], "logreg", new LogisticRegression(options)));
        AssertMatches(json, shuffled, "pixels", "x255", 784);
        Expected drawn = Fit(new Pipeline([new("scale", new PixelScaler())], "logreg", new LogisticRegression(options with { SampleOrder = LogisticRegressionSampleOrder.WithReplacement })));
        Assert.That(shuffled.Report, Is.Not.EqualTo(drawn.Report), "the two orders give different models, so the option reached the fit");
    }

    [Test]
    public void Train_PcaHogWithModel_EqualsStandardizedPcaNextToRawHogAndRoundTrips()
    {
        string model = Path.Combine(Path.GetTempPath(), $"fashioncore-train-{Guid.NewGuid():N}.fcm");
        try
        {
            JsonElement json = ToolJson.Run("train", "--features", "pca+hog", "--range", $"0:{Rows}", "--max-iter", "20", "--components", "10", "--model", model);

            // The study's mix: PCA of the standardized pixels next to HOG of the raw pixels, computed here by hand.
            ReadOnlyMemory2D<float> train = Train();
            StandardScalerModel scaler = new StandardScaler().Fit(train);
            float[] z = new float[train.Height * train.Width];
            scaler.Transform(train.Span, new Span2D<float>(z, train.Height, train.Width));
            PcaModel pca = new Pca(new PcaOptions { Components = 10 }).Fit(new ReadOnlyMemory2D<float>(z, train.Height, train.Width));
            var hog = new HogModel(new HogOptions { Orientations = 8 });
            float[] Mix(ReadOnlyMemory2D<float> x)
            {
                float[] scaled = new float[x.Height * x.Width];
                scaler.Transform(x.Span, new Span2D<float>(scaled, x.Height, x.Width));
                float[] mix = new float[x.Height * 82];
                pca.Transform(new ReadOnlySpan2D<float>(scaled, x.Height, x.Width), new Span2D<float>(mix, 0, x.Height, 10, 72));
                hog.Transform(x.Span, new Span2D<float>(mix, 10, x.Height, 72, 10));
                return mix;
            }

            LogisticRegressionModel logReg = new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 20, RandomState = 0 })
                .Fit(new ReadOnlyMemory2D<float>(Mix(train), Rows, 82), Labels(TestData.FashionMnist.Train, Rows));
            int[] testLabels = Labels(TestData.FashionMnist.Test, 10000);
            int[] predicted = new int[testLabels.Length];
            logReg.Predict(new ReadOnlySpan2D<float>(Mix(Test()), testLabels.Length, 82), predicted);

            Assert.That(json.GetProperty("feature_count").GetInt32(), Is.EqualTo(82));
            Assert.That(json.GetProperty("test_accuracy").GetDouble(), Is.EqualTo(Accuracy.Score(testLabels, predicted)));
            Assert.That(json.GetProperty("n_iter").GetInt32(), Is.EqualTo(logReg.Iterations[0]));

            var loaded = ModelFile.Load<PipelineModel>(model);
            int[] reloaded = new int[testLabels.Length];
            loaded.Predict(Test().Span, reloaded);
            Assert.That(reloaded, Is.EqualTo(predicted));
        }
        finally
        {
            File.Delete(model);
        }
    }

    private static void AssertMatches(JsonElement json, Expected expected, string features, string scale, int featureCount)
    {
        Assert.That(json.GetProperty("features").GetString(), Is.EqualTo(features));
        Assert.That(json.GetProperty("scale").GetString(), Is.EqualTo(scale));
        Assert.That(json.GetProperty("train_rows").GetInt32(), Is.EqualTo(Rows));
        Assert.That(json.GetProperty("test_rows").GetInt32(), Is.EqualTo(10000));
        Assert.That(json.GetProperty("feature_count").GetInt32(), Is.EqualTo(featureCount));
        Assert.That(json.GetProperty("train_accuracy").GetDouble(), Is.EqualTo(expected.TrainAccuracy));
        Assert.That(json.GetProperty("test_accuracy").GetDouble(), Is.EqualTo(expected.TestAccuracy));
        Assert.That(json.GetProperty("n_iter").GetInt32(), Is.EqualTo(expected.Model.Iterations[0]));
        Assert.That(json.GetProperty("converged").GetBoolean(), Is.EqualTo(expected.Model.Converged));
        Assert.That(json.GetProperty("fit_seconds").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.GetProperty("report").GetString(), Is.EqualTo(expected.Report));
        long[][] confusion = [.. json.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray())];
        Assert.That(confusion.SelectMany(r => r), Is.EqualTo(expected.Confusion.Counts.ToArray()));
        Assert.That(confusion.Sum(r => r.Sum()), Is.EqualTo(10000));
    }

    private static Expected Fit(Pipeline pipeline)
    {
        int[] yTrain = Labels(TestData.FashionMnist.Train, Rows);
        int[] yTest = Labels(TestData.FashionMnist.Test, 10000);
        PipelineModel model = pipeline.Fit(Train(), yTrain);
        int[] trainPredicted = new int[Rows];
        int[] testPredicted = new int[yTest.Length];
        model.Predict(Train().Span, trainPredicted);
        model.Predict(Test().Span, testPredicted);
        return new Expected(
            (LogisticRegressionModel)model.Classifier,
            Accuracy.Score(yTrain, trainPredicted),
            Accuracy.Score(yTest, testPredicted),
            testPredicted,
            ClassificationReport.Compute(yTest, testPredicted).ToText(),
            ConfusionMatrix.Compute(yTest, testPredicted));
    }

    internal static ReadOnlyMemory2D<float> Train(int rows = Rows) => new(TestData.FashionMnist.Train.Slice(0, rows).ToFloatPixels(), rows, 784);

    internal static ReadOnlyMemory2D<float> Test() => new(TestData.FashionMnist.Test.ToFloatPixels(), 10000, 784);

    internal static int[] Labels(Dataset split, int rows) => split.Slice(0, rows).GetLabelsInt32();

    private sealed record Expected(
        LogisticRegressionModel Model, double TrainAccuracy, double TestAccuracy, int[] TestPredicted, string Report, ConfusionMatrix Confusion);
}
