using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Scaling;
using FashionCore.Selection;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Selection;

public class GridSearchTests
{
    private static readonly JsonElement s_golden = GoldenJson.Load("selection/selection_golden.json").GetProperty("grid");

    private static (float[] X, int[] Y, int N, int D) Data()
    {
        int n = s_golden.GetProperty("n").GetInt32();
        int d = s_golden.GetProperty("d").GetInt32();
        float[] x = [.. s_golden.GetProperty("x").Doubles().Select(v => (float)v)];
        return (x, s_golden.GetProperty("y").Ints(), n, d);
    }

    private static Pipeline ScalerNearestCentroid() => new([new("scaler", new StandardScaler())], "nc", new NearestCentroid());

    private static ParameterGrid SklearnGrid() => new(new Dictionary<string, IReadOnlyList<object?>>
    {
        ["scaler__with_std"] = [true, false],
        ["nc__shrink_threshold"] = [null, 0.5, 1e-9, 2.0],
    });

    // Scores are fractions correct/80 computed by one division, means/stds in numpy's order: exact equality.
    // sklearn side: GridSearchCV(Pipeline([scaler (float32 output), NearestCentroid()]), grid, cv=3) in
    // make_selection_golden.py. shrink_threshold 1e-9 shrinks so little that it ties with None: ranks 1,7,3,6,1,7,4,5.
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Run_ScalerNearestCentroidGrid_EqualsSklearnCvResults(int degree)
    {
        (float[] x, int[] y, int n, int d) = Data();
        GridSearchResult<PipelineModel> result = GridSearch.Run(
            ScalerNearestCentroid(), SklearnGrid(), new ReadOnlyMemory2D<float>(x, n, d), y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = degree });
        CvResults cv = result.CvResults;
        JsonElement[] expected = [.. s_golden.GetProperty("candidates").EnumerateArray()];

        Assert.That(cv.CandidateCount, Is.EqualTo(expected.Length));
        for (int c = 0; c < expected.Length; c++)
        {
            JsonElement e = expected[c];
            JsonElement shrink = e.GetProperty("shrink_threshold");
            Assert.That(cv.Parameters[c].Select(p => p.Key), Is.EqualTo(new[] { "nc__shrink_threshold", "scaler__with_std" }));
            Assert.That(cv.Parameters[c][0].Value, Is.EqualTo(shrink.ValueKind == JsonValueKind.Null ? null : shrink.GetDouble()));
            Assert.That(cv.Parameters[c][1].Value, Is.EqualTo(e.GetProperty("with_std").GetBoolean()));
            Assert.That(Enumerable.Range(0, 3).Select(f => cv.SplitTestScore(f, c)), Is.EqualTo(e.GetProperty("split_scores").Doubles()), $"candidate {c}");
            Assert.That(cv.MeanTestScore[c], Is.EqualTo(e.GetProperty("mean").GetDouble()), $"candidate {c}");
            Assert.That(cv.StdTestScore[c], Is.EqualTo(e.GetProperty("std").GetDouble()), $"candidate {c}");
            Assert.That(cv.RankTestScore[c], Is.EqualTo(e.GetProperty("rank").GetInt32()), $"candidate {c}");
            Assert.That(cv.MeanFitTime[c], Is.GreaterThan(0));
            Assert.That(cv.MeanScoreTime[c], Is.GreaterThan(0));
        }

        Assert.That(result.BestIndex, Is.EqualTo(s_golden.GetProperty("best_index").GetInt32()).And.EqualTo(0), "first of the tied rank-1 candidates");
        Assert.That(result.BestScore, Is.EqualTo(s_golden.GetProperty("best_score").GetDouble()));
        Assert.That(result.BestParameters.ToString(), Is.EqualTo("{'nc__shrink_threshold': None, 'scaler__with_std': True}"));
    }

    [Test]
    public void Run_Refit_BestModelFittedOnAllRowsLikeSklearn()
    {
        (float[] x, int[] y, int n, int d) = Data();
        GridSearchResult<PipelineModel> result = GridSearch.Run(
            ScalerNearestCentroid(), SklearnGrid(), new ReadOnlyMemory2D<float>(x, n, d), y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3) });
        PipelineModel best = result.BestModel!;
        double[,] centroids = ((NearestCentroidModel)best.Classifier).Centroids;
        double[] expected = s_golden.GetProperty("refit_centroids").Doubles();
        int[] predicted = new int[20];
        best.Predict(new ReadOnlySpan2D<float>(x, 20, d), predicted);

        // Centroids are means of float32 features summed in double in row order (numpy's axis-0 order); 1e-12 allows
        // for the scaler's mean/variance being accumulated in a different order than sklearn's (ulps of the features).
        Assert.That(centroids.Cast<double>(), Is.EqualTo(expected).Within(1e-12));
        Assert.That(predicted, Is.EqualTo(s_golden.GetProperty("refit_predict_first20").Ints()));
        Assert.That(result.RefitTime, Is.GreaterThan(0));
    }

    [Test]
    public void Run_RefitOff_NoModel()
    {
        (float[] x, int[] y, int n, int d) = Data();
        GridSearchResult<PipelineModel> result = GridSearch.Run(
            ScalerNearestCentroid(), SklearnGrid(), new ReadOnlyMemory2D<float>(x, n, d), y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), Refit = false });

        Assert.That(result.BestModel, Is.Null);
        Assert.That(result.BestIndex, Is.Zero);
    }

    [Test]
    public void Evaluate_CrossValidationFiveFolds_EqualsSklearnCrossValScore()
    {
        (float[] x, int[] y, int n, int d) = Data();
        Pipeline pipeline = EstimatorOptions.With(ScalerNearestCentroid(), "nc.shrink_threshold", 0.5);
        CrossValidationResult result = CrossValidation.Evaluate(pipeline, new ReadOnlyMemory2D<float>(x, n, d), y);
        double[] expected = s_golden.GetProperty("cv5_shrink05").Doubles();

        Assert.That(result.TestScores.ToArray(), Is.EqualTo(expected));
        Assert.That(result.MeanScore, Is.EqualTo(expected.Average()).Within(1e-15));
        Assert.That(result.FitTimes.Length, Is.EqualTo(5));
    }

    [Test]
    public void Run_AnyDegreeOfParallelism_IdenticalScoresAndModels()
    {
        (float[] x, int[] y, int n, int d) = Synthetic(3000, 12, classes: 4, seed: 11);
        Pipeline pipeline = new([new("times", new Multiply()), new("center", new Center())], "nc", new NearestCentroid());
        ParameterGrid grid = new(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["nc.shrink_threshold"] = [null, 0.1, 0.5, 1.0, 3.0],
            ["times.factor"] = [1f, -2f],
        });
        double[]? reference = null;
        double[,]? referenceCentroids = null;
        foreach (int degree in new[] { 1, 2, 3, 8 })
        {
            GridSearchResult<PipelineModel> r = GridSearch.Run(pipeline, grid, new ReadOnlyMemory2D<float>(x, n, d), y,
                new CrossValidationOptions { Splitter = new StratifiedKFold(4, shuffle: true, randomState: 5), MaxDegreeOfParallelism = degree });
            double[] scores = [.. Enumerable.Range(0, r.CvResults.CandidateCount).SelectMany(c => Enumerable.Range(0, 4).Select(f => r.CvResults.SplitTestScore(f, c)))];
            double[,] centroids = ((NearestCentroidModel)r.BestModel!.Classifier).Centroids;
            reference ??= scores;
            referenceCentroids ??= centroids;
            Assert.That(scores, Is.EqualTo(reference), $"degree {degree}");
            Assert.That(centroids, Is.EqualTo(referenceCentroids), $"degree {degree}");
        }

        Assert.That(reference!.Distinct().Count(), Is.GreaterThan(3), "the grid must produce different scores for the test to mean anything");
    }

    [Test]
    public void Run_StatelessPrefix_AppliedOncePerDistinctPrefixNotPerFold()
    {
        (float[] x, int[] y, int n, int d) = Synthetic(600, 6, classes: 3, seed: 2);
        Multiply times = new();
        Pipeline pipeline = new([new("times", times), new("center", new Center())], "nc", new NearestCentroid());
        ParameterGrid grid = new(new Dictionary<string, IReadOnlyList<object?>> { ["nc.shrink_threshold"] = [null, 0.5, 1.0] });

        GridSearchResult<PipelineModel> r = GridSearch.Run(pipeline, grid, new ReadOnlyMemory2D<float>(x, n, d), y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = 2 });

        // 3 candidates × 3 folds + refit, but the stateless step is fitted once and transforms the 600 rows once.
        Assert.That(times.Fits.Value, Is.EqualTo(1));
        Assert.That(times.TransformedRows.Value, Is.EqualTo(n));
        Assert.That(r.PrecomputeTime, Is.GreaterThan(0));

        // The refitted model still starts with the stateless step and predicts raw rows like a plain fit.
        PipelineModel plain = GridSearch.Candidates(pipeline, grid)[r.BestIndex].Fit(new ReadOnlyMemory2D<float>(x, n, d), y);
        int[] a = new int[n];
        int[] b = new int[n];
        r.BestModel!.Predict(new ReadOnlySpan2D<float>(x, n, d), a);
        plain.Predict(new ReadOnlySpan2D<float>(x, n, d), b);
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void Run_StatelessPrefixHoisted_SameScoresAsWithoutHoisting()
    {
        (float[] x, int[] y, int n, int d) = Synthetic(900, 6, classes: 3, seed: 4);
        Pipeline hoisted = new([new("times", new Multiply()), new("center", new Center())], "nc", new NearestCentroid(new() { ShrinkThreshold = 0.3 }));
        Pipeline plain = new([new("times", new StatefulMultiply()), new("center", new Center())], "nc", new NearestCentroid(new() { ShrinkThreshold = 0.3 }));
        ReadOnlyMemory2D<float> xm = new(x, n, d);

        CrossValidationResult a = CrossValidation.Evaluate(hoisted, xm, y);
        CrossValidationResult b = CrossValidation.Evaluate(plain, xm, y);

        Assert.That(a.TestScores.ToArray(), Is.EqualTo(b.TestScores.ToArray()));
        Assert.That(a.PrecomputeTime, Is.GreaterThan(0));
        Assert.That(b.PrecomputeTime, Is.Zero);
    }

    [Test]
    public void Run_Progress_ReportsEveryFitUpToCandidatesTimesFolds()
    {
        (float[] x, int[] y, int n, int d) = Data();
        List<SearchProgress> reports = [];
        SynchronousProgress progress = new(p =>
        {
            lock (reports)
            {
                reports.Add(p);
            }
        });

        GridSearch.Run(ScalerNearestCentroid(), SklearnGrid(), new ReadOnlyMemory2D<float>(x, n, d), y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = 2 }, progress);

        Assert.That(reports, Has.Count.EqualTo(24));
        Assert.That(reports.Select(r => r.Completed).Order(), Is.EqualTo(Enumerable.Range(1, 24)));
        Assert.That(reports.Select(r => r.Total), Is.All.EqualTo(24));
    }

    // sklearn: GridSearchCV(error_score=np.nan) scores a failing fit NaN, warns, and ranks the candidate last.
    [Test]
    public void Run_OneCandidateFails_ScoredNaNRankedLastListedAndSearchGoesOn()
    {
        (float[] x, int[] y, int n, int d) = Data();
        var grid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>> { ["nc__fail_fit"] = [true, false] });

        GridSearchResult<PipelineModel> result = GridSearch.Run(
            ScalerNearestCentroid(), grid, new ReadOnlyMemory2D<float>(x, n, d), y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = 2 });

        Assert.That(result.CvResults.MeanTestScore[0], Is.NaN);
        Assert.That(result.CvResults.MeanTestScore[1], Is.GreaterThan(0.5));
        Assert.That(result.CvResults.RankTestScore.ToArray(), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(result.BestIndex, Is.EqualTo(1));
        Assert.That(result.BestModel, Is.Not.Null);
        Assert.That(result.FitFailures.Select(f => (f.Candidate, f.Fold)), Is.EqualTo(new[] { (0, 0), (0, 1), (0, 2) }));
        Assert.That(result.FitFailures.Select(f => f.Exception.Message), Has.All.EqualTo("fit failed on purpose"));
    }

    // sklearn's _fit_and_score: a failed fit's fit_time is the time until its error and its score_time 0; a failed
    // scoring keeps the fit's time and times the scoring until its error. Each failure here runs ≥ 30 ms first.
    [Test]
    public void Run_FailedFitOrScoring_TimedUntilTheErrorLikeSklearn()
    {
        (float[] x, int[] y, int n, int d) = Data();
        var grid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["nc__fail_fit"] = [true, false],
            ["nc__fail_predict"] = [false, true],
            ["nc__fail_delay_milliseconds"] = [30],
        });

        GridSearchResult<PipelineModel> result = GridSearch.Run(
            ScalerNearestCentroid(), grid, new ReadOnlyMemory2D<float>(x, n, d), y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = 2, Refit = false });

        // Candidates in ParameterGrid order: (fit fails), (fit fails), (both succeed), (scoring fails).
        CvResults cv = result.CvResults;
        for (int split = 0; split < 3; split++)
        {
            Assert.That(cv.FitTime(split, 0), Is.GreaterThanOrEqualTo(0.03), "failed fit: time until the error");
            Assert.That(cv.FitTime(split, 1), Is.GreaterThanOrEqualTo(0.03), "failed fit: time until the error");
            Assert.That(cv.ScoreTime(split, 0), Is.Zero, "failed fit: no scoring");
            Assert.That(cv.ScoreTime(split, 1), Is.Zero, "failed fit: no scoring");
            Assert.That(cv.ScoreTime(split, 3), Is.GreaterThanOrEqualTo(0.03), "failed scoring: time until the error");
            Assert.That(cv.FitTime(split, 3), Is.GreaterThan(0), "failed scoring: the fit's own time");
            Assert.That(cv.ScoreTime(split, 2), Is.GreaterThan(0), "a scoring that succeeds");
        }

        Assert.That(cv.MeanTestScore.ToArray().Select(double.IsNaN), Is.EqualTo(new[] { true, true, false, true }));
        Assert.That(result.FitFailures.Select(f => (f.Candidate, f.Fold)), Is.EqualTo(new[] { (0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2) }));
        Assert.That(result.FitFailures.Select(f => f.Exception.Message), Has.All.EqualTo("fit failed on purpose"));
        Assert.That(result.ScoreFailures.Select(f => (f.Candidate, f.Fold)), Is.EqualTo(new[] { (3, 0), (3, 1), (3, 2) }));
        Assert.That(result.ScoreFailures.Select(f => f.Exception.Message), Has.All.EqualTo("predict failed on purpose"));
    }

    // sklearn's _score: a scoring that throws is scored error_score with a "Scoring failed" warning; it is no failed fit,
    // so scorings failing in every fold raise no "All the fits failed".
    [Test]
    public void Evaluate_EveryScoringFails_ScoredNaNListedApartFromFitFailures()
    {
        (float[] x, int[] y, int n, int d) = Data();
        Pipeline pipeline = new([new("scaler", new StandardScaler())], "nc", new NearestCentroid(new NearestCentroidOptions { FailPredict = true }));

        CrossValidationResult result = CrossValidation.Evaluate(pipeline, new ReadOnlyMemory2D<float>(x, n, d), y, new CrossValidationOptions { Splitter = new StratifiedKFold(3) });

        Assert.That(result.TestScores.ToArray(), Has.All.NaN);
        Assert.That(result.FitFailures, Is.Empty);
        Assert.That(result.ScoreFailures.Select(f => f.Fold), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(result.ScoreFailures.Select(f => f.Exception.Message), Has.All.EqualTo("predict failed on purpose"));
    }

    [Test]
    public void Evaluate_ErrorScoreNullAndAScoringFails_RaisesTheScoringsException()
    {
        (float[] x, int[] y, int n, int d) = Data();
        Pipeline pipeline = new([new("scaler", new StandardScaler())], "nc", new NearestCentroid(new NearestCentroidOptions { FailPredict = true }));

        Assert.That(
            () => CrossValidation.Evaluate(pipeline, new ReadOnlyMemory2D<float>(x, n, d), y, new CrossValidationOptions { Splitter = new StratifiedKFold(3), ErrorScore = null }),
            Throws.InvalidOperationException.With.Message.EqualTo("predict failed on purpose"));
    }

    [Test]
    public void Run_ErrorScoreNullAndAFitFails_RaisesTheFitsException()
    {
        (float[] x, int[] y, int n, int d) = Data();
        var grid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>> { ["nc__fail_fit"] = [false, true] });

        Assert.That(
            () => GridSearch.Run(ScalerNearestCentroid(), grid, new ReadOnlyMemory2D<float>(x, n, d), y, new CrossValidationOptions { Splitter = new StratifiedKFold(3), ErrorScore = null }),
            Throws.InvalidOperationException.With.Message.EqualTo("fit failed on purpose"));
    }

    [Test]
    public void Evaluate_EveryFitFails_ThrowsNamingTheFirstFailure()
    {
        (float[] x, int[] y, int n, int d) = Data();
        var failing = new Pipeline([new("scaler", new StandardScaler())], "nc", new NearestCentroid(new NearestCentroidOptions { FailFit = true }));

        Assert.That(
            () => CrossValidation.Evaluate(failing, new ReadOnlyMemory2D<float>(x, n, d), y, new CrossValidationOptions { Splitter = new StratifiedKFold(3) }),
            Throws.ArgumentException.With.Message.StartsWith("All the 3 fits failed").And.InnerException.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void Run_Cancelled_ThrowsOperationCanceledAndStopsStartingFits()
    {
        (float[] x, int[] y, int n, int d) = Data();
        using CancellationTokenSource cts = new();
        int completed = 0;
        SynchronousProgress progress = new(p =>
        {
            Interlocked.Increment(ref completed);
            cts.Cancel();
        });

        Assert.That(
            () => GridSearch.Run(ScalerNearestCentroid(), SklearnGrid(), new ReadOnlyMemory2D<float>(x, n, d), y,
                new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = 1 }, progress, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(completed, Is.EqualTo(1));
    }

    [Test]
    public void Run_BadGrids_ThrowArgumentExceptionBeforeAnyFit()
    {
        (float[] x, int[] y, int n, int d) = Data();
        ReadOnlyMemory2D<float> xm = new(x, n, d);
        int fitsBefore = NearestCentroid.FitCount;
        (string Key, object?[] Values)[] bad =
        [
            ("nc.unknown", [1.0]),
            ("knn.shrink_threshold", [1.0]),
            ("nc.shrink_threshold", [0.5, "large"]),
            ("nc.shrink_threshold", [0.5, -1.0]),
            ("scaler.with_std", [true, 0]),
        ];
        foreach ((string key, object?[] values) in bad)
        {
            ParameterGrid grid = new(new Dictionary<string, IReadOnlyList<object?>> { [key] = values });
            ArgumentException e = Assert.Throws<ArgumentException>(() => GridSearch.Run(ScalerNearestCentroid(), grid, xm, y))!;
            Assert.That(e.Message, Does.Contain(key.Split('.')[0]), key);
        }

        Assert.That(NearestCentroid.FitCount, Is.EqualTo(fitsBefore), "nothing may run for a bad grid");
    }

    [Test]
    public void Rank_TiesAndNaN_FollowSklearnMinRule()
    {
        // scipy.stats.rankdata(-m, method='min') with sklearn's NaN -> nanmin - 1 rule.
        Assert.That(CvResults.Rank([0.5, 0.7, 0.7, 0.1, 0.5]), Is.EqualTo(new[] { 3, 1, 1, 5, 3 }));
        Assert.That(CvResults.Rank([double.NaN, 0.2, double.NaN, 0.9]), Is.EqualTo(new[] { 3, 2, 3, 1 }));
        Assert.That(CvResults.Rank([double.NaN, double.NaN]), Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void ToTsv_SklearnColumnNames()
    {
        (float[] x, int[] y, int n, int d) = Data();
        GridSearchResult<PipelineModel> r = GridSearch.Run(ScalerNearestCentroid(), SklearnGrid(), new ReadOnlyMemory2D<float>(x, n, d), y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), Refit = false });
        string[] lines = r.CvResults.ToTsv().Split('\n');

        Assert.That(lines[0], Is.EqualTo("mean_fit_time\tstd_fit_time\tmean_score_time\tstd_score_time\tparam_nc__shrink_threshold\tparam_scaler__with_std\tparams\tsplit0_test_score\tsplit1_test_score\tsplit2_test_score\tmean_test_score\tstd_test_score\trank_test_score"));
        Assert.That(lines[1], Does.EndWith("\t0.7\t0.7\t0.7375\t0.7125\t0.01767766952966373\t1"));
        Assert.That(lines, Has.Length.EqualTo(10));
    }

    [TestCase(65, "covering 65 samples but 'x' has 60 rows")]
    [TestCase(30, "covering 30 samples but 'x' has 60 rows")]
    public void Evaluate_SplitterFoldsForAnotherSampleCount_ThrowsNamingSplitterAndBothCounts(int samples, string fragment)
    {
        (float[] x, int[] y, int n, int d) = Synthetic(60, 4, 3, seed: 1);
        var options = new CrossValidationOptions { Splitter = new FixedSplitter(samples, 3, 3), MaxDegreeOfParallelism = 1 };

        ArgumentException e = Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(ScalerNearestCentroid(), new ReadOnlyMemory2D<float>(x, n, d), y, options))!;

        Assert.That(e.ParamName, Is.EqualTo("options"));
        Assert.That(e.Message, Does.Contain("cross-validator FixedSplitter").And.Contain(fragment));
    }

    [Test]
    public void Evaluate_SplitterFoldCountDiffersFromSplitCount_ThrowsNamingBothCounts()
    {
        (float[] x, int[] y, int n, int d) = Synthetic(60, 4, 3, seed: 1);
        var options = new CrossValidationOptions { Splitter = new FixedSplitter(60, 3, 2), MaxDegreeOfParallelism = 1 };

        ArgumentException e = Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(ScalerNearestCentroid(), new ReadOnlyMemory2D<float>(x, n, d), y, options))!;

        Assert.That(e.ParamName, Is.EqualTo("options"));
        Assert.That(e.Message, Does.Contain("cross-validator FixedSplitter returned 2 folds but its SplitCount is 3"));
    }

    [Test]
    public void Run_SplitterFoldsForAnotherSampleCount_ThrowsBeforeAnyFit()
    {
        (float[] x, int[] y, int n, int d) = Synthetic(60, 4, 3, seed: 1);
        var options = new CrossValidationOptions { Splitter = new FixedSplitter(65, 3, 3), MaxDegreeOfParallelism = 1 };

        ArgumentException e = Assert.Throws<ArgumentException>(() => GridSearch.Run(ScalerNearestCentroid(), SklearnGrid(), new ReadOnlyMemory2D<float>(x, n, d), y, options))!;

        Assert.That(e.ParamName, Is.EqualTo("options"));
        Assert.That(e.Message, Does.Contain("covering 65 samples but 'x' has 60 rows"));
    }

    internal static (float[] X, int[] Y, int N, int D) Synthetic(int n, int d, int classes, int seed)
    {
        Random random = new(seed);
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = random.Next(classes);
            for (int j = 0; j < d; j++)
            {
                x[(i * d) + j] = (float)((((j % classes) == y[i]) ? 1.0 : 0.0) + (random.NextDouble() * 2.5));
            }
        }

        return (x, y, n, d);
    }

    /// <summary>IProgress that invokes the callback on the reporting thread (Progress&lt;T&gt; posts asynchronously).</summary>
    private sealed class SynchronousProgress(Action<SearchProgress> action) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => action(value);
    }

    /// <summary>The same transform as <see cref="Multiply"/> without the stateless marker, so it is fitted per fold.</summary>
    private sealed class StatefulMultiply : FashionCore.Abstractions.ITransformerEstimator<MultiplyModel>
    {
        private readonly Multiply _inner = new();

        public MultiplyModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default) => _inner.Fit(x, cancellationToken);
    }

    /// <summary>A custom splitter that ignores the labels: folds for <paramref name="samples"/> samples, round robin.</summary>
    private sealed class FixedSplitter(int samples, int splitCount, int folds) : ICrossValidator
    {
        public int SplitCount => splitCount;

        public Folds Split(ReadOnlySpan<int> y) => new([.. Enumerable.Range(0, samples).Select(i => i % folds)], folds);
    }
}
