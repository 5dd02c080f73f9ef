using CommunityToolkit.HighPerformance;
using FashionCore.Models.Clustering;

namespace FashionCore.Tests.Models.Clustering;

public class KMeansTests
{
    // sklearn cluster/tests/test_k_means.py::test_kmeans_results, with the sample weights 3,1,1,3 written as repeated rows.
    private static readonly double[] s_toy = [0, 0, 0, 0, 0, 0, 0.5, 0, 0.5, 1, 1, 1, 1, 1, 1, 1];

    [Test]
    public void Fit_SklearnToyCase_GivesKnownCentresInertiaAndIterations()
    {
        KMeansOptions options = new() { Clusters = 2, Init = KMeansInit.Given, InitialCenters = new double[,] { { 0, 0 }, { 1, 1 } } };
        KMeansModel fromDouble = new KMeans(options).Fit(new ReadOnlyMemory2D<double>(s_toy, 8, 2));
        KMeansModel fromFloat = new KMeans(options).Fit(new ReadOnlyMemory2D<float>(s_toy.Select(v => (float)v).ToArray(), 8, 2));

        foreach (KMeansModel m in new[] { fromDouble, fromFloat })
        {
            Assert.That(m.Labels.ToArray(), Is.EqualTo(new[] { 0, 0, 0, 0, 1, 1, 1, 1 }));
            Assert.That(m.Inertia, Is.EqualTo(0.375).Within(1e-15)); // 3·0.125² + 0.375², twice; exact in binary up to the centring round trip
            Assert.That(m.Iterations, Is.EqualTo(2));
            Assert.That(m.ClusterCenters.ToArray(), Is.EqualTo(new double[,] { { 0.125, 0 }, { 0.875, 1 } }).Within(1e-15));
        }
    }

    [Test]
    public void Fit_TwoEmptyClusters_RelocatesFarthestRowsLikeSklearn()
    {
        // sklearn test_relocate_empty_clusters data; expected values printed by sklearn 1.2.1:
        // KMeans(3, init=[[-10],[-10],[-10]], n_init=1[, max_iter=1]).fit(X).
        double[] x = [-10.0, -9.5, -9, -8.5, -8, -1, 1, 9, 9.5, 10];
        KMeansOptions options = new() { Clusters = 3, Init = KMeansInit.Given, InitialCenters = new double[,] { { -10 }, { -10 }, { -10 } } };

        KMeansModel one = new KMeans(options with { MaxIterations = 1 }).Fit(new ReadOnlyMemory2D<double>(x, 10, 1));
        Assert.That(one.ClusterCenters.ToArray(), Is.EqualTo(new double[,] { { -4.5 }, { 10 }, { 9.5 } }).Within(1e-14));
        Assert.That(one.Labels.ToArray(), Is.EqualTo(new[] { 0, 0, 0, 0, 0, 0, 0, 2, 2, 1 }));
        Assert.That(one.Inertia, Is.EqualTo(146.49999999999997).Within(1e-12));
        Assert.That(one.Iterations, Is.EqualTo(1));

        KMeansModel full = new KMeans(options).Fit(new ReadOnlyMemory2D<double>(x, 10, 1));
        Assert.That(full.ClusterCenters.ToArray(), Is.EqualTo(new double[,] { { -6.428571428571429 }, { 10 }, { 9.25 } }).Within(1e-14));
        Assert.That(full.Labels.ToArray(), Is.EqualTo(new[] { 0, 0, 0, 0, 0, 0, 0, 2, 2, 1 }));
        Assert.That(full.Inertia, Is.EqualTo(120.33928571428572).Within(1e-12));
        Assert.That(full.Iterations, Is.EqualTo(3));
    }

    // sklearn 1.2.1 picks the relocated rows with np.argpartition: among equally far rows the last one (one empty
    // cluster), and for several an order that is neither sorted nor by row. Expected values printed by sklearn 1.2.1:
    // KMeans(k, init=<these centres>, n_init=1[, max_iter=1]).fit(x) on one feature.
    [TestCase(new double[] { 0, 0, 1, 1, 1, 5 }, new double[] { 0, 1, 1, 5 }, 1, new double[] { 0, 1, 5, 1.3333333333333333 }, new[] { 0, 0, 1, 1, 1, 2 }, 1)]
    [TestCase(new double[] { 0, 0, 1, 1, 1, 5 }, new double[] { 0, 1, 1, 5 }, 300, new double[] { 0, 1, 1.3333333333333333, 5 }, new[] { 0, 0, 1, 1, 1, 3 }, 300)]
    [TestCase(new double[] { 3, 0, 1, 2 }, new double[] { 0, 100, 200, 300 }, 1, new double[] { 0, 2, 3, 1 }, new[] { 2, 0, 3, 1 }, 1)]
    [TestCase(new double[] { 3, 0, 1, 2 }, new double[] { 0, 100, 200, 300 }, 300, new double[] { 0, 2, 3, 1 }, new[] { 2, 0, 3, 1 }, 2)]
    public void Fit_EmptyClustersWithTiedOrSeveralFarRows_RelocatesTheRowsSklearnPicks(double[] x, double[] init, int maxIterations, double[] centres, int[] labels, int iterations)
    {
        double[,] initial = new double[init.Length, 1];
        for (int j = 0; j < init.Length; j++)
        {
            initial[j, 0] = init[j];
        }

        KMeansModel m = new KMeans(new KMeansOptions { Clusters = init.Length, Init = KMeansInit.Given, InitialCenters = initial, MaxIterations = maxIterations })
            .Fit(new ReadOnlyMemory2D<double>(x, x.Length, 1));

        Assert.That(m.ClusterCenters.ToArray().Cast<double>(), Is.EqualTo(centres).Within(1e-14));
        Assert.That(m.Labels.ToArray(), Is.EqualTo(labels));
        Assert.That(m.Iterations, Is.EqualTo(iterations));
    }

    [Test]
    public void Fit_SingleCluster_CentreIsMeanAndInertiaIsTotalSquares()
    {
        double[] x = [1, 2, 3, 6, 5, 10];
        KMeansModel m = new KMeans(new KMeansOptions { Clusters = 1, RandomState = 0 }).Fit(new ReadOnlyMemory2D<double>(x, 3, 2));
        Assert.That(m.ClusterCenters.ToArray(), Is.EqualTo(new double[,] { { 3, 6 } }).Within(1e-15));
        Assert.That(m.Inertia, Is.EqualTo(4 + 16 + 0 + 0 + 4 + 16).Within(1e-12));
        Assert.That(m.Labels.ToArray(), Is.EqualTo(new[] { 0, 0, 0 }));
    }

    [Test]
    public void Options_OutOfRange_ThrowNamingTheOption()
    {
        Assert.That(() => new KMeans(new KMeansOptions { Clusters = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Clusters"));
        Assert.That(() => new KMeans(new KMeansOptions { InitCount = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("InitCount"));
        Assert.That(() => new KMeans(new KMeansOptions { MaxIterations = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxIterations"));
        Assert.That(() => new KMeans(new KMeansOptions { Tolerance = -1 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Tolerance"));
        Assert.That(() => new KMeans(new KMeansOptions { Tolerance = double.NaN }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Tolerance"));
        Assert.That(() => new KMeans(new KMeansOptions { Init = (KMeansInit)7 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Init"));
        Assert.That(() => new KMeans(new KMeansOptions { Clusters = 2, Init = KMeansInit.Given }), Throws.ArgumentException.With.Property("ParamName").EqualTo("InitialCenters"));
        Assert.That(() => new KMeans(new KMeansOptions { Clusters = 1, Init = KMeansInit.Given, InitialCenters = new double[,] { { double.NaN } } }), Throws.ArgumentException.With.Property("ParamName").EqualTo("InitialCenters"));
        Assert.That(() => new KMeans(new KMeansOptions { Clusters = 1, InitialCenters = new double[,] { { 0 } } }), Throws.ArgumentException.With.Property("ParamName").EqualTo("InitialCenters"));
    }

    [Test]
    public void Fit_BadData_ThrowsNamingX()
    {
        KMeans kmeans = new(new KMeansOptions { Clusters = 3, RandomState = 0 });
        Assert.That(() => kmeans.Fit(new ReadOnlyMemory2D<float>(new float[4], 2, 2)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x").And.Message.Contains("n_clusters=3"));
        Assert.That(() => kmeans.Fit(new ReadOnlyMemory2D<float>(new float[] { 0, 1, 2, float.NaN, 4, 5 }, 3, 2)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x").And.Message.Contains("row 1, column 1"));
        Assert.That(() => kmeans.Fit(new ReadOnlyMemory2D<double>(new double[] { 0, 1, 2, 3, double.PositiveInfinity, 5 }, 3, 2)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x").And.Message.Contains("row 2, column 0"));
        KMeans given = new(new KMeansOptions { Clusters = 1, Init = KMeansInit.Given, InitialCenters = new double[,] { { 0, 0, 0 } } });
        Assert.That(() => given.Fit(new ReadOnlyMemory2D<float>(new float[4], 2, 2)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x"));
    }

    [Test]
    public void Predict_TrainingRows_EqualsNearestCentreAndTransformGivesDistances()
    {
        float[] x = [.. Enumerable.Range(0, 300 * 3).Select(i => (float)Math.Sin(i * 0.37) * ((i % 3) + 1))];
        KMeansModel m = new KMeans(new KMeansOptions { Clusters = 4, RandomState = 3, InitCount = 2 }).Fit(new ReadOnlyMemory2D<float>(x, 300, 3));
        int[] predicted = new int[300];
        float[] distances = new float[300 * 4];
        m.Predict(new ReadOnlySpan2D<float>(x, 300, 3), predicted);
        m.Transform(new ReadOnlySpan2D<float>(x, 300, 3), new Span2D<float>(distances, 300, 4));
        for (int i = 0; i < 300; i++)
        {
            double[] exact = new double[4];
            for (int j = 0; j < 4; j++)
            {
                double s = 0;
                for (int f = 0; f < 3; f++)
                {
                    double e = x[(i * 3) + f] - m.ClusterCenters[j, f];
                    s += e * e;
                }

                exact[j] = Math.Sqrt(s);
                Assert.That(distances[(i * 4) + j], Is.EqualTo(exact[j]).Within(1e-5)); // float output of a norm-expansion distance
            }

            Assert.That(predicted[i], Is.EqualTo(Array.IndexOf(exact, exact.Min())));
        }

        Assert.That(predicted, Is.EqualTo(m.Labels.ToArray()));
    }

    [Test]
    public void PredictAndTransform_AfterWarmUp_AllocateNothing()
    {
        float[] x = [.. Enumerable.Range(0, 500 * 8).Select(i => (float)Math.Cos(i * 0.11))];
        KMeansModel m = new KMeans(new KMeansOptions { Clusters = 5, RandomState = 1, InitCount = 1 }).Fit(new ReadOnlyMemory2D<float>(x, 500, 8));
        int[] labels = new int[500];
        float[] distances = new float[500 * 5];
        m.Predict(new ReadOnlySpan2D<float>(x, 500, 8), labels);
        m.Transform(new ReadOnlySpan2D<float>(x, 500, 8), new Span2D<float>(distances, 500, 5));
        long before = GC.GetAllocatedBytesForCurrentThread();
        m.Predict(new ReadOnlySpan2D<float>(x, 500, 8), labels);
        m.Transform(new ReadOnlySpan2D<float>(x, 500, 8), new Span2D<float>(distances, 500, 5));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Transform_MoreThan256Centres_AllocatesNothingAfterWarmUpAndGivesTheDistances()
    {
        // Above 256 centres the distances no longer fit the stack buffer (they used to be a new array per call).
        int k = 300, d = 8, n = 16;
        double[] centres = [.. Enumerable.Range(0, k * d).Select(i => Math.Sin(i * 0.37))];
        float[] x = [.. Enumerable.Range(0, n * d).Select(i => (float)Math.Cos(i * 0.21))];
        KMeansModel m = new(centres, k, [0], 0, 0);
        float[] distances = new float[n * k];
        m.Transform(new ReadOnlySpan2D<float>(x, n, d), new Span2D<float>(distances, n, k));

        long before = GC.GetAllocatedBytesForCurrentThread();
        m.Transform(new ReadOnlySpan2D<float>(x, n, d), new Span2D<float>(distances, n, k));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double s = 0;
                for (int f = 0; f < d; f++)
                {
                    double e = x[(i * d) + f] - centres[(j * d) + f];
                    s += e * e;
                }

                Assert.That(distances[(i * k) + j], Is.EqualTo(Math.Sqrt(s)).Within(1e-5), $"row {i}, centre {j}");
            }
        }
    }

    [Test]
    public void Constructor_CallerChangesItsArraysAfterwards_ModelKeepsItsOwnCentresAndLabels()
    {
        double[] centres = [0, 0, 10, 10];
        int[] labels = [0, 1];
        KMeansModel m = new(centres, 2, labels, 0, 1);
        centres[2] = 100;
        centres[3] = double.NaN;
        labels[0] = 7;

        int[] predicted = new int[1];
        float[] distances = new float[2];
        m.Predict(new ReadOnlySpan2D<float>([9f, 9f], 1, 2), predicted);
        m.Transform(new ReadOnlySpan2D<float>([9f, 9f], 1, 2), new Span2D<float>(distances, 1, 2));

        Assert.That(predicted[0], Is.EqualTo(1));
        Assert.That(distances, Is.EqualTo(new[] { (float)Math.Sqrt(162), (float)Math.Sqrt(2) }).Within(1e-5));
        Assert.That(m.ClusterCenters.ToArray(), Is.EqualTo(new double[,] { { 0, 0 }, { 10, 10 } }));
        Assert.That(m.Labels.ToArray(), Is.EqualTo(new[] { 0, 1 }));
    }

    [TestCase(1)]
    [TestCase(3)]
    public void Fit_OneThreadOrMany_GivesBitIdenticalResults(int initCount)
    {
        // 5 000 rows = 20 chunks: partial sums are per chunk and reduced in chunk order, so the schedule cannot matter.
        // One run parallelises its chunks; several runs run in parallel (draws made first), each with chunks in order.
        Random r = new(11);
        float[] x = [.. Enumerable.Range(0, 5000 * 20).Select(i => (float)(r.NextDouble() + ((i / 20) % 7)))];
        KMeansOptions o = new() { Clusters = 6, InitCount = initCount, RandomState = 5 };
        KMeansModel parallel = new KMeans(o).Fit(new ReadOnlyMemory2D<float>(x, 5000, 20));
        KMeansModel sequential;
        try
        {
            ChunkedRows.ForceSequential = true;
            sequential = new KMeans(o).Fit(new ReadOnlyMemory2D<float>(x, 5000, 20));
        }
        finally
        {
            ChunkedRows.ForceSequential = false;
        }

        Assert.That(sequential.Inertia, Is.EqualTo(parallel.Inertia)); // bitwise
        Assert.That(sequential.Iterations, Is.EqualTo(parallel.Iterations));
        Assert.That(sequential.Labels.ToArray(), Is.EqualTo(parallel.Labels.ToArray()));
        Assert.That(sequential.ClusterCenters.ToArray(), Is.EqualTo(parallel.ClusterCenters.ToArray()));
    }

    [Test]
    public void Fit_ChunksFinishingInReverseOrder_GivesBitIdenticalResults()
    {
        // Chunks finish in any order when two threads share a pass; the bounded E-steps apply each chunk's moved rows
        // to the cluster sums in chunk order all the same (rounding depends on the order). Last-chunk-first is the most
        // out-of-order schedule; overlapping blobs and no tolerance give many bounded iterations with rows moving.
        Random r = new(13);
        float[] x = [.. Enumerable.Range(0, 6000 * 16).Select(i => (float)(r.NextDouble() + (((i / 16) % 5) * 0.35)))];
        KMeansOptions o = new() { Clusters = 7, InitCount = 1, RandomState = 2, Tolerance = 0 };
        KMeansModel forward, reverse;
        try
        {
            ChunkedRows.ForceSequential = true;
            forward = new KMeans(o).Fit(new ReadOnlyMemory2D<float>(x, 6000, 16));
            ChunkedRows.ReverseOrder = true;
            reverse = new KMeans(o).Fit(new ReadOnlyMemory2D<float>(x, 6000, 16));
        }
        finally
        {
            ChunkedRows.ReverseOrder = false;
            ChunkedRows.ForceSequential = false;
        }

        Assert.That(forward.Iterations, Is.GreaterThan(5));
        Assert.That(reverse.Inertia, Is.EqualTo(forward.Inertia)); // bitwise
        Assert.That(reverse.Iterations, Is.EqualTo(forward.Iterations));
        Assert.That(reverse.Labels.ToArray(), Is.EqualTo(forward.Labels.ToArray()));
        Assert.That(reverse.ClusterCenters.ToArray(), Is.EqualTo(forward.ClusterCenters.ToArray()));
    }

    [Test]
    public void FitEach_SharedSetup_EqualsOneFitPerK()
    {
        // The elbow's shared solver (column statistics computed once) must give each k exactly the model a fresh Fit
        // gives: bitwise inertia and centres, same labels and n_iter (k = 5 and 9 also take the five-centre screen).
        Random r = new(17);
        double[] xd = [.. Enumerable.Range(0, 3000 * 24).Select(i => r.NextDouble() + ((i / 24) % 6 * 0.7))];
        float[] xf = [.. xd.Select(v => (float)v)];
        int[] ks = [1, 2, 5, 6, 9];
        KMeansOptions o = new() { InitCount = 2, RandomState = 4 };
        List<int> seen = [];
        KMeansModel[] fromFloat = KMeansElbow.FitEach(new ReadOnlyMemory2D<float>(xf, 3000, 24), ks, o, (i, _) => seen.Add(i));
        KMeansModel[] fromDouble = KMeansElbow.FitEach(new ReadOnlyMemory2D<double>(xd, 3000, 24), ks, o);
        Assert.That(seen, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        for (int i = 0; i < ks.Length; i++)
        {
            KMeans single = new(o with { Clusters = ks[i] });
            foreach ((KMeansModel shared, KMeansModel alone) in new[] { (fromFloat[i], single.Fit(new ReadOnlyMemory2D<float>(xf, 3000, 24))), (fromDouble[i], single.Fit(new ReadOnlyMemory2D<double>(xd, 3000, 24))) })
            {
                Assert.That(shared.ClusterCount, Is.EqualTo(ks[i]));
                Assert.That(shared.Inertia, Is.EqualTo(alone.Inertia)); // bitwise
                Assert.That(shared.Iterations, Is.EqualTo(alone.Iterations));
                Assert.That(shared.Labels.ToArray(), Is.EqualTo(alone.Labels.ToArray()));
                Assert.That(shared.ClusterCenters.ToArray(), Is.EqualTo(alone.ClusterCenters.ToArray()));
            }
        }

        Assert.That(() => KMeansElbow.FitEach(new ReadOnlyMemory2D<float>(xf, 3000, 24), [3, 2]), Throws.ArgumentException.With.Property("ParamName").EqualTo("clusterCounts"));
    }

    [Test]
    public void Fit_MoreIterationsAllowed_InertiaNeverIncreases()
    {
        // Lloyd's invariant: with the same initial centres (same random_state), the inertia after m iterations
        // (centres of step m, labels of the final E-step) is non-increasing in m. 1e-12 relative allows for rounding only.
        Random r = new(3);
        float[] x = [.. Enumerable.Range(0, 3000 * 10).Select(i => (float)((r.NextDouble() * 3) + Math.Sin(i / 10)))];
        double previous = double.PositiveInfinity;
        int lastIterations = 0;
        for (int m = 1; m <= 25; m++)
        {
            KMeansModel model = new KMeans(new KMeansOptions { Clusters = 7, InitCount = 1, RandomState = 2, MaxIterations = m, Tolerance = 0 }).Fit(new ReadOnlyMemory2D<float>(x, 3000, 10));
            Assert.That(model.Inertia, Is.LessThanOrEqualTo(previous * (1 + 1e-12)), $"max_iter={m}");
            previous = model.Inertia;
            lastIterations = model.Iterations;
        }

        Assert.That(lastIterations, Is.GreaterThan(3)); // the sequence really exercised several iterations
    }

    [Test]
    public void Predict_WrongShapes_Throw()
    {
        KMeansModel m = new KMeans(new KMeansOptions { Clusters = 1, RandomState = 0 }).Fit(new ReadOnlyMemory2D<float>(new float[] { 1, 2, 3, 4 }, 2, 2));
        Assert.That(() => m.Predict(new ReadOnlySpan2D<float>(new float[6], 2, 3), new int[2]), Throws.ArgumentException);
        Assert.That(() => m.Predict(new ReadOnlySpan2D<float>(new float[4], 2, 2), new int[3]), Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
        Assert.That(() => m.Transform(new ReadOnlySpan2D<float>(new float[4], 2, 2), new Span2D<float>(new float[4], 2, 2)), Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
    }

    [Test]
    public void Constructor_NonFiniteCentre_ThrowsNamingCentersCentreAndColumn()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new KMeansModel([0, 1, 2, double.NaN], 2, [], 0, 1))!;
        Assert.That(e.ParamName, Is.EqualTo("centers"));
        Assert.That(e.Message, Does.Contain("NaN at centre 1, column 1"));
        Assert.That(() => new KMeansModel([double.NegativeInfinity, 1], 1, [], 0, 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("centers"));
    }

    [Test]
    public void Constructor_NegativeOrNaNInertiaOrNegativeIterations_ThrowsNamingIt()
    {
        Assert.That(() => new KMeansModel([0, 1], 1, [], -1, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("inertia").And.Message.Contains("at least 0"));
        Assert.That(() => new KMeansModel([0, 1], 1, [], double.NaN, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("inertia"));
        Assert.That(() => new KMeansModel([0, 1], 1, [], 0, -7), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("iterations"));
        Assert.That(new KMeansModel([0, 1], 1, [0], double.PositiveInfinity, 0).Inertia, Is.EqualTo(double.PositiveInfinity), "an overflowed fit's inertia is kept");
    }

    [TestCase(5)]
    [TestCase(3)]
    public void PredictAndTransform_NaNOrInfinityAnywhere_ThrowNamingXRowAndColumn(int k)
    {
        // 11 features: 8 vectorised and a 3-feature tail; 5 centres are one group of four and one alone, 3 are the
        // padded group. Centre 0 is all zeros, so ±∞ meets it only as ∞·0 = NaN.
        int n = 3, d = 11;
        double[] centers = [.. Enumerable.Range(0, k * d).Select(i => i < d ? 0.0 : Math.Cos(i))];
        KMeansModel model = new(centers, k, [], 0, 1);
        double[] x = [.. Enumerable.Range(0, n * d).Select(i => Math.Sin(i))];
        foreach (double value in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            for (int row = 0; row < n; row++)
            {
                for (int column = 0; column < d; column++)
                {
                    double[] bad = (double[])x.Clone();
                    bad[(row * d) + column] = value;
                    float[] badF = [.. bad.Select(v => (float)v)];
                    Action[] calls =
                    [
                        () => model.Predict(new ReadOnlySpan2D<float>(badF, n, d), new int[n]),
                        () => model.Predict(new ReadOnlySpan2D<double>(bad, n, d), new int[n]),
                        () => model.Transform(new ReadOnlySpan2D<float>(badF, n, d), new Span2D<float>(new float[n * k], n, k)),
                        () => model.Transform(new ReadOnlySpan2D<double>(bad, n, d), new Span2D<double>(new double[n * k], n, k)),
                    ];
                    for (int c = 0; c < calls.Length; c++)
                    {
                        ArgumentException e = Assert.Throws<ArgumentException>(() => calls[c](), $"call {c}, {value} at ({row}, {column})")!;
                        Assert.That(e.ParamName, Is.EqualTo("x"));
                        Assert.That(e.Message, Does.StartWith($"'x' contains {value} at row {row}, column {column}; all values must be finite."));
                    }
                }
            }
        }
    }

    [Test]
    public void Predict_FiniteRowOverflowingTheDotProducts_ThrowsNamingXAndRow()
    {
        // −2·x·c = −2e308 is beyond double's range.
        KMeansModel model = new([1, 0, -1, 0], 2, [], 0, 1);
        ArgumentException e = Assert.Throws<ArgumentException>(() => model.Predict(new ReadOnlySpan2D<double>(new double[] { 0, 0, 1e308, 0 }, 2, 2), new int[2]))!;
        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.StartWith("'x' row 1 is finite but too large"));
    }
}
