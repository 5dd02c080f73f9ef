using System.Numerics;
using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Models.Linear;

/// <summary>
/// <see cref="SagLaneSolver"/>'s loop for sparse rows (and, over all features, for dense rows of at least 32 features),
/// four steps per pass over the feature blocks: the passes are
/// bound by moving the blocks (U and A, 160 bytes per feature) between cache and core, and four consecutive samples
/// share most of their non-zero pixels, so one visit of a block serves all four (half the visits of
/// <see cref="SagLanePairSolver"/>).
/// </summary>
/// <remarks>
/// <para>
/// Steps go in quads (samples 0–3). All four dot products are taken in the pass that applies the previous quad's
/// updates, so sample r's misses the updates of samples 0 … r−1 of its own quad; each is added back as
/// (x_r·x_q)·(coef_q, δ_q), in order q = 0 … r−1, once step q has run (six row products per quad, the correction the
/// pair loop makes once). The pass then applies the four updates to each block as four FMAs in step order (exactly
/// the roundings of applying them one after the other) and takes the next quad's dot products from the updated block.
/// Rounding differs from sklearn's order of operations only (summation order, FMA, vectorized exp).
/// </para>
/// <para>
/// A quad cut short by the end of an epoch (n not a multiple of 4) repeats its first row in the missing places with
/// zero steps, which change no block. Used where the weight scale never needs flushing within an epoch
/// (<see cref="SagLanePairSolver.Applies"/>).
/// </para>
/// </remarks>
internal static class SagLaneQuadSolver
{
    /// <summary>Steps per pass.</summary>
    public const int Width = 4;

    // Rows are random draws from the whole training set (cache misses): each is prefetched this many draws ahead.
    internal const int Distance = 8;

    // The draw ring (absolute draw mod 16) holds the Distance + 4 draws ahead.
    internal const int RingMask = 15;

    private const int MemoryStride = SagLanes.Count;

    // Features per piece of the fused pass, each piece preceded by a slice of the far rows' prefetches (~5 lines of each
    // of the four rows on pixels) rather than all ~200 lines at once, which outnumber the outstanding misses (see
    // SagLaneOctetKernels.UpdateDotWide). Measured on Zen 4 (pixel fit in process, 7 fits, alternated): medians 286–358 ms
    // at 64 against 349–392 ms all at once; 32: 319–377 ms, 128: 317–328 ms.
    private const int Piece = 64;

    // Lines [from, to) of each of the four rows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchSlice<T>(in RowQuad<T> rows, int from, int to)
        where T : unmanaged
    {
        SagLaneOctetKernels.PrefetchLines(rows.X0, from, to);
        SagLaneOctetKernels.PrefetchLines(rows.X1, from, to);
        SagLaneOctetKernels.PrefetchLines(rows.X2, from, to);
        SagLaneOctetKernels.PrefetchLines(rows.X3, from, to);
    }

    /// <summary>
    /// Runs the problem as <see cref="SagLaneSolver.Solve{T}"/> does (same arguments and results). With
    /// <paramref name="denseRows"/> every pass runs over all features in order instead of the quads' non-zero columns
    /// (no per-quad scan): a column zero in all four rows adds exactly nothing, so only the summation order of the dot
    /// products differs (the next quad's columns outside the current one's are otherwise summed last).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SagResult[] Solve<T>(ReadOnlySpan2D<T> x, ReadOnlySpan<int> y, in SagProblem p, int firstClass, CancellationToken cancellationToken, bool denseRows = false)
        where T : unmanaged
    {
        int n = x.Height;
        int d = x.Width;
        int lanes = p.ClassCount;
        bool multinomial = p.Multinomial;

        using SagLaneWorkspace workspace = new(n, d, lanes);
        ref double w = ref workspace.Weights;
        double[] memory = workspace.Memory;
        double[] previous = workspace.Previous;
        bool[] seen = workspace.Seen;
        int[] union = new int[d + 16];
        int[] nextUnion = new int[d + 16];
        int[] onlyNext = new int[d + 16];
        using ScratchArray<double> wideRows = new(Width * d, clear: false);
        using ScratchArray<double> nextWideRows = new(Width * d, clear: false);
        double[] wide = wideRows.Array;
        double[] nextWide = nextWideRows.Array;
        if (denseRows)
        {
            for (int j = 0; j < d; j++)
            {
                union[j] = j;
                nextUnion[j] = j;
            }
        }
        SagResult[] results = new SagResult[multinomial ? 1 : lanes];

        SagLanes used = SagLanes.LessThan(SagLanes.Index, SagLanes.Broadcast(lanes));
        SagLaneChain chain = new(p, used);
        int activeBits = (1 << lanes) - 1;

        SagDraws order = new(p, n);
        Span<int> ahead = stackalloc int[RingMask + 1];
        for (int r = 0; r < Distance + Width; r++)
        {
            ahead[r] = order.Next();
        }

        Span<double> gram = stackalloc double[6];
        Span<int> rows = stackalloc int[Width];
        Span<SagLanes> dots = stackalloc SagLanes[2 * Width];
        SagLaneQuadKernels.Steps steps = default;
        SagLaneQuadKernels.Accumulators acc = default;
        long at = 0;
        int epoch = 0;
        int remaining = results.Length;
        while (epoch < p.MaxIterations && remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The first quad's dot products, from the state after the last flush.
            RowQuad<T> first = Quad(x, ahead, at, n);
            (int unionCount, _) = denseRows ? (d, 0) : SparseRows.CompactQuad(first, first, union, onlyNext);
            acc = default;
            RowQuad<double> firstRows = RowWidening.Widen(first, wide, p.RowScale);
            SagLaneQuadKernels.Dot(union.AsSpan(0, unionCount), firstRows, ref w, ref acc);
            SagLaneQuadKernels.Gram(firstRows, gram);

            for (int t = 0; t < n; t += Width)
            {
                int m = Math.Min(Width, n - t);
                for (int k = 0; k < Width; k++)
                {
                    rows[k] = ahead[(int)((at + (k < m ? k : 0)) & RingMask)];
                }

                RowQuad<T> farRows = Quad(x, ahead, at + Distance, Width);
                int lines = SagLaneOctetKernels.Lines(farRows.X0);

                for (int r = 0; r < Width; r++)
                {
                    (dots[2 * r], dots[(2 * r) + 1]) = acc.Reduce(r);
                }

                Run(ref chain, ref steps, dots, gram, rows, m, y, firstClass, memory, seen, multinomial, epoch);

                RowQuad<double> current = RowWidening.Rows(wide, d);
                ReadOnlySpan<int> nz = union.AsSpan(0, unionCount);
                if (t + Width < n)
                {
                    RowQuad<T> next = Quad(x, ahead, at + Width, n - t - Width);
                    (int count, int onlyCount) = denseRows ? (d, 0) : SparseRows.CompactQuad(Quad(x, ahead, at, m), next, nextUnion, onlyNext);
                    RowQuad<double> nextRows = RowWidening.Widen(next, nextWide, p.RowScale);
                    acc = default;
                    int slices = Math.Max(1, (nz.Length + Piece - 1) / Piece);
                    for (int piece = 0; piece < slices; piece++)
                    {
                        PrefetchSlice(farRows, (int)((long)lines * piece / slices), (int)((long)lines * (piece + 1) / slices));
                        int start = piece * Piece;
                        SagLaneQuadKernels.UpdateDot(nz[start..Math.Min(start + Piece, nz.Length)], current, nextRows, ref w, steps, ref acc);
                    }

                    SagLaneQuadKernels.Dot(onlyNext.AsSpan(0, onlyCount), nextRows, ref w, ref acc);
                    SagLaneQuadKernels.Gram(nextRows, gram);
                    (union, nextUnion) = (nextUnion, union);
                    unionCount = count;
                    (wide, nextWide) = (nextWide, wide);
                }
                else
                {
                    PrefetchSlice(farRows, 0, lines);
                    SagLaneQuadKernels.Update(nz, current, ref w, steps);
                }

                // The far samples' gradient-memory rows, labels and seen flags after the pass rather than before the chain
                // (as SagLaneSplitHalf does; the rows themselves a slice per piece of the pass, see
                // SagLaneOctetKernels.UpdateDotWide's remarks). Measured on Zen 4, one thread, 30 epochs, alternated
                // in-process: PCA+HOG −8.1 ms (8 of 8 pairs) and −2.3 ms (6 of 10) at ~560 ms, HOG −3.9 ms (8 of 10) at
                // ~290 ms, PCA-40 −0.6 ms (7 of 8), pixels (3 epochs) −0.9 ms (5 of 8) at ~271 ms.
                for (long k = at + Distance; k < at + Distance + Width; k++)
                {
                    int far = ahead[(int)(k & RingMask)];
                    SagLaneSolver.PrefetchMemory(ref memory[far * MemoryStride]);
                    SagLaneSolver.PrefetchLine(ref Unsafe.AsRef(in y[far]));
                    SagLaneSolver.PrefetchLine(ref seen[far]);
                }

                for (int k = 0; k < m; k++)
                {
                    ahead[(int)((at + Distance + Width + k) & RingMask)] = order.Next();
                }

                at += m;
            }

            SagLaneSolver.Flush(ref w, d, lanes, chain.StepSum, chain.Scale, activeBits, epoch);
            chain.StepSum = 0.0;
            chain.Scale = 1.0;
            epoch++;
            int stopped = SagLaneSolver.StopProblems(ref w, previous, d, lanes, multinomial, chain.B, epoch, p, results);
            remaining -= BitOperations.PopCount((uint)stopped);
            if (!multinomial)
            {
                for (int c = 0; c < lanes; c++)
                {
                    if ((stopped & (1 << c)) != 0)
                    {
                        chain.Deactivate(c);
                    }
                }

                activeBits &= ~stopped;
            }
        }

        return results;
    }

    /// <summary>
    /// The quad's scalar steps: sample r's dot products (<paramref name="dots"/>[2r] = x_r·U, [2r + 1] = x_r·A, taken
    /// before the quad's updates) plus Σ_{q&lt;r} (x_r·x_q)·(coef_q, δ_q), in order of q (<paramref name="gram"/> as
    /// <see cref="SagLaneQuadKernels.Gram{T}"/> gives it). The <paramref name="m"/> ≤ 4 real samples are
    /// <paramref name="rows"/>[0 … m−1]; the padding's steps are zero. Shared with the two-thread split.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Run(
        ref SagLaneChain chain, ref SagLaneQuadKernels.Steps steps, ReadOnlySpan<SagLanes> dots, ReadOnlySpan<double> gram,
        ReadOnlySpan<int> rows, int m, ReadOnlySpan<int> y, int firstClass, double[] memory, bool[] seen, bool multinomial, int epoch)
    {
        Step(ref chain, dots[0], dots[1], rows[0], y, firstClass, memory, seen, multinomial, epoch, out steps.Coef0, out steps.Delta0);
        steps.Coef1 = steps.Delta1 = steps.Coef2 = steps.Delta2 = steps.Coef3 = steps.Delta3 = default;
        if (m > 1)
        {
            SagLanes zU = dots[2] + (gram[0] * steps.Coef0);
            SagLanes zA = dots[3] + (gram[0] * steps.Delta0);
            Step(ref chain, zU, zA, rows[1], y, firstClass, memory, seen, multinomial, epoch, out steps.Coef1, out steps.Delta1);
        }

        if (m > 2)
        {
            SagLanes zU = dots[4] + (gram[1] * steps.Coef0);
            SagLanes zA = dots[5] + (gram[1] * steps.Delta0);
            zU += gram[2] * steps.Coef1;
            zA += gram[2] * steps.Delta1;
            Step(ref chain, zU, zA, rows[2], y, firstClass, memory, seen, multinomial, epoch, out steps.Coef2, out steps.Delta2);
        }

        if (m > 3)
        {
            SagLanes zU = dots[6] + (gram[3] * steps.Coef0);
            SagLanes zA = dots[7] + (gram[3] * steps.Delta0);
            zU += gram[4] * steps.Coef1;
            zA += gram[4] * steps.Delta1;
            zU += gram[5] * steps.Coef2;
            zA += gram[5] * steps.Delta2;
            Step(ref chain, zU, zA, rows[3], y, firstClass, memory, seen, multinomial, epoch, out steps.Coef3, out steps.Delta3);
        }
    }

    // The quad of draws at..at+3 (the first `available` of them real, the rest repeat the first), columns [lo, lo + count).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static RowQuad<T> Quad<T>(ReadOnlySpan2D<T> x, ReadOnlySpan<int> ahead, long at, int available, int lo = 0, int count = -1)
        where T : unmanaged
    {
        int width = count < 0 ? x.Width : count;
        ReadOnlySpan<T> x0 = x.GetRowSpan(ahead[(int)(at & RingMask)]).Slice(lo, width);
        return new RowQuad<T>(
            x0,
            available > 1 ? x.GetRowSpan(ahead[(int)((at + 1) & RingMask)]).Slice(lo, width) : x0,
            available > 2 ? x.GetRowSpan(ahead[(int)((at + 2) & RingMask)]).Slice(lo, width) : x0,
            available > 3 ? x.GetRowSpan(ahead[(int)((at + 3) & RingMask)]).Slice(lo, width) : x0);
    }

    // Compiled on its own, so that the chain's step and the SagLanes operators inline here: inlined into Solve, past its
    // inlining budget, they stayed calls (perf on Zen 4: SagLanes.op_Addition, op_Multiply and a ValueTuple constructor as
    // separate symbols). One-thread pixel fit (`fashion bench --threads 1`, three alternated pairs) 0.265–0.277 →
    // 0.261–0.265 s; the same bits.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Step(
        ref SagLaneChain chain, in SagLanes zU, in SagLanes zA, int i, ReadOnlySpan<int> y, int firstClass, double[] memory, bool[] seen,
        bool multinomial, int epoch, out SagLanes coef, out SagLanes delta) =>
        (coef, delta) = chain.Step(zU, zA, i, y, firstClass, memory, seen, multinomial, epoch);
}
