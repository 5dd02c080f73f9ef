using CommunityToolkit.HighPerformance;
using FashionCore.Models.Clustering;
using FashionCore.Numerics.Random;

namespace FashionCore.Tests.Models.Clustering;

/// <summary>
/// The E-step shortcuts (bounds, float screen, incremental sums) against plain double Lloyd on data built to stress
/// them: exact ties, large offsets (wide float error bounds), double input (float copy), and their allocation.
/// </summary>
public class KMeansFastPathTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        // Small integers: many rows exactly equidistant from two centres, so the screen must defer to double and the
        // lowest index must win.
        Random r = new(5);
        yield return new TestCaseData(Make(4000, 3, () => r.Next(0, 4)), 3, 6).SetName("Fit_ExactTies_EqualsPlainLloyd");

        // A 1e4 offset on every value: float rows are far from their centred values, so the screen's bounds are wide.
        yield return new TestCaseData(Make(3000, 12, () => 1e4 + (r.NextDouble() * 3)), 12, 5).SetName("Fit_LargeOffset_EqualsPlainLloyd");

        // One far outlier row: the 8-bit grid spans it, leaves large residuals everywhere else and is not used.
        double[] outlier = Make(3000, 8, () => r.NextDouble() + (r.Next(0, 4) * 0.5));
        outlier.AsSpan(0, 8).Fill(1e6);
        yield return new TestCaseData(outlier, 8, 5).SetName("Fit_FarOutlier_EqualsPlainLloyd");

        // Overlapping blobs in 40 dimensions: many boundary rows for the bounds and the screen.
        yield return new TestCaseData(Make(6000, 40, () => r.NextDouble() + (r.Next(0, 3) * 0.4)), 40, 9).SetName("Fit_OverlappingBlobs_EqualsPlainLloyd");

        // Eight centres: every lane of the E-step's per-centre bound tests holds a centre.
        yield return new TestCaseData(Make(4000, 16, () => r.NextDouble() + (r.Next(0, 3) * 0.4)), 16, 8).SetName("Fit_EightCentres_EqualsPlainLloyd");

        // More centres than the E-step's register tables and kept lists hold (k > 16): the gathering scan and the
        // relabelling that repeats the tests.
        yield return new TestCaseData(Make(3000, 6, () => r.NextDouble() + (r.Next(0, 4) * 0.3)), 6, 20).SetName("Fit_ManyCentres_EqualsPlainLloyd");

        // Rows wider than WordDots takes: the byte screen multiplies the float-rounded step∘c (DotScreen.Scaled), the
        // path every machine without AVX-512BW runs at any width.
        // Overlapping blobs in the first 16 columns, faint noise in the rest.
        int wide = WordDots.MaxColumns + 36;
        double[] widened = new double[1500 * wide];
        for (int i = 0; i < widened.Length; i++)
        {
            widened[i] = i % wide < 16 ? r.NextDouble() + (r.Next(0, 3) * 0.4) : 0.01 * r.NextDouble();
        }

        yield return new TestCaseData(widened, wide, 5).SetName("Fit_WiderThanWordDots_EqualsPlainLloyd");
    }

    [TestCaseSource(nameof(Cases))]
    public void Fit_FastPath_EqualsPlainLloyd(double[] data, int d, int k)
    {
        int n = data.Length / d;
        KMeansOptions o = new() { Clusters = k, InitCount = 2, RandomState = 3, Tolerance = 0 };
        float[] f = [.. data.Select(v => (float)v)];
        foreach (bool useFloat in new[] { true, false })
        {
            KMeansModel fast = useFloat ? new KMeans(o).Fit(new ReadOnlyMemory2D<float>(f, n, d)) : new KMeans(o).Fit(new ReadOnlyMemory2D<double>(data, n, d));
            KMeansModel plain = useFloat ? new KMeans(o) { UseBounds = false }.Fit(new ReadOnlyMemory2D<float>(f, n, d)) : new KMeans(o) { UseBounds = false }.Fit(new ReadOnlyMemory2D<double>(data, n, d));
            Assert.That(fast.Labels.ToArray(), Is.EqualTo(plain.Labels.ToArray()), useFloat ? "float" : "double");
            Assert.That(fast.Iterations, Is.EqualTo(plain.Iterations), useFloat ? "float" : "double");
            Assert.That(fast.Iterations, Is.GreaterThan(2)); // several bounded iterations really ran
            // Incremental vs re-summed cluster sums differ by rounding only.
            Assert.That(fast.Inertia, Is.EqualTo(plain.Inertia).Within(1e-10).Percent, useFloat ? "float" : "double");
        }
    }

    // The same data for the k-means++ tests, named by each test's own method ({m}) and the case.
    private static IEnumerable<TestCaseData> PlusPlusCases() =>
        Cases().Select(c => new TestCaseData(c.Arguments).SetName("{m}(" + c.TestName!.Replace("Fit_", "", StringComparison.Ordinal).Replace("_EqualsPlainLloyd", "", StringComparison.Ordinal) + ")"));

    [TestCaseSource(nameof(PlusPlusCases))]
    public void KMeansPlusPlus_Screened_EqualsPlain(double[] data, int d, int k)
    {
        // The screened k-means++ computes only the provably best candidate's distances in double when the screens
        // separate the candidates' potentials; every pick, centre and later draw must equal the plain computation's.
        int n = data.Length / d;
        float[] f = [.. data.Select(v => (float)v)];
        foreach (int clusters in new[] { k, k + 4 })
        {
            foreach (uint seed in new uint[] { 0, 11 })
            {
                int[] fast = new int[clusters], plain = new int[clusters];
                double[] fastCentres = new double[clusters * d], plainCentres = new double[clusters * d];
                double[] fastDistances = new double[n], plainDistances = new double[n];
                new KMeansSolver<float>(new ReadOnlyMemory2D<float>(f, n, d)).KMeansPlusPlus(new Mt19937(seed), clusters, fast, fastCentres, fastDistances);
                new KMeansSolver<float>(new ReadOnlyMemory2D<float>(f, n, d)) { UseBounds = false }.KMeansPlusPlus(new Mt19937(seed), clusters, plain, plainCentres, plainDistances);
                Assert.That(fast, Is.EqualTo(plain), $"float k={clusters} seed={seed}");
                Assert.That(fastCentres, Is.EqualTo(plainCentres), $"float k={clusters} seed={seed}");
                Assert.That(fastDistances, Is.EqualTo(plainDistances), $"float k={clusters} seed={seed}");

                // Without the distances asked for, the last pick's exact pass is skipped once the screens decide it.
                Array.Clear(fast);
                Array.Clear(fastCentres);
                new KMeansSolver<float>(new ReadOnlyMemory2D<float>(f, n, d)).KMeansPlusPlus(new Mt19937(seed), clusters, fast, fastCentres);
                Assert.That(fast, Is.EqualTo(plain), $"float k={clusters} seed={seed}, no distances");
                Assert.That(fastCentres, Is.EqualTo(plainCentres), $"float k={clusters} seed={seed}, no distances");
                new KMeansSolver<double>(new ReadOnlyMemory2D<double>(data, n, d)).KMeansPlusPlus(new Mt19937(seed), clusters, fast, fastCentres);
                new KMeansSolver<double>(new ReadOnlyMemory2D<double>(data, n, d)) { UseBounds = false }.KMeansPlusPlus(new Mt19937(seed), clusters, plain, plainCentres);
                Assert.That(fast, Is.EqualTo(plain), $"double k={clusters} seed={seed}");
                Assert.That(fastCentres, Is.EqualTo(plainCentres), $"double k={clusters} seed={seed}");
            }
        }
    }

    [TestCaseSource(nameof(PlusPlusCases))]
    public void KMeansPlusPlus_FirstCentreDotsFromSetup_EqualSeparatePass(double[] data, int d, int k)
    {
        // The setup pass's dots with the expected first centre replace k-means++'s first pass bit for bit (float and
        // double rows); a run starting elsewhere ignores them.
        int n = data.Length / d;
        float[] f = [.. data.Select(v => (float)v)];
        foreach (uint seed in new uint[] { 0, 11 })
        {
            int first = new Mt19937(seed).NextInt32(n);
            foreach (int hint in new[] { first, (first + 1) % n })
            {
                int[] with = new int[k], without = new int[k];
                double[] withCentres = new double[k * d], withoutCentres = new double[k * d];
                double[] withDistances = new double[n], withoutDistances = new double[n];
                new KMeansSolver<float>(new ReadOnlyMemory2D<float>(f, n, d), hint).KMeansPlusPlus(new Mt19937(seed), k, with, withCentres, withDistances);
                new KMeansSolver<float>(new ReadOnlyMemory2D<float>(f, n, d)).KMeansPlusPlus(new Mt19937(seed), k, without, withoutCentres, withoutDistances);
                Assert.That(with, Is.EqualTo(without), $"float seed={seed} hint={hint}");
                Assert.That(withCentres, Is.EqualTo(withoutCentres), $"float seed={seed} hint={hint}");
                Assert.That(withDistances, Is.EqualTo(withoutDistances), $"float seed={seed} hint={hint}"); // bit for bit
                new KMeansSolver<double>(new ReadOnlyMemory2D<double>(data, n, d), hint).KMeansPlusPlus(new Mt19937(seed), k, with, withCentres, withDistances);
                new KMeansSolver<double>(new ReadOnlyMemory2D<double>(data, n, d)).KMeansPlusPlus(new Mt19937(seed), k, without, withoutCentres, withoutDistances);
                Assert.That(with, Is.EqualTo(without), $"double seed={seed} hint={hint}");
                Assert.That(withCentres, Is.EqualTo(withoutCentres), $"double seed={seed} hint={hint}");
                Assert.That(withDistances, Is.EqualTo(withoutDistances), $"double seed={seed} hint={hint}");

                // The same from a table of several runs' first centres taken in one pass (the elbow's and n_init's).
                KMeansSolver<float> shared = new(new ReadOnlyMemory2D<float>(f, n, d));
                shared.TakeFirstCentreDots([(hint + 7) % n, hint, (hint + 3) % n, hint]);
                shared.KMeansPlusPlus(new Mt19937(seed), k, with, withCentres, withDistances);
                new KMeansSolver<float>(new ReadOnlyMemory2D<float>(f, n, d)).KMeansPlusPlus(new Mt19937(seed), k, without, withoutCentres, withoutDistances);
                Assert.That(with, Is.EqualTo(without), $"table seed={seed} hint={hint}");
                Assert.That(withCentres, Is.EqualTo(withoutCentres), $"table seed={seed} hint={hint}");
                Assert.That(withDistances, Is.EqualTo(withoutDistances), $"table seed={seed} hint={hint}");
            }
        }
    }

    [Test]
    public void Fit_SeveralInits_EqualsRunsWithoutSharedFirstDots()
    {
        // KMeans.Fit with n_init > 1 takes every run's first-centre dots in one shared pass; the best run must be bit for
        // bit the one the runs give computing their own first passes.
        Random r = new(9);
        double[] data = Make(5000, 16, () => r.NextDouble() + (r.Next(0, 4) * 0.3));
        float[] f = [.. data.Select(v => (float)v)];
        KMeansOptions o = new() { Clusters = 6, InitCount = 4, RandomState = 5 };
        KMeansModel fitted = new KMeans(o).Fit(new ReadOnlyMemory2D<float>(f, 5000, 16));
        KMeansSolver<float> solver = new(new ReadOnlyMemory2D<float>(f, 5000, 16));
        KMeansRuns<float> runs = new(solver, o);
        KMeansRuns<float>.RunAll([runs], null, CancellationToken.None);
        KMeansModel alone = runs.Best();
        Assert.That(fitted.Labels.ToArray(), Is.EqualTo(alone.Labels.ToArray()));
        Assert.That(fitted.Inertia, Is.EqualTo(alone.Inertia));
        Assert.That(fitted.Iterations, Is.EqualTo(alone.Iterations));
        Assert.That(fitted.ClusterCenters.ToArray(), Is.EqualTo(alone.ClusterCenters.ToArray()));
    }

    [TestCase(1, 8)]
    [TestCase(613, 13)]
    [TestCase(1030, 16)]
    public void Inertia_FloatRows_EqualsRowByRowDistancesAddedInRowThenChunkOrder(int n, int d)
    {
        // The exact inertia is sklearn's: each row's directly computed squared distance to its centre, added in row order
        // within a chunk of 256 rows, then the chunks in order (row counts with partial chunks and odd widths included).
        Random r = new(11);
        float[] x = [.. Enumerable.Range(0, n * d).Select(_ => (float)((r.NextDouble() * 4) - 1))];
        KMeansSolver<float> solver = new(new ReadOnlyMemory2D<float>(x, n, d));
        int k = 3;
        double[] centres = [.. Enumerable.Range(0, k * d).Select(_ => r.NextDouble() - 0.5)];
        int[] labels = [.. Enumerable.Range(0, n).Select(_ => r.Next(k))];
        double expected = 0;
        for (int first = 0; first < n; first += ChunkedRows.ChunkSize)
        {
            double chunk = 0;
            for (int i = first; i < Math.Min(n, first + ChunkedRows.ChunkSize); i++)
            {
                chunk += KMeansKernels.SquaredDistanceCentred<float>(x.AsSpan(i * d, d), solver.Mean, centres.AsSpan(labels[i] * d, d));
            }

            expected += chunk;
        }

        Assert.That(solver.Inertia(centres, labels), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(PlusPlusCases))]
    public void Lloyd_InertiaEstimate_BoundsTheExactInertia(double[] data, int d, int k)
    {
        // From the same start, the run that returns an estimate labels exactly as the one that returns the exact inertia;
        // the exact inertia is the solver's Inertia of the labels and centres bit for bit, and lies within the estimate's
        // error, which stays small next to the rows' total squares (the scale of the bound's terms; a far outlier makes it
        // wide, and Best then reads every row again). Runs stopped after a few iterations end with
        // an E-step that moves rows (the estimate needs those moves in the sums); runs left to converge stop on no moves.
        int n = data.Length / d;
        float[] f = [.. data.Select(v => (float)v)];
        KMeansSolver<float> solver = new(new ReadOnlyMemory2D<float>(f, n, d));
        double squares = 0;
        for (int i = 0; i < n * d; i++)
        {
            squares += Math.Pow(f[i] - solver.Mean[i % d], 2);
        }

        foreach (int iterations in new[] { 2, 4, 300 })
        {
            double[] start = new double[k * d];
            solver.KMeansPlusPlus(new Mt19937(4), k, new int[k], start);
            double[] exactCentres = (double[])start.Clone(), estimateCentres = (double[])start.Clone();
            int[] exactLabels = new int[n], estimateLabels = new int[n];
            (double exact, int ran, double none) = solver.Lloyd(exactCentres, k, iterations, 0, exactLabels, CancellationToken.None);
            (double estimate, int alsoRan, double error) = solver.Lloyd(estimateCentres, k, iterations, 0, estimateLabels, CancellationToken.None, exactInertia: false);
            string at = $"max_iter={iterations}";
            Assert.That(estimateLabels, Is.EqualTo(exactLabels), at);
            Assert.That(estimateCentres, Is.EqualTo(exactCentres), at);
            Assert.That(alsoRan, Is.EqualTo(ran), at);
            Assert.That(none, Is.Zero, at);
            Assert.That(solver.Inertia(exactCentres, exactLabels), Is.EqualTo(exact), at);
            Assert.That(error, Is.GreaterThan(0).And.LessThan(1e-6 * squares), at);
            Assert.That(Math.Abs(estimate - exact), Is.LessThanOrEqualTo(error), at);
        }
    }

    [Test]
    public void Best_InertiaEstimates_PickAsExactInertiasAndReportTheExactOne()
    {
        // Runs that return inertia estimates give the model that runs returning exact inertias give, bit for bit, and
        // Best computes the exact inertia of few runs beyond the best one (the estimates' intervals settle the rest).
        Random r = new(13);
        double[] data = Make(6000, 12, () => r.NextDouble() + (r.Next(0, 4) * 0.35));
        float[] f = [.. data.Select(v => (float)v)];
        KMeansSolver<float> solver = new(new ReadOnlyMemory2D<float>(f, 6000, 12));
        foreach (int clusters in new[] { 3, 7 })
        {
            KMeansOptions o = new() { Clusters = clusters, InitCount = 8, RandomState = 2 };
            KMeansRuns<float> estimated = new(solver, o), exact = new(solver, o) { ExactInertia = true };
            KMeansRuns<float>.RunAll([estimated, exact], null, CancellationToken.None);
            KMeansModel a = estimated.Best(), b = exact.Best();
            Assert.That(a.Inertia, Is.EqualTo(b.Inertia), $"k={clusters}");
            Assert.That(a.Labels.ToArray(), Is.EqualTo(b.Labels.ToArray()), $"k={clusters}");
            Assert.That(a.ClusterCenters.ToArray(), Is.EqualTo(b.ClusterCenters.ToArray()), $"k={clusters}");
            Assert.That(a.Iterations, Is.EqualTo(b.Iterations), $"k={clusters}");
            Assert.That(exact.ExactInertias, Is.Zero, $"k={clusters}");
            Assert.That(estimated.ExactInertias, Is.InRange(1, 3), $"k={clusters}");
        }
    }

    [Test]
    public void Lloyd_MoreIterations_AllocatesNothingPerIteration()
    {
        Random r = new(3);
        float[] x = [.. Enumerable.Range(0, 3000 * 10).Select(i => (float)((r.NextDouble() * 3) + Math.Sin(i / 10)))];
        KMeansSolver<float> solver = new(new ReadOnlyMemory2D<float>(x, 3000, 10));
        int[] labels = new int[3000];
        long Allocated(int iterations)
        {
            double[] centres = new double[7 * 10];
            solver.KMeansPlusPlus(new Mt19937(2), 7, new int[7], centres);
            long before = GC.GetAllocatedBytesForCurrentThread();
            (_, int ran, _) = solver.Lloyd(centres, 7, iterations, 0, labels, CancellationToken.None);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(ran, Is.EqualTo(iterations)); // the run did not converge earlier
            return bytes;
        }

        try
        {
            ChunkedRows.ForceSequential = true; // Parallel.For itself allocates per call
            Allocated(3); // warm-up (thread-static scratch buffers)
            Assert.That(Allocated(12), Is.EqualTo(Allocated(3)));
        }
        finally
        {
            ChunkedRows.ForceSequential = false;
        }
    }

    private static double[] Make(int n, int d, Func<double> value)
    {
        double[] x = new double[n * d];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = value();
        }

        return x;
    }
}
