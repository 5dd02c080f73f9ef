using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Linear;

/// <summary>
/// <see cref="SagSolver"/>'s epoch loop (sklearn 1.2.1 <c>sag_fast.pyx</c>, L2 or no penalty) for up to 10 weight
/// columns at once, as 10 SIMD lanes: one multinomial problem with up to 10 classes, or up to 10 one-vs-rest binary
/// problems. sklearn runs every OvR class with the same seed, so they draw the same samples in the same order and
/// share the step size, weight scale and step sums; only gradients, weights and intercepts differ per class, which
/// are independent lanes here. Each lane does exactly the arithmetic of its own binary run.
/// </summary>
/// <remarks>
/// <para>
/// State per feature j, in one 192-byte block (<see cref="SagLaneKernels"/>): U_j and the gradient sums A_j. The
/// true weights are W = s·(U − c·A) with the weight scale s and the running step sum c (the "U-form" of sklearn's
/// lazy updates: a step adds to A and moves U by c·x·δ, so no per-feature catch-up is ever needed; the flush at the
/// end of the epoch folds c and s into U).
/// </para>
/// <para>
/// Only a sample's non-zero features are touched. The draw order does not depend on the weights, so the next sample
/// is known one step ahead: step t's update and step t+1's dot product run as one pass over the features of sample
/// t (each block is read and written once and its new value feeds the dot product), plus a dot-only pass over the
/// features of sample t+1 that sample t does not have. Rounding differs from sklearn's order of operations only
/// (summation order, FMA, vectorized exp).
/// </para>
/// </remarks>
internal static class SagLaneSolver
{
    /// <summary>Most weight columns per run.</summary>
    public const int MaxLanes = 10;

    // Rows of the per-sample gradient memory are padded to SagLanes.Count doubles.
    private const int MemoryStride = SagLanes.Count;

    /// <summary>
    /// Runs SAG/SAGA without the L1 prox. <paramref name="p"/>.ClassCount is the lane count L ≤ 10. Multinomial: one
    /// softmax problem over the L lanes (labels 0..L−1), one result with d×L weights. Otherwise L binary problems,
    /// lane c positive where the label is <paramref name="firstClass"/> + c; one d×1 result per lane, each stopped at
    /// its own epoch. Sparse rows go to <see cref="SagLaneQuadSolver"/> (four steps per pass; with
    /// <paramref name="quads"/> false <see cref="SagLanePairSolver"/>, two) unless <paramref name="pairs"/> is false or
    /// the weight scale would need flushing within an epoch; so do dense rows of at least 32 features (the quad loop
    /// over all features), with <paramref name="quads"/> and <paramref name="pairs"/> true and the same condition.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SagResult[] Solve<T>(
        ReadOnlySpan2D<T> x, ReadOnlySpan<int> y, in SagProblem p, int firstClass, CancellationToken cancellationToken, bool? dense = null, bool pairs = true, bool quads = true)
        where T : unmanaged
    {
        int n = x.Height;
        int d = x.Width;
        bool denseRows = dense ?? IsDense(x);
        if (pairs && SagLanePairSolver.Applies(n, p) && (!denseRows || (quads && d >= DenseQuadFeatures)))
        {
            return quads
                ? SagLaneQuadSolver.Solve(x, y, p, firstClass, cancellationToken, denseRows)
                : SagLanePairSolver.Solve(x, y, p, firstClass, cancellationToken);
        }

        int lanes = p.ClassCount;
        bool multinomial = p.Multinomial;
        double eta = p.StepSize;

        // Pooled (results are copied out); the blocks are 64-byte aligned and pinned, so every block load and store is aligned.
        using SagLaneWorkspace workspace = new(n, d, lanes);
        ref double w = ref workspace.Weights;
        double[] memory = workspace.Memory;
        double[] previous = workspace.Previous;
        bool[] seen = workspace.Seen;
        int[] nzCurrent = new int[d + 16];
        int[] nzNext = new int[d + 16];
        int[] onlyNext = new int[d + 16];
        SagResult[] results = new SagResult[multinomial ? 1 : lanes];

        SagLanes laneIndex = SagLanes.Index;
        SagLanes used = SagLanes.LessThan(laneIndex, SagLanes.Broadcast(lanes));

        // Lanes whose problem is still running (OvR lanes stop at their own epoch): only they can overflow.
        SagLanes active = used;
        int activeBits = (1 << lanes) - 1;
        SagLanes negativeInfinity = SagLanes.Broadcast(double.NegativeInfinity);
        SagLanes one = SagLanes.Broadcast(1.0);
        SagLanes b = default;
        SagLanes sumB = default;
        SagLaneKernels.Accumulators acc = default;

        // The draws do not depend on the weights: the next ones are kept in a ring, so rows are prefetched a few steps
        // ahead and the next sample's dot product can be fused with this step's update.
        SagDraws order = new(p, n);
        Span<int> ahead = stackalloc int[16];
        for (int r = 0; r <= Distance; r++)
        {
            ahead[r] = order.Next();
        }

        int head = 0;
        int current = ahead[0];
        int next = ahead[1];
        int nzCount = 0;
        bool haveDot = false;

        // Dense rows: step t−1's update is applied one step late, in the same sweep as the dot product of row t+1,
        // so that sweep does not wait for step t's gradient (the two dependency chains overlap). Row t's dot product
        // then misses step t−1's update, added back as (x_t·x_{t−1})·(coef, δ) of that step.
        int pendingRow = -1;
        SagLanes pendingCoef = default;
        SagLanes pendingDelta = default;
        double overlap = 0.0;
        double scale = 1.0;
        double stepSum = 0.0;
        double scaleUpdate = 1.0 - (eta * p.AlphaScaled);
        int seenCount = 0;
        int epoch = 0;
        int remaining = results.Length;
        while (epoch < p.MaxIterations && remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int t = 0; t < n; t++)
            {
                int i = current;
                ReadOnlySpan<T> row = x.GetRowSpan(i);
                int far = ahead[(head + Distance) & 15];
                Prefetch(x.GetRowSpan(far), ref memory[far * MemoryStride]);

                if (!haveDot)
                {
                    acc = default;
                    if (denseRows)
                    {
                        SagLaneDenseKernels.Dot(row, ref w, ref acc);
                        pendingRow = -1;
                    }
                    else
                    {
                        nzCount = SparseRows.Compact(row, nzCurrent);
                        SagLaneKernels.Dot(nzCurrent.AsSpan(0, nzCount), row, ref w, ref acc);
                    }
                }

                ref double g = ref memory[i * MemoryStride];
                if (!seen[i])
                {
                    // The memory is pooled scratch (not cleared): a sample's row starts at zero when it is first drawn.
                    seen[i] = true;
                    seenCount++;
                    default(SagLanes).Store(ref g);
                }

                (SagLanes zU, SagLanes zA) = acc.Reduce();
                if (pendingRow >= 0)
                {
                    zU += overlap * pendingCoef;
                    zA += overlap * pendingDelta;
                }

                SagLanes z = zU - (stepSum * zA);
                z = (scale * z) + b;
                SagLanes grad = multinomial
                    ? MultinomialGradient(z, y[i], used, negativeInfinity, laneIndex, one)
                    : BinaryGradient(z, y[i] - firstClass, used, laneIndex, one);

                scale *= scaleUpdate;
                SagLanes delta = grad - SagLanes.Load(ref g);
                double fresh = 1.0 - (1.0 / seenCount);

                // sklearn: V −= ((x·δ)·η·(1−1/m))/s, the factor hoisted per class; A += x·δ, so U also moves by c·x·δ.
                SagLanes coef = p.Saga ? (stepSum * delta) - ((delta * eta * fresh) / scale) : stepSum * delta;
                if (p.FitIntercept)
                {
                    sumB += delta;
                    SagLanes cb = delta * (eta * fresh);
                    b -= p.Saga ? ((eta * sumB) / seenCount) + cb : (eta * sumB) / seenCount;
                    if (!SagLanes.AllFinite(b, active))
                    {
                        SagSolver.ThrowOverflow(epoch);
                    }
                }

                grad.Store(ref g);
                stepSum += eta / (scale * seenCount);
                ReadOnlySpan<int> nz = nzCurrent.AsSpan(0, nzCount);
                if (denseRows && t + 1 < n && scale >= 1e-9)
                {
                    ReadOnlySpan<T> nextRow = x.GetRowSpan(next);
                    acc = default;
                    if (pendingRow >= 0)
                    {
                        SagLaneDenseKernels.UpdateDot(x.GetRowSpan(pendingRow), nextRow, ref w, pendingCoef, pendingDelta, ref acc);
                    }
                    else
                    {
                        SagLaneDenseKernels.Dot(nextRow, ref w, ref acc);
                    }

                    overlap = SagLaneDenseKernels.RowDot(nextRow, row);
                    (pendingRow, pendingCoef, pendingDelta) = (i, coef, delta);
                    haveDot = true;
                }
                else if (t + 1 < n && scale >= 1e-9)
                {
                    ReadOnlySpan<T> nextRow = x.GetRowSpan(next);
                    (int nextCount, int onlyCount) = SparseRows.CompactPair(row, nextRow, nzNext, onlyNext);
                    acc = default;
                    SagLaneKernels.UpdateDot(nz, row, nextRow, ref w, coef, delta, ref acc);
                    SagLaneKernels.Dot(onlyNext.AsSpan(0, onlyCount), nextRow, ref w, ref acc);
                    (nzCurrent, nzNext) = (nzNext, nzCurrent);
                    nzCount = nextCount;
                    haveDot = true;
                }
                else
                {
                    if (denseRows)
                    {
                        if (pendingRow >= 0)
                        {
                            SagLaneDenseKernels.Update(x.GetRowSpan(pendingRow), ref w, pendingCoef, pendingDelta);
                        }

                        SagLaneDenseKernels.Update(row, ref w, coef, delta);
                        pendingRow = -1;
                    }
                    else
                    {
                        SagLaneKernels.Update(nz, row, ref w, coef, delta);
                    }

                    haveDot = false;
                    if (scale < 1e-9)
                    {
                        // Rare (η/C ≳ 20): fold the scale into U before it underflows, as sklearn does.
                        Flush(ref w, d, lanes, stepSum, scale, activeBits, epoch);
                        stepSum = 0.0;
                        scale = 1.0;
                    }
                }

                ahead[(head + Distance + 1) & 15] = order.Next();
                head = (head + 1) & 15;
                current = next;
                next = ahead[(head + 1) & 15];
            }

            Flush(ref w, d, lanes, stepSum, scale, activeBits, epoch);
            stepSum = 0.0;
            scale = 1.0;
            epoch++;
            int stopped = StopProblems(ref w, previous, d, lanes, multinomial, b, epoch, p, results);
            remaining -= BitOperations.PopCount((uint)stopped);
            if (!multinomial)
            {
                for (int c = 0; c < lanes; c++)
                {
                    if ((stopped & (1 << c)) != 0)
                    {
                        active = SagLanes.Select(SagLanes.Equals(laneIndex, SagLanes.Broadcast(c)), default, active);
                    }
                }

                activeBits &= ~stopped;
            }
        }

        return results;
    }

    /// <summary>Rows sampled to choose between the dense and the sparse passes.</summary>
    internal const int DensitySampleRows = 1000;

    /// <summary>
    /// Whether the dense passes are the faster ones: their cost per step is ~d, the sparse passes' ~nnz plus index
    /// and compaction overhead of roughly the same order, so they win only when most values are non-zero. Decided on
    /// the first <see cref="DensitySampleRows"/> rows (either choice gives the same model up to rounding).
    /// </summary>
    internal static bool IsDense<T>(ReadOnlySpan2D<T> x)
        where T : unmanaged
    {
        int rows = Math.Min(x.Height, DensitySampleRows);
        long nonZero = 0;
        for (int i = 0; i < rows; i++)
        {
            nonZero += NonZeroCounts.CountNonZeros(x.GetRowSpan(i));
        }

        return nonZero >= (long)(DenseFraction * rows * x.Width);
    }

    // Dense rows with at least this many features take the quad loop over all features (four steps per visit of a
    // block: a quarter of the block loads and stores) instead of the dense passes (one step per visit, the chain of a
    // step overlapping the next pass). Measured on Zen 4, one thread, 60 000 rows, 60 epochs, in-process medians of 3:
    // PCA+HOG-112 1.16–1.23 s against 1.28–1.30 s; HOG-72 0.29–0.32 against 0.30 s; PCA-40 0.65–0.69 against 0.61 s;
    // with this threshold, PCA+HOG faster in 6 of 7 alternated pairs (1.11–1.45 against 1.30–1.46 s), its first 96
    // columns in 3 of 3 (1.00–1.09 against 1.16–1.25 s); the report's lr_pca_hog 23.2, 22.4 → 21.0, 21.7 s. Lowered
    // from 96 to 32 in session 30 (Zen 4, LogisticRegression.Fit on one thread, order alternated): HOG-72 (20 epochs)
    // 282.5 against 316.5 ms median, 10 of 11 pairs faster, two fits at once (as the report's folds run) 9 of 9;
    // PCA-40 at the study's 100 epochs 991.1 against 1039.4 ms, 10 of 10 (equal at 60 epochs); PCA's first 30 columns
    // 8 of 8 faster, while its first 25 (+4%), 20 (+5% at 60 epochs, +1% at 100) and 10 (+3%) are slower in the quad
    // loop.
    private const int DenseQuadFeatures = 32;

    /// <summary>
    /// Whether <see cref="Solve{T}"/> runs a problem that <see cref="SagLanePairSolver.Applies"/> to on
    /// <paramref name="x"/> in the quad loop (sparse rows, or dense ones of at least 32 features), which reads byte rows
    /// (widening each quad times <see cref="SagProblem.RowScale"/>) where the other loops read float and double rows only.
    /// </summary>
    internal static bool QuadLoopTakes<T>(ReadOnlySpan2D<T> x)
        where T : unmanaged => !IsDense(x) || x.Width >= DenseQuadFeatures;

    // Non-zero fraction from which the dense passes are used. Measured break-even ≈ 0.55: on pixels/255 (~50%
    // non-zero) the dense passes are ~8% slower; HOG (~77%) and PCA (100%) are well above 0.6.
    private const double DenseFraction = 0.6;

    // Rows are random draws from the whole training set (cache misses): each is prefetched this many steps ahead.
    private const int Distance = 4;

    /// <summary>Prefetches a row drawn <see cref="Distance"/> steps ahead and its gradient-memory slot (shared by the pair and split loops).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch<T>(ReadOnlySpan<T> row, ref double memory)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(row));
            int bytes = row.Length * sizeof(T);
            for (int o = 0; o < bytes; o += 64)
            {
                Sse.Prefetch0(start + o);
            }

            PrefetchMemory(ref memory);
        }
    }

    /// <summary>Prefetches a gradient-memory slot (the lines of its <see cref="SagLanes.Count"/> doubles).</summary>
    /// <remarks>
    /// A slot is 96 bytes at any multiple of 8 (the pooled array is not line-aligned), so it can span three lines: its
    /// first byte, byte 64 and last byte cover them all. With only the first and last byte, a slot starting past byte 32
    /// of a line kept its middle line unprefetched, and the scalar step's first load of the slot waited on memory (23% of
    /// SagLaneSplitHalf.Steps' samples on Zen 4).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void PrefetchMemory(ref double memory)
    {
        if (Sse.IsSupported)
        {
            byte* g = (byte*)Unsafe.AsPointer(ref memory);
            Sse.Prefetch0(g);
            Sse.Prefetch0(g + 64);
            Sse.Prefetch0(g + (MemoryStride * sizeof(double)) - 1);
        }
    }

    /// <summary>Prefetches the line holding <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void PrefetchLine<TValue>(ref TValue value)
        where TValue : unmanaged
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref value));
        }
    }

    /// <summary>Elements of <paramref name="pinned"/> to skip so the rest starts on a 64-byte boundary (the array must be pinned).</summary>
    internal static unsafe int AlignedOffset(double[] pinned) =>
        (int)((64 - ((nuint)Unsafe.AsPointer(ref pinned[0]) & 63)) & 63) / sizeof(double);

    /// <summary>
    /// sklearn's end-of-epoch stopping test (on the weights only) for every problem still running: fills
    /// <paramref name="results"/> for those that stop at <paramref name="epoch"/> (converged, or at max_iter).
    /// </summary>
    /// <returns>The problems that stopped now, as bits (multinomial: bit 0, the one problem; OvR: bit c, lane c).</returns>
    internal static int StopProblems(ref double w, double[] previous, int d, int lanes, bool multinomial, in SagLanes b, int epoch, in SagProblem p, SagResult[] results)
    {
        if (multinomial)
        {
            (double maxWeight, double maxChange) = Change(ref w, previous, d, lanes, 0, lanes);
            bool stop = Stop(maxWeight, maxChange, p.Tolerance, out double change);
            if (stop || epoch == p.MaxIterations)
            {
                results[0] = new SagResult(Weights(ref w, d, 0, lanes), Intercept(b, 0, lanes), epoch, stop, change);
                return 1;
            }

            return 0;
        }

        int stopped = 0;
        for (int c = 0; c < lanes; c++)
        {
            if (results[c].Weights is not null)
            {
                continue;
            }

            (double maxWeight, double maxChange) = Change(ref w, previous, d, lanes, c, 1);
            bool stop = Stop(maxWeight, maxChange, p.Tolerance, out double change);
            if (stop || epoch == p.MaxIterations)
            {
                results[c] = new SagResult(Weights(ref w, d, c, 1), Intercept(b, c, 1), epoch, stop, change);
                stopped |= 1 << c;
            }
        }

        return stopped;
    }

    // sklearn's stopping test on max|ΔW|/max|W| (weights only).
    internal static bool Stop(double maxWeight, double maxChange, double tolerance, out double change)
    {
        change = maxWeight != 0 ? maxChange / maxWeight : (maxChange == 0 ? 0.0 : double.PositiveInfinity);
        return (maxWeight != 0 && maxChange / maxWeight <= tolerance) || (maxWeight == 0 && maxChange == 0);
    }

    // max|W| and max|W − W_prev| over lanes [first, first + count); W_prev ← W for them.
    internal static (double MaxWeight, double MaxChange) Change(ref double w, double[] previous, int d, int lanes, int first, int count)
    {
        double maxWeight = 0.0;
        double maxChange = 0.0;
        for (int j = 0; j < d; j++)
        {
            for (int c = first; c < first + count; c++)
            {
                double v = SagLaneKernels.U(ref w, j, c);
                ref double old = ref previous[(j * lanes) + c];
                maxWeight = Math.Max(maxWeight, Math.Abs(v));
                maxChange = Math.Max(maxChange, Math.Abs(v - old));
                old = v;
            }
        }

        return (maxWeight, maxChange);
    }

    // sklearn lagged_update(reset=True) in U-form: W = s·(U − c·A) for every feature; U ← W.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Flush(ref double w, int d, int lanes, double stepSum, double scale, int activeBits, int epoch)
    {
        for (int j = 0; j < d; j++)
        {
            for (int c = 0; c < lanes; c++)
            {
                ref double u = ref SagLaneKernels.U(ref w, j, c);
                u -= stepSum * SagLaneKernels.A(ref w, j, c);
                u *= scale;
                if (!double.IsFinite(u) && (activeBits & (1 << c)) != 0)
                {
                    SagSolver.ThrowOverflow(epoch);
                }
            }
        }
    }

    internal static double[] Weights(ref double w, int d, int first, int count)
    {
        double[] weights = new double[d * count];
        for (int j = 0; j < d; j++)
        {
            for (int c = 0; c < count; c++)
            {
                weights[(j * count) + c] = SagLaneKernels.U(ref w, j, first + c);
            }
        }

        return weights;
    }

    internal static double[] Intercept(in SagLanes b, int first, int count)
    {
        double[] intercept = new double[count];
        for (int c = 0; c < count; c++)
        {
            intercept[c] = b[first + c];
        }

        return intercept;
    }

    // sklearn: g = exp(z − lse) − onehot(label) with lse = log Σ exp(z − max) + max; here exp(z − max)/Σ, which is
    // the same up to rounding and needs one vector exp instead of two. Unused lanes are exp'd at 0 and then zeroed
    // (the same +0 that exp(−∞) gives): the vector exp takes its longer clamped path for a whole vector if any lane is
    // beyond ±708, and −∞ would send the padding lanes down that path every step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static SagLanes MultinomialGradient(in SagLanes z, int label, in SagLanes active, in SagLanes negativeInfinity, in SagLanes laneIndex, in SagLanes one)
    {
        SagLanes masked = SagLanes.Select(active, z, negativeInfinity);
        SagLanes top = masked.MaxBroadcast();
        SagLanes e = SagLanes.Exp(SagLanes.Select(active, z, top) - top) & active;
        SagLanes grad = e / e.SumBroadcast();
        return grad - (one & SagLanes.Equals(laneIndex, SagLanes.Broadcast(label)));
    }

    // sklearn Log.dloss per lane for y = +1 on lane `positive`, −1 elsewhere, with its ±18 cut-offs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static SagLanes BinaryGradient(in SagLanes z, int positive, in SagLanes active, in SagLanes laneIndex, in SagLanes one)
    {
        SagLanes isPositive = SagLanes.Equals(laneIndex, SagLanes.Broadcast(positive));
        SagLanes sign = SagLanes.Select(isPositive, one, default(SagLanes) - one);
        SagLanes minusSign = default(SagLanes) - sign;
        SagLanes q = z * sign;
        SagLanes middle = minusSign / (SagLanes.Exp(q) + one);
        SagLanes high = SagLanes.Exp(default(SagLanes) - q) * minusSign;
        SagLanes grad = SagLanes.Select(SagLanes.GreaterThan(q, SagLanes.Broadcast(18.0)), high, middle);
        grad = SagLanes.Select(SagLanes.LessThan(q, SagLanes.Broadcast(-18.0)), minusSign, grad);
        return grad & active;
    }
}
