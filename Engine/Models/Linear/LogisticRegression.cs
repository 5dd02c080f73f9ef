using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;
using FashionCore.Numerics.Random;

namespace FashionCore.Models.Linear;

/// <summary>
/// Logistic regression as scikit-learn 1.2.1's <c>LogisticRegression</c> computes it: SAG/SAGA replay sklearn's exact
/// sample order and updates (same <see cref="LogisticRegressionOptions.RandomState"/> ⇒ same model up to rounding),
/// unless <see cref="LogisticRegressionOptions.SampleOrder"/> asks for shuffled epochs instead (not sklearn's).
/// </summary>
/// <remarks>
/// Every solver here runs in double. <see cref="Fit(ReadOnlyMemory2D{double}, ReadOnlyMemory{int}, CancellationToken)"/>
/// fits what sklearn fits on a float64 X; the float overload widens each value to double, i.e. it fits
/// <c>X.astype(np.float64)</c>, which differs from fitting double features (e.g. pixels/255 computed in double) by the
/// float rounding of the input (relative 6e-8). It is not sklearn's model for a float32 X: sklearn 1.2.1 keeps float32
/// for sag, saga and newton-cg and then runs them in float32 (only lbfgs converts to float64), whose coefficients
/// differ from the float64 fit by ~1e-6 relative (saga, 5 epochs on a small problem: −0.1305938065 vs −0.1305936109).
/// One-vs-rest problems are solved in parallel, each independently, so results do not depend on the thread count, with
/// one exception: a large SAG/SAGA fit (rows × features ≥ 2²² ≈ 4.2 million and at least 64 features, e.g. the 60 000
/// pixel or HOG rows) runs on two threads when the scheduler allows two, summing each dot product from two feature
/// halves, so its coefficients can differ from a one-thread fit in the last bits (within 1e-12 relative; the same
/// iteration counts and predictions).
/// </remarks>
/// <param name="options">Options; <see langword="null"/> for defaults.</param>
public sealed class LogisticRegression(LogisticRegressionOptions? options = null) : IClassifierEstimator<LogisticRegressionModel>
{
    // n·max‖x‖² above which the U-form's dot products x·A might overflow (|δ| ≤ 1, so |x·A| ≤ n·max‖x‖²; a margin of 16).
    private const double UFormLimit = double.MaxValue / 16;

    /// <summary>The validated options.</summary>
    public LogisticRegressionOptions Options { get; } = Validated(options ?? new LogisticRegressionOptions());

    /// <summary>Tests only: SAG/SAGA run with sklearn's lagged updates (as for huge rows) whatever the rows' size.</summary>
    internal bool LaggedUpdates { get; init; }

    /// <inheritdoc/>
    public LogisticRegressionModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken = default) =>
        FitCore(x, y, cancellationToken);

    /// <summary>Fits on double rows, exactly the input sklearn's solvers see (no float rounding of the features).</summary>
    /// <remarks>
    /// With SAG/SAGA, double rows holding float values give the float overload's model bit for bit (the same scans and
    /// sums, <c>max_squared_sum</c> included).
    /// </remarks>
    /// <param name="x">n×d training rows.</param>
    /// <param name="y">n class labels (at least two distinct values).</param>
    /// <param name="cancellationToken">Checked between epochs/iterations.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">Row/label counts differ, fewer than two classes, or NaN/Inf in <paramref name="x"/>.</exception>
    /// <exception cref="ArithmeticException">SAG/SAGA weights became infinite (sklearn's "Floating-point under-/overflow").</exception>
    public LogisticRegressionModel Fit(ReadOnlyMemory2D<double> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken = default) =>
        FitCore(x, y, cancellationToken);

    /// <summary>
    /// Fits on byte rows times <paramref name="scale"/> (e.g. pixels and 1/255). SAG/SAGA fits read the bytes themselves,
    /// without a widened copy of the rows (multinomial or one-vs-rest with at most 10 problems, no L1 part in the
    /// penalty, and a penalty weak enough for the loops' weight scale): large ones (n·d ≥ 2²², d ≥ 64, two cores free) on
    /// two threads (<see cref="SagLaneSplitSolver"/>), others in the one-thread quad loop unless their rows are dense
    /// and narrower than 32 features. Any other fit widens them to doubles first (8 bytes per value) and is then the
    /// same fit as on those doubles.
    /// </summary>
    /// <remarks>
    /// The features are the values x_ij·scale in double. The two-thread fit works on the bytes and applies the scale to
    /// its sums instead (dot products times scale, row products times scale², its updates' coefficients times scale);
    /// the one-thread quad loop widens each group of four rows times the scale into a buffer. Both take
    /// max_squared_sum from an exact integer scan times scale², so they agree with a fit on the widened doubles up to
    /// rounding (same <c>n_iter_</c> and predictions in the tests), as the two-thread fit of float rows agrees with the
    /// one-thread fit. Note that numpy's <c>pixels / 255</c> differs from <c>pixels * (1/255)</c> in the last bit of 24
    /// of the 256 values (the smallest 33/255); the fits agree to rounding either way.
    /// </remarks>
    /// <param name="x">n×d training rows of bytes.</param>
    /// <param name="scale">The factor from bytes to features; positive, with 255·<paramref name="scale"/> finite.</param>
    /// <param name="y">n class labels (at least two distinct values).</param>
    /// <param name="cancellationToken">Checked between epochs/iterations.</param>
    /// <returns>The fitted model (of the features x·scale).</returns>
    /// <exception cref="ArgumentException">Row/label counts differ, <paramref name="x"/> is empty, or fewer than two classes.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not positive, or 255·scale is not finite.</exception>
    /// <exception cref="ArithmeticException">SAG/SAGA weights became infinite (sklearn's "Floating-point under-/overflow").</exception>
    public LogisticRegressionModel Fit(ReadOnlyMemory2D<byte> x, double scale, ReadOnlyMemory<int> y, CancellationToken cancellationToken = default)
    {
        if (!(scale > 0) || !double.IsFinite(255 * scale))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(scale), scale, "must be positive, with 255·scale finite");
        }

        if (y.Length != x.Height)
        {
            ThrowHelper.ThrowArgument($"'y' has {y.Length} labels but 'x' has {x.Height} rows; they must match.", nameof(y));
        }

        return Options.Solver is LogisticRegressionSolver.Saga or LogisticRegressionSolver.Sag
            ? FitCore(x, y, cancellationToken, scale)
            : FitCore(Widened(x.Span, scale), y, cancellationToken);
    }

    // Byte rows times `scale` as doubles, row by row as the quad loop widens its rows (the same values).
    private static ReadOnlyMemory2D<double> Widened<T>(ReadOnlySpan2D<T> x, double scale)
        where T : unmanaged
    {
        double[] values = new double[x.Height * (long)x.Width];
        for (int i = 0; i < x.Height; i++)
        {
            RowWidening.WidenRow(x.GetRowSpan(i), values.AsSpan(i * x.Width, x.Width), scale);
        }

        return new ReadOnlyMemory2D<double>(values, x.Height, x.Width);
    }

    private static LogisticRegressionOptions Validated(LogisticRegressionOptions options)
    {
        options.Validate();
        return options;
    }

    private LogisticRegressionModel FitCore<T>(ReadOnlyMemory2D<T> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken, double rowScale = 1.0)
        where T : unmanaged
    {
        LogisticRegressionOptions o = Options;
        ReadOnlySpan2D<T> xs = x.Span;
        ReadOnlySpan<int> ys = y.Span;
        if (ys.Length != xs.Height)
        {
            ThrowHelper.ThrowArgument($"'y' has {ys.Length} labels but 'x' has {xs.Height} rows; they must match.", nameof(y));
        }

        if (xs.Height == 0 || xs.Width == 0)
        {
            ThrowHelper.ThrowArgument($"'x' must have at least one row and one column but is {xs.Height}x{xs.Width}.", nameof(x));
        }

        if (o.Solver is not (LogisticRegressionSolver.Saga or LogisticRegressionSolver.Sag))
        {
            CheckFinite(xs);
        }

        // Pooled (240 KB for 60 000 labels; see ScratchArray): may be longer than y, only its first y.Length are used.
        using ScratchArray<int> encodedScratch = new(ys.Length, clear: false);
        int[] encoded = encodedScratch.Array;
        int[] classes = Encode(ys, encoded);
        if (classes.Length < 2)
        {
            // sklearn checks X before the classes; SAG/SAGA fits scan X for non-finite values only later, in their set-up.
            CheckFinite(xs);
            ThrowHelper.ThrowArgument(
                $"'y' must contain at least two classes but has only class {classes[0]}; logistic regression needs samples of at least 2 classes.",
                nameof(y));
        }

        bool multinomial = o.ResolveMultiClass(classes.Length) == LogisticRegressionMultiClass.Multinomial;
        return o.Solver switch
        {
            LogisticRegressionSolver.Saga or LogisticRegressionSolver.Sag => FitSag(x, encoded, classes, multinomial, cancellationToken, rowScale),
            _ => FitGradient(x, encoded, classes, multinomial, cancellationToken),
        };
    }

    // The sorted distinct labels, and each label's index among them into `encoded`. Labels in a small range (class ids)
    // go through a lookup table: the LINQ set + binary search took milliseconds on 60 000 labels, a visible share of a
    // 3-epoch SAGA fit.
    private static int[] Encode(ReadOnlySpan<int> y, int[] encoded)
    {
        int min = int.MaxValue;
        int max = int.MinValue;
        foreach (int v in y)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        long range = (long)max - min + 1;
        if (range > (4L * y.Length) + 1024)
        {
            int[] sorted = [.. y.ToArray().Distinct().Order()];
            for (int i = 0; i < y.Length; i++)
            {
                encoded[i] = Array.BinarySearch(sorted, y[i]);
            }

            return sorted;
        }

        // index[v − min]: 0 if v is absent, else 1 + its rank among the labels.
        int[] index = new int[range];
        foreach (int v in y)
        {
            index[v - min] = 1;
        }

        int count = 0;
        for (int k = 0; k < index.Length; k++)
        {
            index[k] = index[k] != 0 ? ++count : 0;
        }

        int[] classes = new int[count];
        for (int k = 0; k < index.Length; k++)
        {
            if (index[k] != 0)
            {
                classes[index[k] - 1] = k + min;
            }
        }

        for (int i = 0; i < y.Length; i++)
        {
            encoded[i] = index[y[i] - min] - 1;
        }

        return classes;
    }

    private LogisticRegressionModel FitSag<T>(ReadOnlyMemory2D<T> x, int[] encoded, int[] classes, bool multinomial, CancellationToken cancellationToken, double rowScale)
        where T : unmanaged
    {
        LogisticRegressionOptions o = Options;
        ReadOnlySpan2D<T> xs = x.Span;
        int n = xs.Height;
        int d = xs.Width;
        (double alpha, double beta) = PenaltyStrengths(o);
        double alphaScaled = alpha / n;
        double betaScaled = beta / n;
        bool saga = o.Solver == LogisticRegressionSolver.Saga;
        bool prox = saga && betaScaled > 0;
        if (typeof(T) == typeof(byte)
            && (prox || (multinomial ? classes.Length : classes.Length == 2 ? 1 : classes.Length) > SagLaneSolver.MaxLanes
                || (!SagLaneSplitSolver.MayApply(xs) && !SagLaneSolver.QuadLoopTakes(xs))))
        {
            // Only the two-thread split and the one-thread quad loop read byte rows: a fit that can take neither fits the
            // widened values (the same model as a fit on them, bit for bit).
            return FitSag(Widened(xs, rowScale), encoded, classes, multinomial, cancellationToken, 1.0);
        }

        // A multinomial fit that will likely run on two threads starts its partner thread now, which scans half the
        // rows with this one (see SagLanePartnerThread); disposed unused if the split does not run after all.
        SparseRows.ChunkedScan<T>? scan = multinomial && !prox && classes.Length <= SagLaneSolver.MaxLanes && SagLaneSplitSolver.MayApply(xs)
            ? new(x)
            : null;
        using SagLanePartnerThread? partner = scan is null ? null : new(scan.Work);
        // Scaled twice rather than by the square, which overflows for scales above ~1e154 (0·∞ would then be NaN).
        double maxSquaredSum = (scan is null ? SparseRows.ScanMaxSquaredSum(x, nameof(x)) : scan.Finish(nameof(x))) * rowScale * rowScale;
        double step = SagProblem.AutoStepSize(maxSquaredSum, alphaScaled, o.FitIntercept, n, saga);
        if (step * alphaScaled == 1.0)
        {
            ThrowHelper.ThrowArgument("Current sag implementation does not handle the case step_size * alpha_scaled == 1; change C.", nameof(o.C));
        }

        // The U-form (the lanes, and SagSolver without the prox) keeps W = s·(U − c·A) and so takes dot products x·A,
        // which grow like n·max‖x‖² where sklearn's sums only grow like n·‖x‖: for rows so large that x·A could
        // overflow (sklearn's step size is then ~0 and its weights barely move), SagSolver runs with sklearn's lagged
        // updates instead.
        bool lagged = LaggedUpdates || n * maxSquaredSum > UFormLimit;
        bool lanes = !prox && !lagged;
        if (typeof(T) == typeof(byte) && (!lanes || !SagLanePairSolver.Applies(n, new SagProblem(1, multinomial, saga, alphaScaled, betaScaled, step, o.MaxIterations, o.Tolerance, 0u, o.FitIntercept))))
        {
            // Rows so large that the lagged updates are needed (SagSolver), or a penalty so strong that the split's
            // weight scale could underflow: the widened values' fit, set up from their own scan (the same model as a
            // fit on them, bit for bit).
            partner?.Dispose();
            return FitSag(Widened(xs, rowScale), encoded, classes, multinomial, cancellationToken, 1.0);
        }

        if (!lanes)
        {
            partner?.Dispose();
        }

        uint randomState = o.RandomState ?? (uint)System.Random.Shared.Next();
        uint seed = XorShift32.SeedFromRandomState(randomState);
        bool shuffled = o.SampleOrder == LogisticRegressionSampleOrder.Shuffled;
        if (multinomial)
        {
            SagProblem problem = new(classes.Length, true, saga, alphaScaled, betaScaled, step, o.MaxIterations, o.Tolerance, seed, o.FitIntercept) { LaggedUpdates = lagged, Shuffled = shuffled, RowScale = rowScale };
            SagResult r = lanes && classes.Length <= SagLaneSolver.MaxLanes
                ? SolveLanes(x, encoded, problem, 0, cancellationToken, partner)[0]
                : SagSolver.Solve(xs, encoded, problem, cancellationToken);
            int k = classes.Length;
            int outRows = k == 2 ? 1 : k;
            int first = k == 2 ? 1 : 0;
            double[] coef = new double[outRows * d];
            double[] intercept = new double[outRows];
            for (int c = 0; c < outRows; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    coef[(c * d) + j] = r.Weights[(j * k) + c + first];
                }

                intercept[c] = r.Intercept[c + first];
            }

            return new LogisticRegressionModel(o, true, classes, d, coef, intercept, [r.Iterations], [r.Converged], [r.FinalChange]);
        }

        // OvR: sklearn fits classes[1] only when there are two classes; every problem reuses the same seed.
        int problems = classes.Length == 2 ? 1 : classes.Length;
        int offset = classes.Length == 2 ? 1 : 0;
        SagResult[] results = new SagResult[problems];
        SagProblem binary = new(1, false, saga, alphaScaled, betaScaled, step, o.MaxIterations, o.Tolerance, seed, o.FitIntercept) { LaggedUpdates = lagged, Shuffled = shuffled, RowScale = rowScale };
        if (lanes)
        {
            // Same seed ⇒ same draws for every class: run them as lanes of one pass, in groups of up to 10 (a lane's
            // arithmetic does not depend on the others, so a class gives the same bits in any group, or alone).
            int groups = (problems + SagLaneSolver.MaxLanes - 1) / SagLaneSolver.MaxLanes;

            // Groups in parallel already use the cores: none may start a lockstep partner (SagLaneSplitSolver).
            using EngineParallel.SharedCoresScope shared = EngineParallel.ShareCores(groups > 1);
            EngineParallel.For(groups, group =>
            {
                int first = group * SagLaneSolver.MaxLanes;
                int lanes = Math.Min(SagLaneSolver.MaxLanes, problems - first);
                SagResult[] laneResults = SolveLanes(x, encoded, binary with { ClassCount = lanes }, first + offset, cancellationToken);
                laneResults.CopyTo(results, first);
            }, cancellationToken: cancellationToken);
        }
        else
        {
            EngineParallel.For(problems, c =>
            {
                int positive = c + offset;
                int[] signs = new int[n];
                for (int i = 0; i < signs.Length; i++)
                {
                    signs[i] = encoded[i] == positive ? 1 : -1;
                }

                results[c] = SagSolver.Solve(x.Span, signs, binary, cancellationToken);
            }, cancellationToken: cancellationToken);
        }

        double[] w = new double[problems * d];
        double[] b = new double[problems];
        for (int c = 0; c < problems; c++)
        {
            results[c].Weights.CopyTo(w, c * d);
            b[c] = results[c].Intercept[0];
        }

        return new LogisticRegressionModel(
            o, false, classes, d, w, b,
            [.. results.Select(r => r.Iterations)], [.. results.Select(r => r.Converged)], [.. results.Select(r => r.FinalChange)]);
    }

    // Up to 10 weight columns at once: on two threads for large problems when allowed (on `partner` if started
    // already), else on this one (and `partner` is let go at once).
    private static SagResult[] SolveLanes<T>(
        ReadOnlyMemory2D<T> x, int[] encoded, in SagProblem problem, int firstClass, CancellationToken cancellationToken, SagLanePartnerThread? partner = null)
        where T : unmanaged
    {
        if (SagLaneSplitSolver.Applies(x.Span, problem))
        {
            return SagLaneSplitSolver.Solve(x, encoded, problem, firstClass, cancellationToken, thread: partner);
        }

        partner?.Dispose();
        if (typeof(T) == typeof(byte))
        {
            // One thread on the bytes: the quad loop, which widens each quad of rows times the scale (FitSag sent every
            // other byte fit to the widened values).
            return SagLaneQuadSolver.Solve(x.Span, encoded, problem, firstClass, cancellationToken, SagLaneSolver.IsDense(x.Span));
        }

        return SagLaneSolver.Solve(x.Span, encoded, problem, firstClass, cancellationToken);
    }

    private LogisticRegressionModel FitGradient<T>(ReadOnlyMemory2D<T> x, int[] encoded, int[] classes, bool multinomial, CancellationToken cancellationToken)
        where T : unmanaged
    {
        LogisticRegressionOptions o = Options;
        int d = x.Width;
        double inverseC = o.Penalty == LogisticRegressionPenalty.None ? 0.0 : 1.0 / o.C;
        int problems = multinomial ? 1 : (classes.Length == 2 ? 1 : classes.Length);
        int k = multinomial ? classes.Length : 1;
        int outRows = multinomial ? (k == 2 ? 1 : k) : problems;
        double[] coef = new double[outRows * d];
        double[] intercept = new double[outRows];
        int[] iterations = new int[problems];
        bool[] converged = new bool[problems];
        double[] final = new double[problems];
        for (int problem = 0; problem < problems; problem++)
        {
            int[] labels = encoded;
            if (!multinomial)
            {
                int positive = problem + (classes.Length == 2 ? 1 : 0);
                labels = new int[x.Height];
                for (int i = 0; i < labels.Length; i++)
                {
                    labels[i] = encoded[i] == positive ? 1 : 0;
                }
            }

            LogisticObjective<T> objective = new(x, labels, k, multinomial, inverseC, o.FitIntercept);
            (double[] w, int it, bool ok, double change) = o.Solver == LogisticRegressionSolver.NewtonCg
                ? NewtonCgSolver.Solve(objective, o.MaxIterations, o.Tolerance, cancellationToken)
                : LbfgsSolver.Solve(objective, o.MaxIterations, o.Tolerance, cancellationToken);
            iterations[problem] = it;
            converged[problem] = ok;
            final[problem] = change;
            int first = multinomial && k == 2 ? 1 : 0;
            int rows = multinomial ? outRows : 1;
            for (int r = 0; r < rows; r++)
            {
                int outRow = multinomial ? r : problem;
                w.AsSpan((r + first) * (d + 1), d).CopyTo(coef.AsSpan(outRow * d, d));
                intercept[outRow] = w[((r + first) * (d + 1)) + d];
            }
        }

        return new LogisticRegressionModel(o, multinomial, classes, d, coef, intercept, iterations, converged, final);
    }

    // sklearn: l2 → α = 1/C; l1 → β = 1/C; elasticnet → α = (1−ρ)/C, β = ρ/C; none → C = ∞.
    private static (double Alpha, double Beta) PenaltyStrengths(LogisticRegressionOptions o) => o.Penalty switch
    {
        LogisticRegressionPenalty.L2 => (1.0 / o.C, 0.0),
        LogisticRegressionPenalty.L1 => (0.0, 1.0 / o.C),
        LogisticRegressionPenalty.ElasticNet => ((1.0 - o.L1Ratio!.Value) / o.C, o.L1Ratio!.Value / o.C),
        _ => (0.0, 0.0),
    };

    private static void CheckFinite<T>(ReadOnlySpan2D<T> x)
        where T : unmanaged
    {
        for (int i = 0; i < x.Height; i++)
        {
            ReadOnlySpan<T> row = x.GetRowSpan(i);
            for (int j = 0; j < row.Length; j++)
            {
                double v = SagKernels.Value(row, j);
                if (!double.IsFinite(v))
                {
                    ThrowHelper.ThrowNonFinite("x", v, i, j);
                }
            }
        }
    }
}
