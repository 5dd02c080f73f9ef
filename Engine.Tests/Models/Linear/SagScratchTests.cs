using System.Buffers;
using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The SAG/SAGA fast paths rent their work arrays (weight blocks, gradient memory, seen flags, previous weights, label
/// encoding) from <see cref="ArrayPool{T}.Shared"/>: a fit on arrays another fit left dirty must give the same bits, and
/// the returned results must not share memory with the pool.
/// </summary>
[NonParallelizable]
public class SagScratchTests
{
    // Odd, so every epoch ends with a single step.
    private const int Rows = 1999;

    private const int Features = 784;

    private static readonly Lazy<float[]> s_pixels = new(() => LogisticRegressionData.ToFloat(LogisticRegressionData.Train(Rows)));

    public enum Path
    {
        SplitTwoThreads,
        SplitOneThread,
        Quads,
        Pairs,
        OneStepSparse,
        OneStepDense,
    }

    [Test]
    [Category("Dataset")]
    public void Solve_ConsecutiveFitsOnDirtyPooledArrays_IdenticalResults(
        [Values] Path path, [Values(true, false)] bool multinomial, [Values(true, false)] bool saga)
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(multinomial, saga);

        SagResult[] first = Solve(path, x, labels, p);
        double[][] firstWeights = [.. first.Select(r => r.Weights.ToArray())];
        SagResult[] second = Solve(path, x, labels, p);
        PoisonPool(n: Rows, d: Features);
        SagResult[] poisoned = Solve(path, x, labels, p);

        SagSplitTests.AssertIdentical(first, second);
        SagSplitTests.AssertIdentical(first, poisoned);
        for (int c = 0; c < first.Length; c++)
        {
            Assert.That(first[c].Weights, Is.EqualTo(firstWeights[c]), $"weights of result {c} after the pool was reused");
        }
    }

    [Test]
    [Category("Dataset")]
    public void Fit_ConsecutiveFitsOnDirtyPooledArrays_IdenticalModelsNotAliasingThePool()
    {
        ReadOnlyMemory2D<double> x = LogisticRegressionData.Train(Rows);
        ReadOnlyMemory<int> y = LogisticRegressionData.TrainLabels(Rows);
        LogisticRegression estimator = new(new LogisticRegressionOptions { MaxIterations = 2, Tolerance = 0.0, RandomState = 7u });

        LogisticRegressionModel first = estimator.Fit(x, y);
        double[,] coef = first.Coefficients.ToArray();
        double[] intercept = first.Intercept.ToArray();
        LogisticRegressionModel second = estimator.Fit(x, y);
        PoisonPool(n: Rows, d: Features);
        LogisticRegressionModel poisoned = estimator.Fit(x, y);

        Assert.That(first.Coefficients.ToArray(), Is.EqualTo(second.Coefficients.ToArray()), "second fit");
        Assert.That(first.Coefficients.ToArray(), Is.EqualTo(poisoned.Coefficients.ToArray()), "fit on poisoned pool arrays");
        Assert.That(first.Intercept.ToArray(), Is.EqualTo(poisoned.Intercept.ToArray()), "intercepts on poisoned pool arrays");
        Assert.That(first.Coefficients.ToArray(), Is.EqualTo(coef), "first model after later fits and the poisoning");
        Assert.That(first.Intercept.ToArray(), Is.EqualTo(intercept), "first intercepts after later fits and the poisoning");
    }

    private static SagResult[] Solve(Path path, ReadOnlyMemory2D<float> x, int[] labels, in SagProblem p) => path switch
    {
        Path.SplitTwoThreads => SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: true),
        Path.SplitOneThread => SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false),
        Path.Quads => SagLaneSolver.Solve(x.Span, labels, p, 0, default, dense: false),
        Path.Pairs => SagLaneSolver.Solve(x.Span, labels, p, 0, default, dense: false, pairs: true, quads: false),
        Path.OneStepSparse => SagLaneSolver.Solve(x.Span, labels, p, 0, default, dense: false, pairs: false),
        _ => SagLaneSolver.Solve(x.Span, labels, p, 0, default, dense: true),
    };

    // Rents several arrays of each size the solvers rent, fills them with garbage (NaN, true, −1) and returns them, so the
    // next fit on this thread gets dirty arrays.
    private static void PoisonPool(int n, int d)
    {
        const int Copies = 4;
        int[] doubleSizes = [(d * SagLaneKernels.Block) + 8, n * SagLanes.Count, d * SagLaneSolver.MaxLanes];
        foreach (int size in doubleSizes)
        {
            double[][] rented = [.. Enumerable.Range(0, Copies).Select(_ => ArrayPool<double>.Shared.Rent(size))];
            foreach (double[] a in rented)
            {
                a.AsSpan().Fill(double.NaN);
                ArrayPool<double>.Shared.Return(a);
            }
        }

        bool[][] flags = [.. Enumerable.Range(0, Copies).Select(_ => ArrayPool<bool>.Shared.Rent(n))];
        foreach (bool[] a in flags)
        {
            a.AsSpan().Fill(true);
            ArrayPool<bool>.Shared.Return(a);
        }

        int[][] ints = [.. Enumerable.Range(0, Copies).Select(_ => ArrayPool<int>.Shared.Rent(n))];
        foreach (int[] a in ints)
        {
            a.AsSpan().Fill(-1);
            ArrayPool<int>.Shared.Return(a);
        }
    }

    private static (ReadOnlyMemory2D<float> X, int[] Labels, SagProblem P) Problem(bool multinomial, bool saga)
    {
        ReadOnlyMemory2D<float> x = new(s_pixels.Value, Rows, Features);
        int[] labels = LogisticRegressionData.TrainLabels(Rows).ToArray();
        double alphaScaled = 1.0 / Rows;
        double step = SagProblem.AutoStepSize(SparseRows.ScanMaxSquaredSum(x.Span, "x"), alphaScaled, true, Rows, saga);
        return (x, labels, new SagProblem(10, multinomial, saga, alphaScaled, 0.0, step, 3, 0.0, 209652396u, true));
    }
}
