using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The four-steps-per-pass SAG/SAGA loop (<see cref="SagLaneQuadSolver"/>) against the pair loop on pixels.</summary>
public class SagQuadTests
{
    // 3 mod 4, so every epoch ends with a quad of three steps and the quads straddle epochs differently each time.
    private const int Rows = 1999;

    // The quad loop takes sample r's dot product before the updates of samples 0 … r−1 of its quad and adds them back as
    // Σ (x_r·x_q)·(coef_q, δ_q) (the pair loop: one such term, for the second sample of a pair) and sums over the union
    // of four rows' non-zeros; the updates themselves get the same roundings. That only reorders roundings (a few ulp
    // per step), as for the pair loop against the one-step loop, so the same bound applies: 1e-12 relative to max|W|
    // over 40 epochs, far below the 1e-6 parity bound with sklearn.
    private const double RelativeTolerance = 1e-12;

    private static readonly Lazy<float[]> s_pixels = new(() => LogisticRegressionData.ToFloat(LogisticRegressionData.Train(Rows + 1)));

    [TestCaseSource(typeof(SagPairTests), nameof(SagPairTests.Cases))]
    [Category("Dataset")]
    public void Solve_QuadsVsPairsOnPixels_SameIterationsAndPredictionsCoefWithinRounding(bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(Rows, multinomial, saga, tolerance, maxIterations, fitIntercept: true);
        ReadOnlySpan2D<float> xs = x.Span;

        SagResult[] quads = SagLaneSolver.Solve(xs, labels, p, 0, default, dense: false);
        SagResult[] pairs = SagLaneSolver.Solve(xs, labels, p, 0, default, dense: false, quads: false);

        SagDenseTests.AssertAgree(quads, pairs, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertSamePredictions(quads, pairs, xs, multinomial);
    }

    // Dense rows run the quad loop over all features: on HOG rows (~23% zeros) that adds exact zeros to what the loop
    // over the quads' non-zero columns computes, and sums each dot product in feature order instead of over the
    // current quad's columns first and the next quad's other columns after: only summation order changes.
    [TestCaseSource(typeof(SagPairTests), nameof(SagPairTests.Cases))]
    [Category("Dataset")]
    public void Solve_AllFeaturesVsNonZeroColumnsOnHog_SameIterationsAndPredictionsCoefWithinRounding(bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        ReadOnlySpan2D<float> x = SagDenseTests.HogRows.Span;
        (int[] labels, SagProblem p) = HogProblem(x, multinomial, saga, tolerance, maxIterations);

        SagResult[] all = SagLaneQuadSolver.Solve(x, labels, p, 0, default, denseRows: true);
        SagResult[] nonZero = SagLaneQuadSolver.Solve(x, labels, p, 0, default, denseRows: false);

        SagDenseTests.AssertAgree(all, nonZero, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertSamePredictions(all, nonZero, x, multinomial);
    }

    // Dense rows of at least 32 features (the study's PCA has 40, HOG 72, PCA+HOG 112) take that loop; narrower ones
    // the dense passes. The rows: HOG's first d features, or all 72 and as many of them again as the width needs.
    [TestCase(24)]
    [TestCase(31)]
    [TestCase(32)]
    [TestCase(40)]
    [TestCase(144)]
    [Category("Dataset")]
    public void Solve_WideDenseRows_TakeTheQuadLoopOverAllFeatures(int d)
    {
        bool wide = d >= 32;
        ReadOnlySpan2D<float> hog = SagDenseTests.HogRows.Span;
        float[] values = new float[hog.Height * d];
        for (int i = 0; i < hog.Height; i++)
        {
            ReadOnlySpan<float> row = hog.GetRowSpan(i);
            row[..Math.Min(d, hog.Width)].CopyTo(values.AsSpan(i * d));
            if (d > hog.Width)
            {
                row[..(d - hog.Width)].CopyTo(values.AsSpan((i * d) + hog.Width));
            }
        }

        ReadOnlySpan2D<float> x = new(values, hog.Height, d);
        (int[] labels, SagProblem p) = HogProblem(x, true, true, 0.0, 3);
        Assert.That(SagLaneSolver.IsDense(x), Is.True);

        SagResult[] solved = SagLaneSolver.Solve(x, labels, p, 0, default);
        SagResult[] quads = SagLaneQuadSolver.Solve(x, labels, p, 0, default, denseRows: true);
        SagResult[] densePasses = SagLaneSolver.Solve(x, labels, p, 0, default, dense: true, quads: false);

        SagSplitTests.AssertIdentical(solved, wide ? quads : densePasses);
        Assert.That(solved[0].Weights, Is.Not.EqualTo(wide ? densePasses[0].Weights : quads[0].Weights), "the two loops round differently");
    }

    private static (int[] Labels, SagProblem P) HogProblem(ReadOnlySpan2D<float> x, bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        int rows = x.Height;
        int[] labels = LogisticRegressionData.TrainLabels(rows).ToArray();
        double alphaScaled = 1.0 / rows;
        double step = SagProblem.AutoStepSize(SparseRows.ScanMaxSquaredSum(x, "x"), alphaScaled, true, rows, saga);
        return (labels, new SagProblem(10, multinomial, saga, alphaScaled, 0.0, step, maxIterations, tolerance, 209652396u, true));
    }

    // Every remainder mod 4 (the last quad of an epoch 1–4 steps long), with and without the intercept.
    [TestCase(1997, true)]
    [TestCase(1998, false)]
    [TestCase(1999, false)]
    [TestCase(2000, true)]
    [Category("Dataset")]
    public void Solve_EveryEpochRemainder_SameAsPairs(int rows, bool fitIntercept)
    {
        foreach (bool multinomial in new[] { true, false })
        {
            (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(rows, multinomial, true, 0.0, 4, fitIntercept);
            ReadOnlySpan2D<float> xs = x.Span;

            SagResult[] quads = SagLaneSolver.Solve(xs, labels, p, 0, default, dense: false);
            SagResult[] pairs = SagLaneSolver.Solve(xs, labels, p, 0, default, dense: false, quads: false);

            SagDenseTests.AssertAgree(quads, pairs, RelativeTolerance, false);
            SagDenseTests.AssertSamePredictions(quads, pairs, xs, multinomial);
            if (!fitIntercept)
            {
                Assert.That(quads.All(r => r.Intercept.All(b => b == 0)), "no intercept fitted");
            }
        }
    }

    [Test]
    [Category("Dataset")]
    public void Solve_MoreEpochs_NoMoreAllocation()
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(Rows, true, true, 0.0, 2, fitIntercept: true);
        ReadOnlySpan2D<float> xs = x.Span;
        SagLaneQuadSolver.Solve(xs, labels, p, 0, default);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SagLaneQuadSolver.Solve(xs, labels, p, 0, default);
        long twoEpochs = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        SagLaneQuadSolver.Solve(xs, labels, p with { MaxIterations = 6 }, 0, default);
        long sixEpochs = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(sixEpochs, Is.EqualTo(twoEpochs), "bytes allocated by 6 epochs vs 2");
    }

    private static (ReadOnlyMemory2D<float> X, int[] Labels, SagProblem P) Problem(int rows, bool multinomial, bool saga, double tolerance, int maxIterations, bool fitIntercept)
    {
        ReadOnlyMemory2D<float> x = new(s_pixels.Value, 0, rows, 784, 0);
        int[] labels = LogisticRegressionData.TrainLabels(rows).ToArray();
        double alphaScaled = 1.0 / rows;
        double step = SagProblem.AutoStepSize(SparseRows.ScanMaxSquaredSum(x.Span, "x"), alphaScaled, fitIntercept, rows, saga);
        SagProblem p = new(10, multinomial, saga, alphaScaled, 0.0, step, maxIterations, tolerance, 209652396u, fitIntercept);
        Assert.That(SagLanePairSolver.Applies(rows, p), Is.True, "C = 1 never needs a flush within an epoch");
        return (x, labels, p);
    }
}
