using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The two-steps-per-pass SAG/SAGA loop (<see cref="SagLanePairSolver"/>) against the one-step loop on pixels.</summary>
public class SagPairTests
{
    // Odd, so every epoch ends with a single step and the pairs straddle epochs differently each time.
    private const int Rows = 1999;

    // The pair loop takes the second sample's dot product before the first one's update and adds that update back as
    // (x_b·x_a)·(coef, δ) instead of summing it in feature by feature, and it sums over the union of both rows'
    // non-zeros; the updates themselves get the same roundings. That only reorders roundings (a few ulp per step):
    // observed ≤ 3e-14 relative to max|W| over 40 epochs, so 1e-12 is tight yet far above that noise and far below the
    // 1e-6 parity bound with sklearn (the same bound as the dense passes' test).
    private const double RelativeTolerance = 1e-12;

    private static readonly Lazy<float[]> s_pixels = new(() => LogisticRegressionData.ToFloat(LogisticRegressionData.Train(Rows)));

    /// <summary>Multinomial/OvR × saga/sag, converging and not: shared with <see cref="SagSplitTests"/>.</summary>
    internal static IEnumerable<TestCaseData> Cases()
    {
        foreach (bool multinomial in new[] { true, false })
        {
            foreach (bool saga in new[] { true, false })
            {
                string name = (multinomial ? "multinomial " : "ovr ") + (saga ? "saga" : "sag");
                yield return new TestCaseData(multinomial, saga, 3e-2, 40).SetArgDisplayNames(name, "tol 3e-2");
                yield return new TestCaseData(multinomial, saga, 0.0, 5).SetArgDisplayNames(name, "not converged");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    [Category("Dataset")]
    public void Solve_PairsVsOneStepOnPixels_SameIterationsAndPredictionsCoefWithinRounding(bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        ReadOnlySpan2D<float> xs = new(s_pixels.Value, Rows, 784);
        int[] labels = LogisticRegressionData.TrainLabels(Rows).ToArray();
        double alphaScaled = 1.0 / Rows;
        double step = SagProblem.AutoStepSize(SparseRows.ScanMaxSquaredSum(xs, "x"), alphaScaled, true, Rows, saga);
        SagProblem p = new(10, multinomial, saga, alphaScaled, 0.0, step, maxIterations, tolerance, 209652396u, true);
        Assert.That(SagLanePairSolver.Applies(Rows, p), Is.True, "C = 1 never needs a flush within an epoch");

        SagResult[] pairs = SagLaneSolver.Solve(xs, labels, p, 0, default, dense: false, pairs: true, quads: false);
        SagResult[] oneStep = SagLaneSolver.Solve(xs, labels, p, 0, default, dense: false, pairs: false);

        SagDenseTests.AssertAgree(pairs, oneStep, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertSamePredictions(pairs, oneStep, xs, multinomial);
    }

    [Test]
    public void Applies_StrongPenalty_FallsBackToOneStepLoop()
    {
        // C = 1e-4: η·α ≈ 25 per epoch, so the scale e^−25 drops below sklearn's 1e-9 flush threshold mid-epoch.
        int n = 1000;
        double alphaScaled = 1e4 / n;
        double step = SagProblem.AutoStepSize(500.0, alphaScaled, true, n, true);
        SagProblem p = new(10, true, true, alphaScaled, 0.0, step, 3, 1e-4, 1u, true);
        Assert.That(SagLanePairSolver.Applies(n, p), Is.False);
    }
}
