using System.Runtime.Intrinsics;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The dense SAG/SAGA passes (<see cref="SagLaneDenseKernels"/>) against the indexed ones on real features.</summary>
public class SagDenseTests
{
    private const int Rows = 2000;

    // The dense passes apply a step's update one step late and add it back to the next dot product as
    // (x_t·x_{t−1})·(coef, δ) instead of summing x_t·(U + x_{t−1}·coef) feature by feature; on HOG rows (~23% zeros)
    // they also split the sum into accumulator sets by feature index rather than by position among the non-zeros.
    // Both only reorder roundings (a few ulp per step); over tens of epochs that stays ~1e-15–1e-14 relative to max|W|
    // (observed ≤ 6e-15), so 1e-12 is tight yet far above that noise and far below the 1e-6 parity bound with sklearn.
    private const double RelativeTolerance = 1e-12;

    /// <summary>HOG (8 orientations) of the first <see cref="Rows"/> training images: <see cref="Rows"/>×72.</summary>
    internal static ReadOnlyMemory2D<float> HogRows => new(s_hog.Value, Rows, s_hog.Value.Length / Rows);

    private static readonly Lazy<float[]> s_hog = new(() =>
    {
        float[] pixels = TestData.FashionMnist.Train.ToFloatPixels();
        HogModel hog = new(new HogOptions { Orientations = 8 });
        float[] features = new float[Rows * hog.OutputFeatureCount];
        hog.Transform(new ReadOnlySpan2D<float>(pixels, Rows, 784), new Span2D<float>(features, Rows, hog.OutputFeatureCount));
        return features;
    });

    private static readonly Lazy<double[]> s_pca = new(() =>
    {
        ReadOnlyMemory2D<double> x = LogisticRegressionData.Train(Rows);
        PcaModel pca = new Pca(new PcaOptions { Components = 40 }).Fit(x);
        double[] features = new double[Rows * 40];
        pca.Transform(x.Span, new Span2D<double>(features, Rows, 40));
        return features;
    });

    private static int[] Labels => LogisticRegressionData.TrainLabels(Rows).ToArray();

    // (multinomial, tolerance, max epochs): stops on the per-epoch test early, late, or never (tol 0).
    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (bool multinomial in new[] { true, false })
        {
            yield return new TestCaseData(multinomial, 3e-2, 40).SetArgDisplayNames(multinomial ? "multinomial" : "ovr", "tol 3e-2");
            yield return new TestCaseData(multinomial, 1e-2, 40).SetArgDisplayNames(multinomial ? "multinomial" : "ovr", "tol 1e-2");
            yield return new TestCaseData(multinomial, 0.0, 6).SetArgDisplayNames(multinomial ? "multinomial" : "ovr", "not converged");
        }
    }

    [TestCaseSource(nameof(Cases))]
    [Category("Dataset")]
    public void Solve_DenseVsIndexedOnHog_SameIterationsAndPredictionsCoefWithinRounding(bool multinomial, double tolerance, int maxIterations)
    {
        float[] x = s_hog.Value;
        int d = x.Length / Rows;
        ReadOnlySpan2D<float> xs = new(x, Rows, d);
        Assert.That(SagLaneSolver.IsDense(xs), Is.True, "HOG rows are selected for the dense passes");
        Assert.That(Array.IndexOf(x, 0f), Is.GreaterThanOrEqualTo(0), "the HOG rows have zeros (else this only repeats the PCA case)");
        SagProblem p = Problem(SparseRows.ScanMaxSquaredSum(xs, "x"), multinomial, tolerance, maxIterations);

        SagResult[] dense = SagLaneSolver.Solve(xs, Labels, p, 0, default, dense: true);
        SagResult[] indexed = SagLaneSolver.Solve(xs, Labels, p, 0, default, dense: false);

        AssertAgree(dense, indexed, RelativeTolerance, tolerance > 0);
        AssertSamePredictions(dense, indexed, xs, multinomial);
    }

    [TestCaseSource(nameof(Cases))]
    [Category("Dataset")]
    public void Solve_DenseVsIndexedOnPca_SameIterationsAndPredictionsCoefWithinRounding(bool multinomial, double tolerance, int maxIterations)
    {
        double[] x = s_pca.Value;
        ReadOnlySpan2D<double> xs = new(x, Rows, 40);
        Assert.That(Array.IndexOf(x, 0.0), Is.EqualTo(-1), "PCA rows have no zeros");
        SagProblem p = Problem(SparseRows.ScanMaxSquaredSum(xs, "x"), multinomial, tolerance, maxIterations);

        SagResult[] dense = SagLaneSolver.Solve(xs, Labels, p, 0, default, dense: true);
        SagResult[] indexed = SagLaneSolver.Solve(xs, Labels, p, 0, default, dense: false);

        AssertAgree(dense, indexed, RelativeTolerance, tolerance > 0);
        AssertSamePredictions(dense, indexed, xs, multinomial);
    }

    // The fused dense pass with its 512-bit block parts stored whole or as two 256-bit halves (the latter is what Zen 4
    // runs): the same values at the same places, so the same blocks and dot products bit for bit, on any CPU.
    [Test]
    [Category("Dataset")]
    public void UpdateDot_HalfStores_SameBitsAsWholeStores()
    {
        ReadOnlySpan2D<float> x = HogRows.Span;
        int d = x.Width;
        var random = new Random(7);
        double[] start = new double[(((d + 1) / 2) * 2 * SagLaneKernels.Block) + 8];
        for (int i = 0; i < start.Length; i++)
        {
            start[i] = random.NextDouble() - 0.5;
        }

        SagLanes coef = Lanes(random), delta = Lanes(random);
        double[] whole = (double[])start.Clone(), halves = (double[])start.Clone();
        for (int t = 0; t + 1 < 50; t++)
        {
            SagLaneKernels.Accumulators a = default, b = default;
            SagLaneDenseKernels.UpdateDot<float, SagLaneDenseKernels.WholeStores>(x.GetRowSpan(t), x.GetRowSpan(t + 1), ref whole[0], coef, delta, ref a);
            SagLaneDenseKernels.UpdateDot<float, SagLaneDenseKernels.HalfStores>(x.GetRowSpan(t), x.GetRowSpan(t + 1), ref halves[0], coef, delta, ref b);
            Assert.That(Bits(b), Is.EqualTo(Bits(a)), $"dot products after step {t}");
        }

        Assert.That(halves, Is.EqualTo(whole), "blocks");
        Assert.That(halves, Is.Not.EqualTo(start), "the steps changed the blocks");
    }

    private static SagLanes Lanes(Random random) => new(
        Vector256.Create(random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5),
        Vector256.Create(random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5, random.NextDouble() - 0.5),
        Vector256.Create(random.NextDouble() - 0.5, random.NextDouble() - 0.5, 0.0, 0.0));

    // Every accumulator lane of both sets, as raw bits.
    private static byte[] Bits(SagLaneKernels.Accumulators acc) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<SagLaneKernels.Accumulators>(ref acc)).ToArray();

    [Test]
    public void IsDense_PixelRows_PicksIndexedPasses()
    {
        ReadOnlySpan2D<double> pixels = LogisticRegressionData.Train(200).Span;
        Assert.That(SagLaneSolver.IsDense(pixels), Is.False);
    }

    private static SagProblem Problem(double maxSquaredSum, bool multinomial, double tolerance, int maxIterations)
    {
        // C = 1 as in the study: α = 1/C, scaled by n.
        double alphaScaled = 1.0 / Rows;
        double step = SagProblem.AutoStepSize(maxSquaredSum, alphaScaled, true, Rows, true);
        return new SagProblem(10, multinomial, true, alphaScaled, 0.0, step, maxIterations, tolerance, 209652396u, true);
    }

    internal static void AssertAgree(SagResult[] dense, SagResult[] indexed, double relativeTolerance, bool converges)
    {
        Assert.That(dense, Has.Length.EqualTo(indexed.Length));
        bool anyConverged = false;
        for (int c = 0; c < dense.Length; c++)
        {
            Assert.That(dense[c].Iterations, Is.EqualTo(indexed[c].Iterations), $"n_iter_ of result {c}");
            Assert.That(dense[c].Converged, Is.EqualTo(indexed[c].Converged), $"converged flag of result {c}");
            anyConverged |= dense[c].Converged;
            double max = indexed[c].Weights.Max(Math.Abs);
            double bound = relativeTolerance * max;
            Assert.That(dense[c].Weights, Is.EqualTo(indexed[c].Weights).Within(bound), $"weights of result {c}");
            Assert.That(dense[c].Intercept, Is.EqualTo(indexed[c].Intercept).Within(bound), $"intercepts of result {c}");
        }

        // Guards that the cases exercise what they are named for: the stopping test, or running out of epochs.
        Assert.That(anyConverged, Is.EqualTo(converges), "some problem met the stopping test");
        TestContext.Out.WriteLine($"n_iter_ {string.Join(' ', dense.Select(r => r.Iterations))}, max relative difference {dense.Zip(indexed).Max(r => r.First.Weights.Zip(r.Second.Weights).Max(v => Math.Abs(v.First - v.Second)) / r.Second.Weights.Max(Math.Abs)):G3}");
    }

    internal static void AssertSamePredictions<T>(SagResult[] dense, SagResult[] indexed, ReadOnlySpan2D<T> x, bool multinomial)
        where T : unmanaged
    {
        int d = x.Width;
        int mismatches = 0;
        for (int i = 0; i < x.Height; i++)
        {
            ReadOnlySpan<T> row = x.GetRowSpan(i);
            mismatches += Predict(dense, row, d, multinomial) == Predict(indexed, row, d, multinomial) ? 0 : 1;
        }

        Assert.That(mismatches, Is.Zero, "predictions");
    }

    private static int Predict<T>(SagResult[] results, ReadOnlySpan<T> row, int d, bool multinomial)
        where T : unmanaged
    {
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int c = 0; c < 10; c++)
        {
            (double[] w, double b, int k, int lane) = multinomial ? (results[0].Weights, results[0].Intercept[c], 10, c) : (results[c].Weights, results[c].Intercept[0], 1, 0);
            double score = b;
            for (int j = 0; j < d; j++)
            {
                score += SagKernels.Value(row, j) * w[(j * k) + lane];
            }

            if (score > bestScore)
            {
                (best, bestScore) = (c, score);
            }
        }

        return best;
    }
}
