using System.Collections.Concurrent;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Internals;
using FashionCore.Models.Clustering;
using FashionCore.Models.Linear;
using FashionCore.Selection;
using FashionCore.Tools.Commands;

namespace FashionCore.Tests.Tools;

/// <summary>
/// <c>--threads N</c> bounds all of a command's work: the engine's parallel loops (HOG, StandardScaler, PCA, logistic
/// regression's one-vs-rest classes and objective, k-means chunks) and cross-validation workers run on the limit's
/// scheduler, and the results do not depend on N.
/// </summary>
/// <remarks>
/// Two checks together make it sound: <see cref="EngineSources_ParallelWork_AllScheduledThroughEngineParallel"/> shows
/// that every parallel loop or task in the engine is scheduled through <c>EngineParallel</c> (on the current scheduler),
/// and the hook <c>EngineParallel.Started</c> records the scheduler of each loop actually started, which under the
/// limit must be the limit's, started on one of the limit's threads (<see cref="RecordingScheduler"/>'s N dedicated
/// threads run the limit's workers): a loop on the limit's scheduler runs its bodies on the limit's workers or inline on
/// its starting thread. (Counting thread-pool work items does not work: the test host's own socket traffic uses the pool.)
/// </remarks>
[NonParallelizable]
public class ThreadLimitTests
{
    [Test]
    public void EngineWork_WithoutLimit_LoopsStartOnTheDefaultScheduler()
    {
        ConcurrentBag<(TaskScheduler Scheduler, int Thread)> started = Record(() => EngineWork());

        Assert.That(started, Has.Count.GreaterThan(10));
        Assert.That(started.Select(s => s.Scheduler), Has.All.SameAs(TaskScheduler.Default), "the control: the hook sees where loops go");
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Run_EngineWork_EveryLoopOnTheLimitsThreads(int threads)
    {
        using var recorder = new RecordingScheduler(threads);
        int caller = Environment.CurrentManagedThreadId;
        int bodyThread = -1;
        Results limited = null!;
        ThreadLimit.Underlying = recorder;
        ConcurrentBag<(TaskScheduler Scheduler, int Thread)> started;
        try
        {
            started = Record(() => limited = ThreadLimit.Run(threads, () =>
            {
                bodyThread = Environment.CurrentManagedThreadId;
                return EngineWork();
            }));
        }
        finally
        {
            ThreadLimit.Underlying = null;
        }

        Assert.That(started, Has.Count.GreaterThan(10), "HOG, scaler, PCA, OvR, objective, k-means and CV loops");
        Assert.That(started.Select(s => s.Scheduler == TaskScheduler.Default ? -1 : s.Scheduler.MaximumConcurrencyLevel), Has.All.EqualTo(threads));
        Assert.That(started.Select(s => s.Thread).Distinct(), Is.SubsetOf(recorder.ThreadIds), "loops start (and so wait and inline) only on the limit's threads");
        Assert.That(bodyThread, Is.Not.EqualTo(caller).And.AnyOf([.. recorder.ThreadIds]), "the caller only waits");
        Results free = EngineWork();
        Assert.That(limited.Hog, Is.EqualTo(free.Hog));
        Assert.That(limited.ScalerMean, Is.EqualTo(free.ScalerMean));
        Assert.That(limited.Pca, Is.EqualTo(free.Pca));
        Assert.That(limited.Lbfgs, Is.EqualTo(free.Lbfgs));
        Assert.That(limited.SagaL1, Is.EqualTo(free.SagaL1));
        Assert.That(limited.KMeansCenters, Is.EqualTo(free.KMeansCenters));
        Assert.That(limited.CvScores, Is.EqualTo(free.CvScores));
    }

    /// <summary>
    /// The static half of the proof: no engine source starts parallel work any other way than through
    /// <c>EngineParallel</c>, so the recorded loops above are all of them (a new bare <c>Parallel.For</c> fails here).
    /// </summary>
    [Test]
    public void EngineSources_ParallelWork_AllScheduledThroughEngineParallel()
    {
        string engine = Path.Combine(RepositoryRoot(), "Engine");
        string[] files = [.. Directory.EnumerateFiles(engine, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))];
        List<string> problems = [];
        int loops = 0;
        foreach (string file in files.Where(f => !f.EndsWith("EngineParallel.cs", StringComparison.Ordinal)))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                if (line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                string where = $"{Path.GetRelativePath(engine, file)}:{i + 1}: {line.Trim()}";
                if (line.Contains("EngineParallel.For(", StringComparison.Ordinal))
                {
                    loops++;
                }
                else if (line.Contains("Parallel.For", StringComparison.Ordinal) || line.Contains("Parallel.Invoke(", StringComparison.Ordinal))
                {
                    loops++;
                    string call = line + (i + 1 < lines.Length ? lines[i + 1] : "");
                    if (!call.Contains("EngineParallel.Options(", StringComparison.Ordinal))
                    {
                        problems.Add(where);
                    }
                }

                if (line.Contains("StartNew(", StringComparison.Ordinal) && !line.Contains("EngineParallel.Scheduler", StringComparison.Ordinal))
                {
                    problems.Add(where);
                }

                foreach (string banned in (string[])["TaskScheduler.Default", "Task.Run(", "ThreadPool.", "new Thread(", "new Task(", "new ParallelOptions"])
                {
                    if (line.Contains(banned, StringComparison.Ordinal))
                    {
                        problems.Add(where);
                    }
                }
            }
        }

        Assert.That(loops, Is.GreaterThan(10), "the scan found the engine's loops");
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void Run_NestedInsideATighterLimit_RunsInline()
    {
        int outer = -1, inner = -1;
        ThreadLimit.Run(1, () =>
        {
            outer = Environment.CurrentManagedThreadId;
            return ThreadLimit.Run(2, () => inner = Environment.CurrentManagedThreadId);
        });

        Assert.That(inner, Is.EqualTo(outer));
    }

    [Test]
    public void Run_WorkThrows_RethrowsTheSameExceptionNotAnAggregate()
    {
        var thrown = new InvalidDataException("bad file");

        Exception? caught = Assert.Catch(() => ThreadLimit.Run<int>(1, () => throw thrown));

        Assert.That(caught, Is.SameAs(thrown));
    }

    [Test]
    public void Run_ZeroThreads_Throws() =>
        Assert.That(() => ThreadLimit.Run(0, () => 0), Throws.TypeOf<ArgumentOutOfRangeException>());

    /// <summary>The scheduler and starting thread of every loop the engine starts while <paramref name="work"/> runs.</summary>
    internal static ConcurrentBag<(TaskScheduler Scheduler, int Thread)> Record(Action work)
    {
        ConcurrentBag<(TaskScheduler Scheduler, int Thread)> started = [];
        EngineParallel.Started = s => started.Add((s, Environment.CurrentManagedThreadId));
        try
        {
            work();
        }
        finally
        {
            EngineParallel.Started = null;
        }

        return started;
    }

    /// <summary>The repository root (the directory holding FashionCore.sln), found from the test output directory.</summary>
    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "FashionCore.sln")))
            {
                return d.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no FashionCore.sln above {TestContext.CurrentContext.TestDirectory}");
    }

    /// <summary>Every kind of parallel loop the engine has, on synthetic data big enough to split.</summary>
    private static Results EngineWork()
    {
        const int N = 1200, D = 24, Images = 600;
        var random = new Random(7);
        int[] y = new int[N];
        float[] x = new float[N * D];
        for (int i = 0; i < N; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < D; j++)
            {
                x[(i * D) + j] = (float)(random.NextDouble() + (j % 3 == y[i] ? 1.0 : 0.0));
            }
        }

        byte[] pixels = new byte[Images * 784];
        random.NextBytes(pixels);
        var rows = new ReadOnlyMemory2D<float>(x, N, D);

        var hog = new HogModel(new HogOptions { Orientations = 8 });
        float[] hogFeatures = new float[Images * hog.OutputFeatureCount];
        hog.Transform(new ReadOnlySpan2D<byte>(pixels, Images, 784), new Span2D<float>(hogFeatures, Images, hog.OutputFeatureCount));

        // 200 columns: 4 column blocks fitted in parallel.
        float[] wide = new float[N * 200];
        for (int i = 0; i < wide.Length; i++)
        {
            wide[i] = x[i % x.Length] * (i % 7);
        }

        StandardScalerModel scaler = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(wide, N, 200));
        PcaModel pca = new Pca(new PcaOptions { Components = 5 }).Fit(rows);
        LogisticRegressionModel lbfgs = new LogisticRegression(new LogisticRegressionOptions
        {
            Solver = LogisticRegressionSolver.Lbfgs,
            MultiClass = LogisticRegressionMultiClass.Ovr,
            MaxIterations = 20,
        }).Fit(rows, y);
        LogisticRegressionModel sagaL1 = new LogisticRegression(new LogisticRegressionOptions
        {
            Penalty = LogisticRegressionPenalty.L1,
            MultiClass = LogisticRegressionMultiClass.Ovr,
            MaxIterations = 3,
            RandomState = 0,
        }).Fit(rows, y);
        KMeansModel kmeans = new KMeans(new KMeansOptions { Clusters = 3, InitCount = 2, RandomState = 0 }).Fit(rows);
        CrossValidationResult cv = CrossValidation.Evaluate(
            new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 2, RandomState = 0 }), rows, y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = 2 });
        return new Results(
            hogFeatures,
            scaler.Mean.ToArray(),
            pca.Components.ToArray(),
            lbfgs.Coefficients.ToArray(),
            sagaL1.Coefficients.ToArray(),
            kmeans.ClusterCenters.ToArray(),
            cv.TestScores.ToArray());
    }

    private sealed record Results(
        float[] Hog, double[] ScalerMean, double[,] Pca, double[,] Lbfgs, double[,] SagaL1, double[,] KMeansCenters, double[] CvScores);
}
