using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// SAG/SAGA on byte rows times a scale (<see cref="LogisticRegression.Fit(ReadOnlyMemory2D{byte}, double, ReadOnlyMemory{int}, CancellationToken)"/>):
/// the two-thread split on the bytes themselves (<see cref="SagProblem.RowScale"/>), every other fit on the widened values.
/// </summary>
[NonParallelizable]
public class SagByteRowsTests
{
    // 7 mod 8, so every epoch ends with an octet of seven steps (as SagSplitTests).
    private const int Rows = 1999;
    private const double Scale = 1.0 / 255;

    private static readonly Lazy<byte[]> s_pixels = new(() => TestData.FashionMnist.Train.Pixels.ToArray());

    // Byte rows with scale 1 hold exactly what float rows of the same integers hold, and every sum the split forms of
    // them is exact in either (products ≤ 255², sums far below 2^53), so the two must agree to the bit: the byte loads,
    // the non-zero lists, the integer row products and the max_squared_sum scan.
    [TestCase(true)]
    [TestCase(false)]
    [Category("Dataset")]
    public void Solve_ByteRowsOfScaleOne_IdenticalToFloatRowsOfTheSameIntegers(bool multinomial)
    {
        ReadOnlyMemory2D<byte> bytes = new(s_pixels.Value, 0, Rows, 784, 0);
        float[] integers = [.. s_pixels.Value.AsSpan(0, Rows * 784).ToArray().Select(v => (float)v)];
        ReadOnlyMemory2D<float> floats = new(integers, Rows, 784);
        double maxSquares = SparseRows.ScanMaxSquaredSum(floats.Span, "x");
        Assert.That(SparseRows.ScanMaxSquaredSum(bytes.Span, "x"), Is.EqualTo(maxSquares), "max_squared_sum");
        SagProblem p = Problem(maxSquares, multinomial, true, 0.0, 2);

        SagResult[] fromBytes = SagLaneSplitSolver.Solve(bytes, Labels(Rows), p, 0, default, partner: true);
        SagResult[] fromFloats = SagLaneSplitSolver.Solve(floats, Labels(Rows), p, 0, default, partner: true);

        SagSplitTests.AssertIdentical(fromBytes, fromFloats);
    }

    // The scale enters the split's sums (dot products ·s, row products ·s², applied δs ·s) instead of the values, so the
    // result agrees with the split on the widened values x·s to rounding: the bound of the split against the quad loop.
    [TestCaseSource(typeof(SagPairTests), nameof(SagPairTests.Cases))]
    [Category("Dataset")]
    public void Solve_ByteRowsScaled_AgreeWithDoubleRowsOfTheScaledValues(bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        ReadOnlyMemory2D<byte> bytes = new(s_pixels.Value, 0, Rows, 784, 0);
        ReadOnlyMemory2D<double> scaled = Widened(Rows);
        SagProblem p = Problem(SparseRows.ScanMaxSquaredSum(scaled.Span, "x"), multinomial, saga, tolerance, maxIterations);

        SagResult[] fromBytes = SagLaneSplitSolver.Solve(bytes, Labels(Rows), p with { RowScale = Scale }, 0, default);
        SagResult[] fromDoubles = SagLaneSplitSolver.Solve(scaled, Labels(Rows), p, 0, default);

        SagDenseTests.AssertAgree(fromBytes, fromDoubles, 1e-12, tolerance > 0);
        SagDenseTests.AssertSamePredictions(fromBytes, fromDoubles, scaled.Span, multinomial);
    }

    // Two threads, one thread alternating, and the partner's worker taken over in epoch 1 and handed back in epoch 3:
    // the same bits (the scale changes nothing about who computes what).
    [TestCase(true)]
    [TestCase(false)]
    [Category("Dataset")]
    public void Solve_ByteRows_SameBitsOnTwoThreadsAlternatingAndHandedOver(bool multinomial)
    {
        ReadOnlyMemory2D<byte> bytes = new(s_pixels.Value, 0, Rows, 784, 0);
        SagProblem p = Problem(SparseRows.ScanMaxSquaredSum(bytes.Span, "x") * Scale * Scale, multinomial, true, 0.0, 3) with { RowScale = Scale };

        SagResult[] alternating = SagLaneSplitSolver.Solve(bytes, Labels(Rows), p, 0, default, partner: false);
        SagResult[] two = SagLaneSplitSolver.Solve(bytes, Labels(Rows), p, 0, default, partner: true);
        SagResult[] handedBack = SagLaneSplitSolver.Solve(bytes, Labels(Rows), p, 0, default, partner: true, handOverRound: 189, handBackRound: 625);

        SagSplitTests.AssertIdentical(two, alternating);
        SagSplitTests.AssertIdentical(handedBack, alternating);
    }

    [Test]
    [Category("Dataset")]
    public void Solve_ByteRows_MoreEpochsNoMoreAllocation()
    {
        ReadOnlyMemory2D<byte> bytes = new(s_pixels.Value, 0, Rows, 784, 0);
        SagProblem p = Problem(SparseRows.ScanMaxSquaredSum(bytes.Span, "x") * Scale * Scale, true, true, 0.0, 2) with { RowScale = Scale };
        SagLaneSplitSolver.Solve(bytes, Labels(Rows), p, 0, default, partner: false);

        int[] labels = Labels(Rows);
        (long twoEpochs, long sixEpochs) = SagSplitTests.OneThreadBytes(epochs => SagLaneSplitSolver.Solve(bytes, labels, p with { MaxIterations = epochs }, 0, default, partner: false));

        Assert.That(sixEpochs, Is.EqualTo(twoEpochs), "bytes allocated by 6 epochs vs 2 (one thread)");
    }

    // 6 000 rows (n·d ≥ 2^22): the multinomial SAGA fit takes the split on the bytes, within rounding of the fit on the
    // widened values, with the same n_iter_ and predictions.
    [Test]
    [Category("Dataset")]
    public void Fit_LargeByteRows_WithinRoundingOfTheWidenedValues()
    {
        const int Large = 6000;
        LogisticRegression estimator = new(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 4, RandomState = 3 });
        Assume.That(SagLaneSplitSolver.MayApply(new ReadOnlySpan2D<byte>(s_pixels.Value, Large, 784)), Is.True, "two threads allowed");

        // The split read the bytes: no widened copy (37.6 MB of doubles).
        AssertReadsTheBytesWithinRounding(estimator, Large);
    }

    // The fit of the first `rows` byte rows allocates less than a byte per value on this thread (no widened copy: 8 bytes
    // per value) and agrees with the fit on the widened values within 1e-12, with the same n_iter_ and test predictions.
    private static void AssertReadsTheBytesWithinRounding(LogisticRegression estimator, int rows)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        LogisticRegressionModel fromBytes = estimator.Fit(new ReadOnlyMemory2D<byte>(s_pixels.Value, 0, rows, 784, 0), Scale, LogisticRegressionData.TrainLabels(rows));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        LogisticRegressionModel fromDoubles = estimator.Fit(Widened(rows), LogisticRegressionData.TrainLabels(rows));

        Assert.That(allocated, Is.LessThan(rows * 784L), "bytes allocated by the byte fit");
        Assert.That(fromBytes.Iterations.ToArray(), Is.EqualTo(fromDoubles.Iterations.ToArray()));
        AssertWithin(fromBytes, fromDoubles, 1e-12);
        ReadOnlySpan2D<double> test = LogisticRegressionData.Test(2000).Span;
        int[] a = new int[2000];
        int[] b = new int[2000];
        fromBytes.Predict(test, a);
        fromDoubles.Predict(test, b);
        Assert.That(a, Is.EqualTo(b), "test predictions");
    }

    // Rows too few for the split: SAG/SAGA without an L1 part run the one-thread quad loop on the bytes (each quad widened
    // times the scale into a buffer; max_squared_sum from the bytes' integer scan, so within rounding of the fit on the
    // widened values, not bit for bit), with no widened copy of the rows.
    [TestCase(LogisticRegressionSolver.Saga, LogisticRegressionMultiClass.Auto)]
    [TestCase(LogisticRegressionSolver.Sag, LogisticRegressionMultiClass.Ovr)]
    [TestCase(LogisticRegressionSolver.Saga, LogisticRegressionMultiClass.Multinomial)]
    [Category("Dataset")]
    public void Fit_SmallByteRows_QuadLoopOnTheBytesWithinRoundingOfTheWidenedValues(LogisticRegressionSolver solver, LogisticRegressionMultiClass multiClass)
    {
        LogisticRegression estimator = new(new LogisticRegressionOptions { Solver = solver, MultiClass = multiClass, MaxIterations = 3, RandomState = 0 });

        AssertReadsTheBytesWithinRounding(estimator, 500);
    }

    // Fits that neither loop on bytes runs widen the bytes to x·scale and fit those: the same bits as a fit on them.
    // Here on 500 rows: SAGA with L1 (the prox), lbfgs, and dense rows of under 32 features (the dense passes); below,
    // large rows off the split.
    [TestCase(LogisticRegressionSolver.Saga, LogisticRegressionPenalty.L1, LogisticRegressionMultiClass.Auto)]
    [TestCase(LogisticRegressionSolver.Lbfgs, LogisticRegressionPenalty.L2, LogisticRegressionMultiClass.Auto)]
    [Category("Dataset")]
    public void Fit_ByteRowsOffTheSplit_SameModelAsTheWidenedValues(LogisticRegressionSolver solver, LogisticRegressionPenalty penalty, LogisticRegressionMultiClass multiClass)
    {
        const int Small = 500;
        LogisticRegression estimator = new(new LogisticRegressionOptions { Solver = solver, Penalty = penalty, MultiClass = multiClass, MaxIterations = 3, RandomState = 0 });

        LogisticRegressionModel fromBytes = estimator.Fit(new ReadOnlyMemory2D<byte>(s_pixels.Value, 0, Small, 784, 0), Scale, LogisticRegressionData.TrainLabels(Small));
        LogisticRegressionModel fromDoubles = estimator.Fit(Widened(Small), LogisticRegressionData.TrainLabels(Small));

        Assert.That(fromBytes.Iterations.ToArray(), Is.EqualTo(fromDoubles.Iterations.ToArray()));
        AssertWithin(fromBytes, fromDoubles, 0.0);
    }

    [Test]
    [Category("Dataset")]
    public void Fit_DenseNarrowByteRows_SameModelAsTheWidenedValues()
    {
        const int Small = 500;
        const int Width = 20;
        Random random = new(43);
        byte[] dense = [.. Enumerable.Range(0, Small * Width).Select(_ => (byte)random.Next(1, 256))];
        LogisticRegression estimator = new(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 3, RandomState = 0 });

        LogisticRegressionModel fromBytes = estimator.Fit(new ReadOnlyMemory2D<byte>(dense, Small, Width), Scale, LogisticRegressionData.TrainLabels(Small));
        LogisticRegressionModel fromDoubles = estimator.Fit(
            new ReadOnlyMemory2D<double>([.. dense.Select(v => v * Scale)], Small, Width), LogisticRegressionData.TrainLabels(Small));

        Assert.That(fromBytes.Iterations.ToArray(), Is.EqualTo(fromDoubles.Iterations.ToArray()));
        AssertWithin(fromBytes, fromDoubles, 0.0);
    }

    // 6 000 rows, large enough for the split, yet off it: a penalty so strong that the split's weight scale could
    // underflow (C = 1e-4), and sklearn's lagged updates (forced; otherwise for rows so large that x·A could overflow).
    // Each is set up from the widened values' own scan: the same bits as the fit on them.
    [TestCase(1e-4, false)]
    [TestCase(1.0, true)]
    [Category("Dataset")]
    public void Fit_LargeByteRowsOffTheSplit_SameModelAsTheWidenedValues(double c, bool lagged)
    {
        const int Large = 6000;
        LogisticRegressionOptions options = new() { Solver = LogisticRegressionSolver.Saga, C = c, MaxIterations = 2, RandomState = 5 };
        LogisticRegression estimator = new(options) { LaggedUpdates = lagged };

        LogisticRegressionModel fromBytes = estimator.Fit(new ReadOnlyMemory2D<byte>(s_pixels.Value, 0, Large, 784, 0), Scale, LogisticRegressionData.TrainLabels(Large));
        LogisticRegressionModel fromDoubles = estimator.Fit(Widened(Large), LogisticRegressionData.TrainLabels(Large));

        Assert.That(fromBytes.Iterations.ToArray(), Is.EqualTo(fromDoubles.Iterations.ToArray()));
        AssertWithin(fromBytes, fromDoubles, 0.0);
    }

    // A scale whose square overflows (1e200; 255·scale is finite, so it is valid) on rows of zeros: max_squared_sum is
    // scaled twice rather than by the square (0·∞ would be NaN, and the one-thread fit it then fell back to threw
    // ArithmeticException where the widened values' fit succeeds); a NaN step size would also send the fit to the
    // widened values now (the split's scale check fails for it).
    [Test]
    [Category("Dataset")]
    public void Fit_ZeroRowsWithAScaleWhoseSquareOverflows_SameModelAsTheWidenedValues()
    {
        const int Large = 6000;
        byte[] zeros = new byte[Large * 784];
        LogisticRegression estimator = new(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 2, RandomState = 0 });
        Assume.That(SagLaneSplitSolver.MayApply(new ReadOnlySpan2D<byte>(zeros, Large, 784)), Is.True, "two threads allowed");

        LogisticRegressionModel fromBytes = estimator.Fit(new ReadOnlyMemory2D<byte>(zeros, Large, 784), 1e200, LogisticRegressionData.TrainLabels(Large));
        LogisticRegressionModel fromDoubles = estimator.Fit(new ReadOnlyMemory2D<double>(new double[Large * 784], Large, 784), LogisticRegressionData.TrainLabels(Large));

        Assert.That(fromBytes.Iterations.ToArray(), Is.EqualTo(fromDoubles.Iterations.ToArray()));
        AssertWithin(fromBytes, fromDoubles, 1e-12);
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(1e307)]
    public void Fit_ByteRowsBadScale_ThrowsNamingTheScale(double scale)
    {
        byte[] values = new byte[20];
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(
            () => new LogisticRegression().Fit(new ReadOnlyMemory2D<byte>(values, 4, 5), scale, new[] { 0, 1, 0, 1 }))!;
        Assert.That(e.ParamName, Is.EqualTo("scale"));
    }

    [Test]
    public void Fit_ByteRowsLabelCountMismatch_ThrowsNamingTheLabels()
    {
        byte[] values = new byte[20];
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => new LogisticRegression().Fit(new ReadOnlyMemory2D<byte>(values, 4, 5), Scale, new[] { 0, 1, 0 }))!;
        Assert.That(e.ParamName, Is.EqualTo("y"));
    }

    private static void AssertWithin(LogisticRegressionModel a, LogisticRegressionModel b, double relative)
    {
        ReadOnlySpan2D<double> ca = a.Coefficients;
        ReadOnlySpan2D<double> cb = b.Coefficients;
        double magnitude = 0.0;
        double largest = 0.0;
        for (int c = 0; c < ca.Height; c++)
        {
            for (int j = 0; j < ca.Width; j++)
            {
                magnitude = Math.Max(magnitude, Math.Abs(cb[c, j]));
                largest = Math.Max(largest, Math.Abs(ca[c, j] - cb[c, j]));
            }
        }

        Assert.That(largest, Is.LessThanOrEqualTo(relative * magnitude), "coefficients");
        Assert.That(a.Intercept.ToArray(), Is.EqualTo(b.Intercept.ToArray()).Within(relative * Math.Max(1.0, b.Intercept.ToArray().Max(Math.Abs))), "intercepts");
    }

    // The first `rows` pixel rows as doubles x·(1/255), the values the byte fits mean.
    private static ReadOnlyMemory2D<double> Widened(int rows) =>
        new([.. s_pixels.Value.AsSpan(0, rows * 784).ToArray().Select(v => v * Scale)], rows, 784);

    private static int[] Labels(int rows) => LogisticRegressionData.TrainLabels(rows).ToArray();

    private static SagProblem Problem(double maxSquaredSum, bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        double alphaScaled = 1.0 / Rows;
        double step = SagProblem.AutoStepSize(maxSquaredSum, alphaScaled, true, Rows, saga);
        return new SagProblem(10, multinomial, saga, alphaScaled, 0.0, step, maxIterations, tolerance, 209652396u, true);
    }
}
