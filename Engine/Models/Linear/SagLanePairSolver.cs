using System.Numerics;
using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Linear;

/// <summary>
/// <see cref="SagLaneSolver"/>'s loop for sparse rows, two steps per pass over the feature blocks: the passes are
/// bound by moving the blocks (U and A, 160 bytes per feature) between cache and core, and two consecutive samples
/// share most of their non-zero pixels, so one visit of a block serves both. Superseded by
/// <see cref="SagLaneQuadSolver"/> (four steps per pass, ~10% faster on pixels); runs only when asked for
/// (<see cref="SagLaneSolver.Solve{T}"/> with quads false), as the reference the quad loop is tested against.
/// </summary>
/// <remarks>
/// <para>
/// Steps go in pairs (a, b). Both dot products are taken in the pass that applies the previous pair's updates, so
/// b's misses a's update; it is added back as (x_b·x_a)·(coef_a, δ_a) once a's scalar step has run (the same
/// correction <see cref="SagLaneSolver"/>'s dense passes make). The pass then applies a's update and b's to each block
/// as two FMAs in that order (exactly the roundings of applying them one after the other) and takes the next pair's
/// dot products from the updated block. Rounding differs from sklearn's order of operations only (summation order,
/// FMA, vectorized exp).
/// </para>
/// <para>
/// Used where the weight scale never needs flushing within an epoch (sklearn flushes when it drops below 1e-9; with
/// two steps per pass the flush would have to fall between them); otherwise <see cref="SagLaneSolver"/>'s one-step
/// loop runs.
/// </para>
/// </remarks>
internal static class SagLanePairSolver
{
    // Rows are random draws from the whole training set (cache misses): each is prefetched this many draws ahead.
    private const int Distance = 8;

    // The draw ring (absolute draw mod 16) holds the Distance + 2 draws ahead.
    private const int RingMask = 15;

    private const int MemoryStride = SagLanes.Count;

    /// <summary>Whether the weight scale stays above sklearn's flush threshold (1e-9) through a whole epoch.</summary>
    public static bool Applies(int n, in SagProblem p)
    {
        // The scale is multiplied by this once per step and reset each epoch; the 10× margin covers the product's
        // rounding (≈ n ulp) many times over.
        double scaleUpdate = 1.0 - (p.StepSize * p.AlphaScaled);
        return scaleUpdate > 0 && Math.Pow(scaleUpdate, n) >= 1e-8;
    }

    /// <summary>Runs the problem as <see cref="SagLaneSolver.Solve{T}"/> does (same arguments and results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SagResult[] Solve<T>(ReadOnlySpan2D<T> x, ReadOnlySpan<int> y, in SagProblem p, int firstClass, CancellationToken cancellationToken)
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
        SagResult[] results = new SagResult[multinomial ? 1 : lanes];

        SagLanes laneIndex = SagLanes.Index;
        SagLanes used = SagLanes.LessThan(laneIndex, SagLanes.Broadcast(lanes));
        SagLaneChain chain = new(p, used);
        int activeBits = (1 << lanes) - 1;

        SagDraws order = new(p, n);
        Span<int> ahead = stackalloc int[RingMask + 1];
        for (int r = 0; r <= Distance + 1; r++)
        {
            ahead[r] = order.Next();
        }

        long at = 0;
        int epoch = 0;
        int remaining = results.Length;
        while (epoch < p.MaxIterations && remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The first pair's dot products, from the state after the last flush.
            ReadOnlySpan<T> first = x.GetRowSpan(ahead[(int)(at & RingMask)]);
            ReadOnlySpan<T> second = n > 1 ? x.GetRowSpan(ahead[(int)((at + 1) & RingMask)]) : first;
            (int unionCount, _) = SparseRows.CompactUnion(first, second, first, second, union, onlyNext);
            SagLaneKernels.Accumulators accA = default;
            SagLaneKernels.Accumulators accB = default;
            SagLanePairKernels.Dot(union.AsSpan(0, unionCount), first, second, ref w, ref accA, ref accB);
            double gram = SagLaneDenseKernels.RowDot(second, first);

            for (int t = 0; t < n; t += 2)
            {
                bool hasB = t + 1 < n;
                int ia = ahead[(int)(at & RingMask)];
                int ib = hasB ? ahead[(int)((at + 1) & RingMask)] : ia;
                ReadOnlySpan<T> rowA = x.GetRowSpan(ia);
                ReadOnlySpan<T> rowB = x.GetRowSpan(ib);
                for (long k = at + Distance; k < at + Distance + 2; k++)
                {
                    int far = ahead[(int)(k & RingMask)];
                    SagLaneSolver.Prefetch(x.GetRowSpan(far), ref memory[far * MemoryStride]);
                }

                (SagLanes zU, SagLanes zA) = accA.Reduce();
                (SagLanes coefA, SagLanes deltaA) = chain.Step(zU, zA, ia, y, firstClass, memory, seen, multinomial, epoch);
                SagLanes coefB = default;
                SagLanes deltaB = default;
                if (hasB)
                {
                    (zU, zA) = accB.Reduce();
                    zU += gram * coefA;
                    zA += gram * deltaA;
                    (coefB, deltaB) = chain.Step(zU, zA, ib, y, firstClass, memory, seen, multinomial, epoch);
                }

                ReadOnlySpan<int> nz = union.AsSpan(0, unionCount);
                if (t + 2 < n)
                {
                    // The next pair (a single sample at an odd epoch end: d = c, its dot product unused).
                    ReadOnlySpan<T> rowC = x.GetRowSpan(ahead[(int)((at + 2) & RingMask)]);
                    ReadOnlySpan<T> rowD = t + 3 < n ? x.GetRowSpan(ahead[(int)((at + 3) & RingMask)]) : rowC;
                    (int count, int onlyCount) = SparseRows.CompactUnion(rowA, rowB, rowC, rowD, nextUnion, onlyNext);
                    accA = default;
                    accB = default;
                    SagLanePairKernels.UpdateDot(nz, rowA, rowB, rowC, rowD, ref w, coefA, deltaA, coefB, deltaB, ref accA, ref accB);
                    SagLanePairKernels.Dot(onlyNext.AsSpan(0, onlyCount), rowC, rowD, ref w, ref accA, ref accB);
                    gram = SagLaneDenseKernels.RowDot(rowD, rowC);
                    (union, nextUnion) = (nextUnion, union);
                    unionCount = count;
                }
                else
                {
                    SagLanePairKernels.Update(nz, rowA, rowB, ref w, coefA, deltaA, coefB, deltaB);
                }

                int draws = hasB ? 2 : 1;
                for (int k = 0; k < draws; k++)
                {
                    ahead[(int)((at + Distance + 2 + k) & RingMask)] = order.Next();
                }

                at += draws;
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
}
