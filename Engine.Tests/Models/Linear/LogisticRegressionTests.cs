using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

public class LogisticRegressionTests
{
    private static readonly LogisticRegressionOptions s_saga = new() { MaxIterations = 2, RandomState = 0 };

    [Test]
    public void Validate_SolverWithoutL1Support_ThrowsNamingPenalty()
    {
        foreach (LogisticRegressionSolver solver in new[] { LogisticRegressionSolver.Sag, LogisticRegressionSolver.Lbfgs, LogisticRegressionSolver.NewtonCg })
        {
            foreach (LogisticRegressionPenalty penalty in new[] { LogisticRegressionPenalty.L1, LogisticRegressionPenalty.ElasticNet })
            {
                ArgumentException e = Assert.Throws<ArgumentException>(() => new LogisticRegression(new() { Solver = solver, Penalty = penalty, L1Ratio = 0.5 }))!;
                Assert.That(e.ParamName, Is.EqualTo("Penalty"));
                Assert.That(e.Message, Does.Contain(solver.ToString()));
            }
        }
    }

    [Test]
    public void Validate_ElasticNetWithoutRatio_ThrowsNamingL1Ratio()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new LogisticRegression(new() { Penalty = LogisticRegressionPenalty.ElasticNet }))!;
        Assert.That(e.ParamName, Is.EqualTo("L1Ratio"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(new() { Penalty = LogisticRegressionPenalty.ElasticNet, L1Ratio = 1.5 }))!.ParamName, Is.EqualTo("L1Ratio"));
    }

    // sklearn 1.2.1 checks l1_ratio's range with the other parameters, whatever the penalty.
    [TestCase(LogisticRegressionPenalty.L2, 2.0)]
    [TestCase(LogisticRegressionPenalty.None, -0.1)]
    [TestCase(LogisticRegressionPenalty.L1, double.NaN)]
    [TestCase(LogisticRegressionPenalty.L2, double.PositiveInfinity)]
    public void Validate_L1RatioOutOfRangeWithAnyPenalty_ThrowsNamingL1Ratio(LogisticRegressionPenalty penalty, double ratio) =>
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(new() { Penalty = penalty, L1Ratio = ratio }))!.ParamName, Is.EqualTo("L1Ratio"));

    [Test]
    public void Validate_L1RatioInRangeWithoutElasticNet_Accepted()
    {
        Assert.DoesNotThrow(() => new LogisticRegression(new() { Penalty = LogisticRegressionPenalty.L2, L1Ratio = 0.5 }));
        Assert.DoesNotThrow(() => new LogisticRegression(new() { Penalty = LogisticRegressionPenalty.None, L1Ratio = 1.0 }));
    }

    // The UserWarnings of sklearn 1.2.1's LogisticRegression(penalty, l1_ratio, C, solver='saga').fit on a 4-row problem
    // (warnings.catch_warnings(record=True), convergence warnings left out): "l1_ratio parameter is only used when
    // penalty is 'elasticnet'" → L1Ratio, "Setting penalty=None will ignore the C and l1_ratio parameters" → C.
    [TestCase(LogisticRegressionPenalty.L2, null, 1.0, new string[0])]
    [TestCase(LogisticRegressionPenalty.L2, null, 2.0, new string[0])]
    [TestCase(LogisticRegressionPenalty.L2, 0.5, 1.0, new[] { "L1Ratio" })]
    [TestCase(LogisticRegressionPenalty.L2, 0.5, 2.0, new[] { "L1Ratio" })]
    [TestCase(LogisticRegressionPenalty.L1, null, 2.0, new string[0])]
    [TestCase(LogisticRegressionPenalty.L1, 0.5, 1.0, new[] { "L1Ratio" })]
    [TestCase(LogisticRegressionPenalty.ElasticNet, 0.5, 1.0, new string[0])]
    [TestCase(LogisticRegressionPenalty.ElasticNet, 0.5, 2.0, new string[0])]
    [TestCase(LogisticRegressionPenalty.None, null, 1.0, new string[0])]
    [TestCase(LogisticRegressionPenalty.None, null, 2.0, new[] { "C" })]
    [TestCase(LogisticRegressionPenalty.None, null, 0.5, new[] { "C" })]
    [TestCase(LogisticRegressionPenalty.None, 0.5, 1.0, new[] { "L1Ratio" })]
    [TestCase(LogisticRegressionPenalty.None, 0.5, 2.0, new[] { "L1Ratio", "C" })]
    public void IgnoredSettings_AsSklearnWarns(LogisticRegressionPenalty penalty, double? ratio, double c, string[] ignored) =>
        Assert.That(new LogisticRegressionOptions { Penalty = penalty, L1Ratio = ratio, C = c }.IgnoredSettings(), Is.EqualTo(ignored));

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    public void Validate_NonPositiveC_ThrowsNamingC(double c) =>
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(new() { C = c }))!.ParamName, Is.EqualTo("C"));

    [Test]
    public void Validate_BadIterationsOrTolerance_ThrowsNamingOption()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(new() { MaxIterations = 0 }))!.ParamName, Is.EqualTo("MaxIterations"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(new() { Tolerance = -1e-4 }))!.ParamName, Is.EqualTo("Tolerance"));
    }

    [Test]
    public void Validate_UndefinedSampleOrder_ThrowsNamingIt()
    {
        Assert.That(new LogisticRegressionOptions().SampleOrder, Is.EqualTo(LogisticRegressionSampleOrder.WithReplacement), "sklearn's draws by default");
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticRegression(new() { SampleOrder = (LogisticRegressionSampleOrder)2 }))!.ParamName, Is.EqualTo("SampleOrder"));
    }

    [Test]
    public void Validate_ShuffledOrderWithSag_ThrowsNamingSampleOrder()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new LogisticRegression(new() { Solver = LogisticRegressionSolver.Sag, SampleOrder = LogisticRegressionSampleOrder.Shuffled }))!;
        Assert.That(e.ParamName, Is.EqualTo("SampleOrder"));
        Assert.That(e.Message, Does.StartWith("SampleOrder=Shuffled is for Solver=Saga"));
        Assert.That(() => new LogisticRegression(new() { Solver = LogisticRegressionSolver.Lbfgs, SampleOrder = LogisticRegressionSampleOrder.Shuffled }), Throws.Nothing, "ignored, as RandomState");
    }

    [Test]
    public void SampleOrder_SetByItsSnakeCaseName_AsGridSearchSetsIt()
    {
        LogisticRegression shuffled = FashionCore.Selection.EstimatorOptions.With(new LogisticRegression(), "sample_order", "shuffled");
        Assert.That(shuffled.Options.SampleOrder, Is.EqualTo(LogisticRegressionSampleOrder.Shuffled));
    }

    [Test]
    public void ResolveMultiClass_Auto_FollowsSklearnRule()
    {
        LogisticRegressionOptions o = new();
        Assert.That(o.ResolveMultiClass(2), Is.EqualTo(LogisticRegressionMultiClass.Ovr));
        Assert.That(o.ResolveMultiClass(10), Is.EqualTo(LogisticRegressionMultiClass.Multinomial));
        Assert.That((o with { MultiClass = LogisticRegressionMultiClass.Ovr }).ResolveMultiClass(10), Is.EqualTo(LogisticRegressionMultiClass.Ovr));
    }

    [Test]
    public void Fit_NaNOrInfinity_ThrowsNamingRowAndColumn()
    {
        float[] x = [0f, 1f, 2f, 3f, float.NaN, 5f, 6f, 7f];
        int[] y = [0, 1, 0, 1];
        ArgumentException e = Assert.Throws<ArgumentException>(() => new LogisticRegression(s_saga).Fit(new ReadOnlyMemory2D<float>(x, 4, 2), y))!;
        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("row 2, column 0"));
        x[4] = float.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => new LogisticRegression(s_saga).Fit(new ReadOnlyMemory2D<float>(x, 4, 2), y));
        double[] xd = [0, 1, 2, double.NegativeInfinity];
        Assert.Throws<ArgumentException>(() => new LogisticRegression(s_saga with { Solver = LogisticRegressionSolver.Sag }).Fit(new ReadOnlyMemory2D<double>(xd, 2, 2), new[] { 0, 1 }));
    }

    [Test]
    public void Fit_SingleClass_ThrowsNamingY()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new LogisticRegression(s_saga).Fit(new ReadOnlyMemory2D<float>(new float[4], 2, 2), new[] { 3, 3 }))!;
        Assert.That(e.ParamName, Is.EqualTo("y"));
        Assert.That(e.Message, Does.Contain("class 3"));
    }

    // sklearn checks X before counting classes: a non-finite X with a single class names the value, for every solver
    // (SAG/SAGA fits otherwise scan X only in their set-up).
    [TestCase(LogisticRegressionSolver.Saga)]
    [TestCase(LogisticRegressionSolver.Sag)]
    [TestCase(LogisticRegressionSolver.Lbfgs)]
    public void Fit_NaNAndSingleClass_ReportsTheNaNLikeSklearn(LogisticRegressionSolver solver)
    {
        float[] x = [0f, 1f, float.NaN, 3f];
        ArgumentException e = Assert.Throws<ArgumentException>(() => new LogisticRegression(s_saga with { Solver = solver }).Fit(new ReadOnlyMemory2D<float>(x, 2, 2), new[] { 3, 3 }))!;
        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("row 1, column 0"));
    }

    [Test]
    public void Fit_LabelRowCountMismatch_ThrowsNamingY()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new LogisticRegression(s_saga).Fit(new ReadOnlyMemory2D<float>(new float[6], 3, 2), new[] { 0, 1 }))!;
        Assert.That(e.ParamName, Is.EqualTo("y"));
        Assert.That(e.Message, Does.Contain("2 labels").And.Contain("3 rows"));
    }

    // 2 000 rows run the one-thread loop, 6 000 the two-thread split (given two free cores): either way the double rows'

    // Rows so large that ‖x‖² overflows give sklearn a step size of 0: it stops after one epoch with zero weights
    // (/tmp/ovf2.py-style runs of sklearn 1.2.1: n_iter_ 1, coef_ and intercept_ 0 on every path). The lanes' dot
    // products x·A overflowed there and threw; those rows now run the sklearn-form solver, as do rows just below
    // (1e153: n·max‖x‖² ≈ 4e308), which reach sklearn's model (first coefficient and n_iter_ from sklearn).
    [TestCase(LogisticRegressionMultiClass.Multinomial, LogisticRegressionSolver.Saga, 1e200, new[] { 1 }, 0.0)]
    [TestCase(LogisticRegressionMultiClass.Ovr, LogisticRegressionSolver.Saga, 1e200, new[] { 1, 1, 1 }, 0.0)]
    [TestCase(LogisticRegressionMultiClass.Ovr, LogisticRegressionSolver.Sag, 1e300, new[] { 1, 1, 1 }, 0.0)]
    [TestCase(LogisticRegressionMultiClass.Multinomial, LogisticRegressionSolver.Saga, 1e153, new[] { 33 }, 2.9704192954593426e-154)]
    [TestCase(LogisticRegressionMultiClass.Ovr, LogisticRegressionSolver.Saga, 1e153, new[] { 22, 22, 24 }, 1.2848432765538427e-154)]
    [TestCase(LogisticRegressionMultiClass.Ovr, LogisticRegressionSolver.Sag, 1e153, new[] { 40, 43, 34 }, 1.2852588856537424e-154)]
    public void Fit_RowsWhoseSquaredNormsOverflow_GiveSklearnsModel(LogisticRegressionMultiClass multiClass, LogisticRegressionSolver solver, double magnitude, int[] iterations, double firstCoefficient)
    {
        const int Rows = 60, Columns = 4;
        double[] x = new double[Rows * Columns];
        int[] y = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < Columns; j++)
            {
                x[(i * Columns) + j] = (((i * 7) + (j * 3)) % 11) / 10.0 * magnitude;
            }
        }

        LogisticRegressionModel m = new LogisticRegression(new() { MultiClass = multiClass, Solver = solver, RandomState = 0 })
            .Fit(new ReadOnlyMemory2D<double>(x, Rows, Columns), y);
        Assert.That(m.Iterations.ToArray(), Is.EqualTo(iterations));
        Assert.That(m.Coefficients[0, 0], firstCoefficient == 0 ? Is.Zero : Is.EqualTo(firstCoefficient).Within(1e-6).Percent);
        if (firstCoefficient == 0)
        {
            Assert.That(m.Intercept.ToArray(), Is.All.Zero);
        }
    }
    // scans and sums are the float rows' (max_squared_sum included), so the same model.
    [TestCase(2000, LogisticRegressionSolver.Saga, LogisticRegressionMultiClass.Multinomial)]
    [TestCase(6000, LogisticRegressionSolver.Saga, LogisticRegressionMultiClass.Multinomial)]
    [TestCase(6000, LogisticRegressionSolver.Saga, LogisticRegressionMultiClass.Ovr)]
    [TestCase(2000, LogisticRegressionSolver.Sag, LogisticRegressionMultiClass.Multinomial)]
    [Category("Dataset")]
    public void Fit_SagOrSagaOnDoubleRowsHoldingFloatValues_SameModelAsFloatRows(int rows, LogisticRegressionSolver solver, LogisticRegressionMultiClass multiClass)
    {
        float[] narrow = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(rows));
        double[] wide = [.. narrow.Select(v => (double)v)];
        ReadOnlyMemory<int> y = LogisticRegressionData.TrainLabels(rows);
        LogisticRegressionOptions o = s_saga with { Solver = solver, MultiClass = multiClass };

        LogisticRegressionModel fromFloat = new LogisticRegression(o).Fit(new ReadOnlyMemory2D<float>(narrow, rows, 784), y);
        LogisticRegressionModel fromDouble = new LogisticRegression(o).Fit(new ReadOnlyMemory2D<double>(wide, rows, 784), y);

        Assert.That(fromDouble.Coefficients.ToArray(), Is.EqualTo(fromFloat.Coefficients.ToArray()));
        Assert.That(fromDouble.Intercept.ToArray(), Is.EqualTo(fromFloat.Intercept.ToArray()));
        Assert.That(fromDouble.Iterations.ToArray(), Is.EqualTo(fromFloat.Iterations.ToArray()));
    }

    [Test]
    [Category("Dataset")]
    public void Fit_OvrInParallel_EqualsEachBinaryProblemFittedAlone()
    {
        ReadOnlyMemory2D<double> x = LogisticRegressionData.Train(1000);
        int[] y = LogisticRegressionData.TrainLabels(1000).ToArray();
        LogisticRegressionOptions o = s_saga with { MultiClass = LogisticRegressionMultiClass.Ovr, MaxIterations = 3 };
        LogisticRegressionModel ovr = new LogisticRegression(o).Fit(x, y);
        foreach (int c in new[] { 0, 4, 9 })
        {
            int[] binary = [.. y.Select(v => v == c ? 1 : 0)];
            LogisticRegressionModel alone = new LogisticRegression(o).Fit(x, binary);

            // Bit-identical: the same seed and the same sequential arithmetic per problem, whatever thread runs it.
            Assert.That(ovr.Coefficients.GetRowSpan(c).ToArray(), Is.EqualTo(alone.Coefficients.GetRowSpan(0).ToArray()));
            Assert.That(ovr.Intercept[c], Is.EqualTo(alone.Intercept[0]));
            Assert.That(ovr.Iterations[c], Is.EqualTo(alone.Iterations[0]));
        }
    }

    [Test]
    [Category("Dataset")]
    public void Fit_MoreEpochs_AllocatesNothingPerEpoch()
    {
        float[] x = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(3000));
        ReadOnlyMemory<int> y = LogisticRegressionData.TrainLabels(3000);
        LogisticRegression one = new(new() { MaxIterations = 1, RandomState = 0, Tolerance = 0 });
        LogisticRegression four = new(new() { MaxIterations = 4, RandomState = 0, Tolerance = 0 });
        one.Fit(new ReadOnlyMemory2D<float>(x, 3000, 784), y);
        four.Fit(new ReadOnlyMemory2D<float>(x, 3000, 784), y);

        long before = GC.GetAllocatedBytesForCurrentThread();
        one.Fit(new ReadOnlyMemory2D<float>(x, 3000, 784), y);
        long oneEpoch = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        LogisticRegressionModel model = four.Fit(new ReadOnlyMemory2D<float>(x, 3000, 784), y);
        long fourEpochs = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(model.Iterations[0], Is.EqualTo(4));
        Assert.That(fourEpochs, Is.EqualTo(oneEpoch), "bytes allocated beyond the set-up");
    }

    [Test]
    [Category("Dataset")]
    public void Predict_FittedModel_AllocatesNothingAndAgreesWithProbabilities()
    {
        float[] x = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(500));
        LogisticRegressionModel model = new LogisticRegression(s_saga).Fit(new ReadOnlyMemory2D<float>(x, 500, 784), LogisticRegressionData.TrainLabels(500));
        ReadOnlySpan2D<float> rows = new(x, 500, 784);
        int[] predicted = new int[500];
        float[] proba = new float[5000];
        double[] decision = new double[5000];
        model.Predict(rows, predicted);
        model.PredictProbabilities(rows, new Span2D<float>(proba, 500, 10));
        model.DecisionFunction(rows, new Span2D<double>(decision, 500, 10));

        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Predict(rows, predicted);
        model.PredictProbabilities(rows, new Span2D<float>(proba, 500, 10));
        model.DecisionFunction(rows, new Span2D<double>(decision, 500, 10));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);

        for (int i = 0; i < 500; i++)
        {
            ReadOnlySpan<float> p = proba.AsSpan(i * 10, 10);
            Assert.That(model.Classes[System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p)], Is.EqualTo(predicted[i]));
            Assert.That(System.Numerics.Tensors.TensorPrimitives.Sum(p), Is.EqualTo(1f).Within(1e-5f));
        }
    }

    [Test]
    [Category("Dataset")]
    public void DecisionFunction_RowsBatchedByFour_SameBitsAsEachRowAloneAndCloseToPlainSum()
    {
        // 7 rows: one full batch of four and a short one of three.
        float[] x = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(300));
        LogisticRegressionModel model = new LogisticRegression(s_saga).Fit(new ReadOnlyMemory2D<float>(x, 300, 784), LogisticRegressionData.TrainLabels(300));
        double[] batched = new double[70];
        model.DecisionFunction(new ReadOnlySpan2D<float>(x, 7, 784), new Span2D<double>(batched, 7, 10));
        for (int i = 0; i < 7; i++)
        {
            double[] alone = new double[10];
            model.DecisionFunction(new ReadOnlySpan2D<float>(x, i * 784, 1, 784, 0), new Span2D<double>(alone, 1, 10));
            Assert.That(batched.AsSpan(i * 10, 10).ToArray(), Is.EqualTo(alone), $"row {i}");
            for (int c = 0; c < 10; c++)
            {
                double sum = model.Intercept[c];
                for (int j = 0; j < 784; j++)
                {
                    sum += x[(i * 784) + j] * model.Coefficients[c, j];
                }

                // Only the summation order (and FMA) differs: 784 terms of |x·w| ≲ 1, so ≲ 784·2⁻⁵³ ≈ 1e-13.
                Assert.That(batched[(i * 10) + c], Is.EqualTo(sum).Within(1e-12), $"row {i}, class {c}");
            }
        }
    }

    [Test]
    public void Constructor_ValuesNoFitCouldGive_ThrowNamingTheParameter()
    {
        // Model files reach this constructor: it must refuse what Predict would turn into wrong labels.
        static LogisticRegressionModel Model(int[] classes, double[] coef, double[] intercept, int iterations = 1)
        {
            // One-vs-rest: one problem per class, one for two classes.
            int problems = classes.Length == 2 ? 1 : classes.Length;
            return new(s_saga, false, classes, 1, coef, intercept, [.. Enumerable.Repeat(iterations, problems)], new bool[problems], new double[problems]);
        }

        Assert.That(() => Model([2, 2, 0], [1, 2, 3], [0, 0, 0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("classes").And.Message.Contains("sorted and distinct"));
        Assert.That(() => Model([3], [1], [0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("classes").And.Message.Contains("at least 2 classes"));
        Assert.That(() => Model([0, 1, 2], [1], [0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("intercept").And.Message.Contains("3 classes need 3 decision rows"));
        Assert.That(() => Model([0, 1], [1, 2], [0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("coef").And.Message.Contains("1x1"));
        Assert.That(() => Model([0, 1], [double.NaN], [0]), Throws.ArgumentException.With.Property("ParamName").EqualTo("coef").And.Message.Contains("NaN at decision row 0, column 0"));
        Assert.That(() => Model([0, 1], [1], [double.NegativeInfinity]), Throws.ArgumentException.With.Property("ParamName").EqualTo("intercept"));
        Assert.That(() => Model([0, 1], [1], [0], iterations: -1), Throws.ArgumentException.With.Property("ParamName").EqualTo("iterations"));
        Assert.That(Model([-5, 0, 9], [1, 2, 3], [0, 0, 0]).Classes.ToArray(), Is.EqualTo(new[] { -5, 0, 9 }));
    }

    [TestCase(7)]
    [TestCase(2)]
    public void PredictionMethods_NaNOrInfinityAnywhere_ThrowNamingXRowAndColumn(int classes)
    {
        // 7 rows × 13 features: a 4-row tile and three single rows; 8 vectorised features and a 5-feature tail; with 7
        // classes a 5-column tile and two column edges. Columns 3 and 10 have zero weights in every class, so ±∞ there
        // shows up only as ∞·0 = NaN.
        int n = 7, d = 13;
        LogisticRegressionModel model = RandomModel(classes, d, seed: classes, zeroColumns: [3, 10]);
        double[] x = [.. Enumerable.Range(0, n * d).Select(i => Math.Sin(i) * 3)];
        foreach (double value in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            for (int row = 0; row < n; row++)
            {
                for (int column = 0; column < d; column++)
                {
                    double[] bad = (double[])x.Clone();
                    bad[(row * d) + column] = value;
                    float[] badF = [.. bad.Select(v => (float)v)];
                    string expected = $"'x' contains {value} at row {row}, column {column}; all values must be finite.";
                    foreach ((string method, Action call) in PredictionCalls(model, bad, badF, n))
                    {
                        ArgumentException e = Assert.Throws<ArgumentException>(call, $"{method}, {value} at ({row}, {column})")!;
                        Assert.That(e.ParamName, Is.EqualTo("x"));
                        Assert.That(e.Message, Does.StartWith(expected), method);
                    }
                }
            }
        }
    }

    [Test]
    public void PredictionMethods_NaNInLargeParallelBatch_NameTheFirstBadRowForAnyThreadLimit()
    {
        // 3 000 × 784 × 10 multiply-adds run on several threads. The bad rows 1200, 1400 and 2100 lie in three threads'
        // ranges at a 64-thread limit and in both halves at a 2-thread one: whichever thread finds its bad row first,
        // the lowest row is the one named.
        int n = 3000, d = 784;
        LogisticRegressionModel model = RandomModel(10, d, seed: 5, zeroColumns: []);
        double[] x = [.. Enumerable.Range(0, n * d).Select(i => Math.Sin(i * 0.37))];
        x[(1400 * d) + 700] = double.NaN;
        x[(2100 * d) + 9] = double.PositiveInfinity;
        x[(1200 * d) + 9] = double.NegativeInfinity;
        float[] xf = [.. x.Select(v => (float)v)];
        foreach (int threads in new[] { 1, 2, 64 })
        {
            foreach ((string method, Action call) in PredictionCalls(model, x, xf, n))
            {
                ArgumentException e = Limited(threads, () => Assert.Throws<ArgumentException>(call)!);
                Assert.That(e.Message, Does.StartWith($"'x' contains {double.NegativeInfinity} at row 1200, column 9"), $"{method}, {threads} threads");
            }
        }
    }

    [Test]
    public void DecisionFunction_FiniteRowOverflowingTheDotProducts_ThrowsNamingXAndRow()
    {
        // 2·1e308 is beyond double's range.
        LogisticRegressionModel model = new(s_saga, false, [0, 1], 2, [2, 2], [0], [1], [true], [0]);
        double[] x = [1, 2, 3, 1e308];
        ArgumentException e = Assert.Throws<ArgumentException>(() => model.DecisionFunction(new ReadOnlySpan2D<double>(x, 2, 2), new Span2D<double>(new double[2], 2, 1)))!;
        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.StartWith("'x' row 1 is finite but its decision values are not"));
    }

    [Test]
    public void Score_NoRows_ThrowsNamingXLikeAccuracyScore()
    {
        // It returned NaN, while Metrics' Accuracy.Score throws for the same (empty) input.
        LogisticRegressionModel model = RandomModel(3, 4, seed: 2, zeroColumns: []);
        ArgumentException e = Assert.Throws<ArgumentException>(() => model.Score(new ReadOnlySpan2D<float>([], 0, 4), []))!;
        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at least one row"));
        // One row still scores: 1 against its own prediction.
        var one = new ReadOnlySpan2D<float>(new float[4], 1, 4);
        int[] predicted = new int[1];
        model.Predict(one, predicted);
        Assert.That(model.Score(one, predicted), Is.EqualTo(1.0));
    }

    // Random finite weights (zero in the given feature columns), one-vs-rest.
    private static LogisticRegressionModel RandomModel(int classes, int d, int seed, int[] zeroColumns)
    {
        Random random = new(seed);
        int rows = classes == 2 ? 1 : classes;
        double[] coef = [.. Enumerable.Range(0, rows * d).Select(i => zeroColumns.Contains(i % d) ? 0.0 : (random.NextDouble() * 2) - 1)];
        double[] intercept = [.. Enumerable.Range(0, rows).Select(_ => random.NextDouble())];
        return new LogisticRegressionModel(s_saga, false, [.. Enumerable.Range(0, classes)], d, coef, intercept, new int[rows], new bool[rows], new double[rows]);
    }

    private static (string Method, Action Call)[] PredictionCalls(LogisticRegressionModel model, double[] x, float[] xf, int n)
    {
        int d = model.FeatureCount, k = model.DecisionCount, classes = model.Classes.Length;
        return
        [
            ("Predict(float)", () => model.Predict(new ReadOnlySpan2D<float>(xf, n, d), new int[n])),
            ("Predict(double)", () => model.Predict(new ReadOnlySpan2D<double>(x, n, d), new int[n])),
            ("PredictProbabilities(float)", () => model.PredictProbabilities(new ReadOnlySpan2D<float>(xf, n, d), new Span2D<float>(new float[n * classes], n, classes))),
            ("PredictProbabilities(double)", () => model.PredictProbabilities(new ReadOnlySpan2D<double>(x, n, d), new Span2D<double>(new double[n * classes], n, classes))),
            ("DecisionFunction(float)", () => model.DecisionFunction(new ReadOnlySpan2D<float>(xf, n, d), new Span2D<double>(new double[n * k], n, k))),
            // A strided destination: every other column of a wider buffer.
            ("DecisionFunction(double)", () => model.DecisionFunction(new ReadOnlySpan2D<double>(x, n, d), new Span2D<double>(new double[n * 2 * k], 0, n, k, k))),
        ];
    }

    // Runs work on a scheduler of at most `threads` threads, as `fashion --threads N` does.
    private static T Limited<T>(int threads, Func<T> work)
    {
        var pair = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, threads);
        return Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, pair.ConcurrentScheduler).Result;
    }
}
