using System.Diagnostics;
using System.Globalization;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Metrics;
using FashionCore.Models.Clustering;
using FashionCore.Models.Linear;
using FashionCore.Numerics;
using FashionCore.Selection;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Report;

/// <summary>
/// Runs every experiment of the Fashion-MNIST study on the engine, with the study's fixed configuration: features
/// (pixels/255, HOG o=8, StandardScaler → PCA-40), logistic regression on each (saga; max_iter 3 / 100 / 100 / 300),
/// cross-validation, the two grid searches, the k-means elbow on the 5-class subset and its PCA-3 view.
/// </summary>
/// <remarks>
/// Shared features are computed once: HOG for all 70 000 images, the standardization, PCA-40. Like the study, the HOG,
/// PCA and PCA+HOG cross-validations run on the precomputed feature matrices (PCA fitted on all train rows).
/// </remarks>
public sealed class StudyRunner
{
    /// <summary>Train labels the k-means subset keeps (the study's 5-class subset).</summary>
    public const int SubsetMaxLabel = 4;

    private static readonly int[] s_headColumns = [.. Enumerable.Range(0, 10), .. Enumerable.Range(62, 10)];
    private static readonly int[] s_pcaHeadColumns = [.. Enumerable.Range(0, 10), .. Enumerable.Range(30, 10)];

    private readonly ReportOptions _options;
    private readonly IReportProgress? _progress;
    private readonly List<StageTime> _stages = [];

    /// <summary>Creates the runner.</summary>
    /// <param name="options">Seed, threads, data and output directories.</param>
    /// <param name="progress">Receives stage progress; null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public StudyRunner(ReportOptions options, IReportProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _progress = progress;
    }

    /// <summary>Runs the study.</summary>
    /// <param name="cancellationToken">Stops between fits.</param>
    /// <returns>Every number, and what the plots and the model file need.</returns>
    public (StudyResult Result, StudyArtifacts Artifacts) Run(CancellationToken cancellationToken = default)
    {
        int threads = _options.Threads;
        uint seed = (uint)_options.Seed;
        var cv = new Func<int, CrossValidationOptions>(k => new CrossValidationOptions { Splitter = new StratifiedKFold(k), MaxDegreeOfParallelism = threads, Refit = false });

        FashionMnistData data = Stage("load", 1, _ => FashionMnist.Load(_options.DataDirectory, new FashionMnistLocatorOptions { AllowDownload = _options.AllowDownload }));
        Dataset train = data.Train, test = data.Test;
        int n = train.Count, nTest = test.Count, d = train.PixelCount;
        int[] yTrain = train.GetLabelsInt32(), yTest = test.GetLabelsInt32();

        float[] trainPixels = [], testPixels = [];
        float[] trainHog = [], testHog = [];
        float[] trainZ = [], trainPca = [], testPca = [];
        PcaModel? pca40 = null;
        int hogWidth = 0;
        Stage("features", 4, p =>
        {
            trainPixels = train.ToFloatPixels();
            testPixels = test.ToFloatPixels();
            var hog = new HogModel(new HogOptions { Orientations = 8 });
            hogWidth = hog.OutputFeatureCount;
            trainHog = FreshArray.Allocate<float>(n * hogWidth);
            testHog = FreshArray.Allocate<float>(nTest * hogWidth);
            hog.Transform(train.Images.Span, new Span2D<float>(trainHog, n, hogWidth), threads);
            hog.Transform(test.Images.Span, new Span2D<float>(testHog, nTest, hogWidth), threads);
            p(1);
            var xTrain = new ReadOnlyMemory2D<float>(trainPixels, n, d);
            StandardScalerModel scaler = new StandardScaler().Fit(xTrain);
            trainZ = FreshArray.Allocate<float>(n * d);
            float[] testZ = FreshArray.Allocate<float>(nTest * d);
            scaler.Transform(xTrain.Span, new Span2D<float>(trainZ, n, d));
            scaler.Transform(new ReadOnlySpan2D<float>(testPixels, nTest, d), new Span2D<float>(testZ, nTest, d));
            p(2);
            pca40 = new Pca(new PcaOptions { Components = 40, MaxDegreeOfParallelism = threads }).FitStandardized(xTrain, scaler, cancellationToken);
            p(3);
            trainPca = new float[n * 40];
            testPca = new float[nTest * 40];
            pca40.Transform(new ReadOnlySpan2D<float>(trainZ, n, d), new Span2D<float>(trainPca, n, 40));
            pca40.Transform(new ReadOnlySpan2D<float>(testZ, nTest, d), new Span2D<float>(testPca, nTest, 40));
            return 0;
        });

        FeatureHeads heads = Heads(train, trainPixels, trainHog, hogWidth, trainPca);
        HeadMatch[] matches = MatchStudyHeads([(yTrain, trainHog, trainPca), (yTest, testHog, testPca)], hogWidth);

        // Pixels: the study's final model, fitted through a pipeline so the saved file takes raw 0..255 pixels.
        var pixelPipeline = new Pipeline(
            [new TransformStep("pixels", new PixelScaler())],
            "logreg",
            new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 3, RandomState = seed }));
        PipelineModel finalModel = null!;
        ClassifierResult pixels = Stage("lr_pixels", 6, p =>
        {
            var xTrain = new ReadOnlyMemory2D<float>(trainPixels, n, d);
            (finalModel, double fit, CrossValidationResult folds) = FitAlongsideCv(pixelPipeline, xTrain, yTrain, cv(5), p, cancellationToken);
            var logreg = (LogisticRegressionModel)finalModel.Classifier;
            return Score("pixels", "pixels/255, saga max_iter=3", finalModel, logreg, fit, xTrain, new ReadOnlyMemory2D<float>(testPixels, nTest, d), yTrain, yTest, folds);
        });

        GridResult solverGrid = Stage("grid_solver", 18, p => RunGrid(
            "solver_grid", trainPixels, n, d, yTrain, new LogisticRegressionOptions { MaxIterations = 1, RandomState = seed }, "solver", ["saga", "newton-cg"], cv(3), p, cancellationToken));
        GridResult multiClassGrid = Stage("grid_multiclass", 18, p => RunGrid(
            "multiclass_grid", trainPixels, n, d, yTrain, new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 1, RandomState = seed }, "multi_class", ["ovr", "multinomial"], cv(3), p, cancellationToken));

        List<GridResult> noise = [];
        int[] noiseSeeds = [.. Enumerable.Range(_options.Seed + 1, _options.NoiseSeeds)];
        if (noiseSeeds.Length > 0)
        {
            Stage("grid_noise", noiseSeeds.Length * 18, p =>
            {
                for (int s = 0; s < noiseSeeds.Length; s++)
                {
                    int offset = s * 18;
                    var options = new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 1, RandomState = (uint)noiseSeeds[s] };
                    noise.Add(RunGrid($"multiclass_grid_seed{noiseSeeds[s]}", trainPixels, n, d, yTrain, options, "multi_class", ["ovr", "multinomial"], cv(3), k => p(offset + k), cancellationToken));
                }

                return 0;
            });
        }

        ClassifierResult hogResult = Stage("lr_hog", 7, p => FitAndScore(
            "hog", "HOG (o=8, 72 features), saga max_iter=100", trainHog, testHog, hogWidth, yTrain, yTest, 100, seed, cv(6), p, cancellationToken));
        ClassifierResult pcaResult = Stage("lr_pca", 7, p => FitAndScore(
            "pca", "StandardScaler → PCA-40, saga max_iter=100", trainPca, testPca, 40, yTrain, yTest, 100, seed, cv(6), p, cancellationToken));
        int mixWidth = 40 + hogWidth;
        ClassifierResult mixResult = Stage("lr_pca_hog", 7, p => FitAndScore(
            "mix", "PCA-40 + HOG (112 features), saga max_iter=300", Concat(trainPca, trainHog, n, hogWidth), Concat(testPca, testHog, nTest, hogWidth), mixWidth, yTrain, yTest, 300, seed, cv(6), p, cancellationToken));

        // k-means on the standardized 5-class subset (scaler fitted on all 60 000 train rows, like the study's peer script).
        int[] subsetRows = [.. Enumerable.Range(0, n).Where(i => yTrain[i] <= SubsetMaxLabel)];
        float[] subset = RowSubset.Copy(new ReadOnlyMemory2D<float>(trainZ, n, d), subsetRows);

        var subsetX = new ReadOnlyMemory2D<float>(subset, subsetRows.Length, d);
        int[] ks = [.. Enumerable.Range(1, 10)];
        KMeansModel? five = null;
        ElbowResult elbow = Stage("kmeans_elbow", ks.Length, p =>
        {
            double[] inertia = new double[ks.Length], seconds = new double[ks.Length];
            int[] iterations = new int[ks.Length];

            // One shared setup for all k (the first k's time includes it).
            long start = Stopwatch.GetTimestamp();
            KMeansElbow.FitEach(subsetX, ks, new KMeansOptions { InitCount = 10, RandomState = seed }, (i, model) =>
            {
                long now = Stopwatch.GetTimestamp();
                seconds[i] = Stopwatch.GetElapsedTime(start, now).TotalSeconds;
                start = now;
                inertia[i] = model.Inertia;
                iterations[i] = model.Iterations;
                if (ks[i] == 5)
                {
                    five = model;
                }

                p(i + 1);
            }, cancellationToken);

            int knee = KMeansElbow.FindKnee([.. ks.Select(k => (double)k)], inertia);
            return new ElbowResult(subsetRows.Length, ks, inertia, iterations, knee, seconds);
        });

        int[] subsetLabels = [.. subsetRows.Select(i => yTrain[i])];
        float[] pca3 = new float[subsetRows.Length * 3];
        ClusterResult clusters = Stage("pca3_clusters", 1, _ =>
        {
            PcaModel model = new Pca(new PcaOptions { Components = 3, MaxDegreeOfParallelism = threads }).Fit(subsetX, cancellationToken);
            model.Transform(subsetX.Span, new Span2D<float>(pca3, subsetRows.Length, 3));
            ContingencyTable table = ContingencyTable.Compute(five!.Labels, subsetLabels);
            long[][] counts = [.. Enumerable.Range(0, table.RowLabels.Length).Select(r => table.Counts.GetRowSpan(r).ToArray())];
            return new ClusterResult(five.ClusterCount, ClusterSizes.Of(five), ClusterAgreement.AdjustedRandIndex(five.Labels, subsetLabels), counts, model.ExplainedVarianceRatio.ToArray());
        });

        const int ExampleIndex = 0;
        byte[] exampleImage = train.GetImage(ExampleIndex).ToArray();
        double[] picture = new double[d];
        new HogModel(new HogOptions { Orientations = 8 }).DrawHogImage(exampleImage, picture);

        var result = new StudyResult
        {
            Seed = _options.Seed,
            Threads = threads,
            DataDirectory = data.Directory,
            Pca40ExplainedVarianceRatio = pca40!.ExplainedVarianceRatio.ToArray(),
            Heads = heads,
            HeadMatches = matches,
            Classifiers = [pixels, hogResult, pcaResult, mixResult],
            Grids = [solverGrid, multiClassGrid],
            NoiseGrids = noise,
            NoiseSeeds = noiseSeeds,
            Elbow = elbow,
            Clusters = clusters,
            Stages = _stages,
        };
        return (result, new StudyArtifacts(finalModel, ExampleIndex, exampleImage, picture, pca3, [.. five!.Labels], subsetLabels));
    }

    /// <summary>Records a stage's time after the writer has run (the writer is the last stage).</summary>
    /// <param name="name">Stage name.</param>
    /// <param name="steps">Steps.</param>
    /// <param name="body">The work; receives a step reporter.</param>
    /// <typeparam name="T">Result type.</typeparam>
    /// <returns>The body's result.</returns>
    public T Stage<T>(string name, int steps, Func<Action<int>, T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _progress?.Start(name, steps);
        long start = Stopwatch.GetTimestamp();
        T value = body(done => _progress?.Report(name, done));
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        _stages.Add(new StageTime(name, seconds));
        _progress?.Finish(name, seconds);
        return value;
    }

    private static Progress Steps(Action<int> report, int offset) => new(p => report(offset + p.Completed));

    private static ClassifierResult FitAndScore(
        string name, string title, float[] train, float[] test, int width, int[] yTrain, int[] yTest, int maxIterations, uint seed,
        CrossValidationOptions cv, Action<int> progress, CancellationToken cancellationToken)
    {
        var estimator = new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = maxIterations, RandomState = seed });
        var xTrain = new ReadOnlyMemory2D<float>(train, yTrain.Length, width);
        var xTest = new ReadOnlyMemory2D<float>(test, yTest.Length, width);
        (LogisticRegressionModel model, double fit, CrossValidationResult folds) = FitAlongsideCv(estimator, xTrain, yTrain, cv, progress, cancellationToken);
        return Score(name, title, model, model, fit, xTrain, xTest, yTrain, yTest, folds);
    }

    // The full-data fit is serial (multinomial SAGA), so it runs alongside the cross-validation folds rather than before
    // them: with 2 cores the second core would otherwise idle during the fit. Results do not depend on the scheduling.
    // The fit is queued first, on the current scheduler (the --threads limit), and the folds run on this thread: when the
    // fit ends, its slot goes to the next fold worker — a Parallel.Invoke would keep a slot waiting on the folds instead.
    private static (TModel Model, double FitSeconds, CrossValidationResult Folds) FitAlongsideCv<TModel>(
        IClassifierEstimator<TModel> estimator, ReadOnlyMemory2D<float> x, int[] y, CrossValidationOptions cv, Action<int> progress, CancellationToken cancellationToken)
        where TModel : class, IClassifier
    {
        TModel model = null!;
        double fit = 0;
        int fitDone = 0, foldsDone = 0;
        void Report() => progress(Volatile.Read(ref fitDone) + Volatile.Read(ref foldsDone));
        Task fitting = Task.Factory.StartNew(
            () =>
            {
                long start = Stopwatch.GetTimestamp();
                model = estimator.Fit(x, y, cancellationToken);
                fit = Stopwatch.GetElapsedTime(start).TotalSeconds;
                Volatile.Write(ref fitDone, 1);
                Report();
            },
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Current);
        CrossValidationResult folds;
        try
        {
            folds = CrossValidation.Evaluate((IClassifierEstimator<IClassifier>)estimator, x, y, cv, new Progress(p =>
            {
                Volatile.Write(ref foldsDone, p.Completed);
                Report();
            }), cancellationToken);
        }
        catch
        {
            // Never leave the fit running behind the caller's back; the folds' exception is the one to report.
            ((IAsyncResult)fitting).AsyncWaitHandle.WaitOne();
            throw;
        }

        fitting.GetAwaiter().GetResult();
        return (model, fit, folds);
    }

    private static ClassifierResult Score(
        string name, string title, IClassifier classifier, LogisticRegressionModel logreg, double fitSeconds,
        ReadOnlyMemory2D<float> xTrain, ReadOnlyMemory2D<float> xTest, int[] yTrain, int[] yTest, CrossValidationResult folds)
    {
        int[] trainPred = new int[yTrain.Length], testPred = new int[yTest.Length];
        classifier.Predict(xTrain.Span, trainPred);
        classifier.Predict(xTest.Span, testPred);
        IReadOnlyList<string> names = FashionMnist.ClassNames;
        return new ClassifierResult(
            name,
            title,
            logreg.FeatureCount,
            logreg.Options.MaxIterations,
            Accuracy.Score(yTrain, trainPred),
            Accuracy.Score(yTest, testPred),
            folds.TestScores.ToArray(),
            folds.MeanScore,
            logreg.Iterations.ToArray().Max(),
            logreg.Converged,
            fitSeconds,
            ClassificationReport.Compute(yTest, testPred),
            ClassificationReport.Compute(yTrain, trainPred),
            ConfusionMatrix.Compute(yTest, testPred));
    }

    private static GridResult RunGrid(
        string name, float[] pixels, int n, int d, int[] y, LogisticRegressionOptions options, string key, string[] values,
        CrossValidationOptions cv, Action<int> progress, CancellationToken cancellationToken)
    {
        var pipeline = new Pipeline([new TransformStep("pixels", new PixelScaler())], "logreg", new LogisticRegression(options));
        // The study's value order: candidates run (and tie-break) C=10, 100, 0.1 with the second key's values as listed.
        var grid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["logreg.C"] = [10.0, 100.0, 0.1],
            ["logreg." + key] = [.. values],
        });
        GridSearchResult<PipelineModel> result = GridSearch.Run(pipeline, grid, new ReadOnlyMemory2D<float>(pixels, n, d), y, cv, Steps(progress, 0), cancellationToken);
        CvResults r = result.CvResults;
        string[] candidates = [.. r.Parameters.Select(p => string.Join(", ", p.Select(kv => $"{kv.Key["logreg.".Length..]}={Format(kv.Value)}")))];
        double[][] splits = [.. Enumerable.Range(0, r.CandidateCount).Select(c => Enumerable.Range(0, r.SplitCount).Select(f => r.SplitTestScore(f, c)).ToArray())];
        return new GridResult(name, candidates, splits, r.MeanTestScore.ToArray(), r.StdTestScore.ToArray(), r.RankTestScore.ToArray(), r.MeanFitTime.ToArray(), result.BestIndex);
    }

    private static string Format(object? value) => value switch
    {
        double v => v.ToString("G", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "None",
    };

    private static float[] Concat(float[] left, float[] right, int rows, int rightWidth)
    {
        int leftWidth = left.Length / rows, width = leftWidth + rightWidth;
        float[] result = FreshArray.Allocate<float>(rows * width);
        for (int i = 0; i < rows; i++)
        {
            left.AsSpan(i * leftWidth, leftWidth).CopyTo(result.AsSpan(i * width));
            right.AsSpan(i * rightWidth, rightWidth).CopyTo(result.AsSpan((i * width) + leftWidth));
        }

        return result;
    }

    private static FeatureHeads Heads(Dataset train, float[] pixels, float[] hog, int hogWidth, float[] pca)
    {
        const int Rows = 5;
        int d = train.PixelCount;
        return new FeatureHeads(
            [.. Enumerable.Range(0, Rows).Select(i => (int)train.Labels.Span[i])],
            [.. Enumerable.Range(0, Rows).Select(i => pixels.AsSpan(i * d, d).ToArray())],
            [.. Enumerable.Range(0, Rows).Select(i => hog.AsSpan(i * hogWidth, hogWidth).ToArray())],
            [.. Enumerable.Range(0, Rows).Select(i => pca.AsSpan(i * 40, 40).ToArray())]);
    }

    // The study's tables come from the Kaggle CSV copy (another row order). Its HOG rows are looked up among our train
    // and test images by the 20 values shown, which identifies the image; that image's PCA row is then compared on the
    // first five components (later ones depend on exactly which rows PCA was fitted on, and on sklearn's randomized solver).
    private static HeadMatch[] MatchStudyHeads((int[] Y, float[] Hog, float[] Pca)[] splits, int hogWidth)
    {
        var matches = new HeadMatch[StudyReference.HogHead.Count];
        for (int r = 0; r < matches.Length; r++)
        {
            double[] target = StudyReference.HogHead[r];
            (int split, int index, double diff) best = (-1, -1, double.PositiveInfinity);
            for (int s = 0; s < splits.Length; s++)
            {
                for (int i = 0; i < splits[s].Y.Length; i++)
                {
                    double diff = MaxDifference(splits[s].Hog.AsSpan(i * hogWidth, hogWidth), s_headColumns, target);
                    if (diff < best.diff)
                    {
                        best = (s, i, diff);
                    }
                }
            }

            (int[] y, _, float[] pca) = splits[best.split];
            double pcaDiff = MaxDifference(pca.AsSpan(best.index * 40, 40), s_pcaHeadColumns[..5], StudyReference.PcaHead[r]);
            matches[r] = new HeadMatch(r, StudyReference.HeadLabels[r], best.split == 0 ? "train" : "test", best.index, y[best.index], best.diff, pcaDiff);
        }

        return matches;
    }

    private static double MaxDifference(ReadOnlySpan<float> row, int[] columns, double[] target)
    {
        double max = 0;
        for (int j = 0; j < columns.Length; j++)
        {
            max = Math.Max(max, Math.Abs(row[columns[j]] - target[j]));
        }

        return max;
    }

    private sealed class Progress(Action<SearchProgress> report) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => report(value);
    }
}
