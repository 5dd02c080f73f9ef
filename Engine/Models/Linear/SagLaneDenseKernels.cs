using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using FashionCore.Internals;

namespace FashionCore.Models.Linear;

/// <summary>
/// <see cref="SagLaneKernels"/>' passes for dense rows: every feature in order, no index list. Same block layout and
/// the same per-feature arithmetic; a zero feature adds exactly nothing (x·c = 0 to U and A, 0·U to a dot product),
/// so the only difference from the indexed passes is which accumulator set a feature's product lands in (the
/// features are split by parity of their position in the sweep, here the feature index itself).
/// </summary>
/// <remarks>
/// Small dense feature sets (PCA, HOG: d ≤ ~100, every feature non-zero) touch every block every step, so the
/// indirection of the sparse passes (row compaction, index loads, per-feature offset arithmetic) is pure overhead.
/// Here features go in (even, odd) pairs whose two blocks always sit at the same offsets of a 40-double stretch.
/// </remarks>
internal static class SagLaneDenseKernels
{
    // Doubles per (even, odd) feature pair; within it: even U 0, A 8, tail 16; odd tail 20, U 24, A 32.
    private const int Pair = 2 * SagLaneKernels.Block;

    /// <summary>Accumulates x·U and x·A over every feature of <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot<T>(ReadOnlySpan<T> row, ref double w, ref SagLaneKernels.Accumulators acc)
        where T : unmanaged
    {
        ref T x = ref MemoryMarshal.GetReference(row);
        Vector512<double> u = acc.U, a = acc.A, ub = acc.Ub, ab = acc.Ab;
        Vector256<double> tl = acc.T, tlb = acc.Tb;
        int d = row.Length;
        int j = 0;
        ref double p = ref w;
        for (; j + 1 < d; j += 2)
        {
            Vector512<double> xj = SagLaneKernels.Broadcast(ref x, j);
            Vector512<double> xl = SagLaneKernels.Broadcast(ref x, j + 1);
            u = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref p), u);
            a = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref p, 8), a);
            tl = Vector256.FusedMultiplyAdd(xj.GetLower(), Vector256.LoadUnsafe(ref p, 16), tl);
            ub = Vector512.FusedMultiplyAdd(xl, Vector512.LoadUnsafe(ref p, 24), ub);
            ab = Vector512.FusedMultiplyAdd(xl, Vector512.LoadUnsafe(ref p, 32), ab);
            tlb = Vector256.FusedMultiplyAdd(xl.GetLower(), Vector256.LoadUnsafe(ref p, 20), tlb);
            p = ref Unsafe.Add(ref p, Pair);
        }

        if (j < d)
        {
            Vector512<double> xj = SagLaneKernels.Broadcast(ref x, j);
            u = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref p), u);
            a = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref p, 8), a);
            tl = Vector256.FusedMultiplyAdd(xj.GetLower(), Vector256.LoadUnsafe(ref p, 16), tl);
        }

        acc.U = u;
        acc.A = a;
        acc.T = tl;
        acc.Ub = ub;
        acc.Ab = ab;
        acc.Tb = tlb;
    }

    /// <summary>
    /// For every feature j: U_j += cur_j·coef, A_j += cur_j·δ, then accumulates next_j·U_j and next_j·A_j with the
    /// updated block (one step's update fused with the next step's dot product).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UpdateDot<T>(ReadOnlySpan<T> cur, ReadOnlySpan<T> next, ref double w, in SagLanes coef, in SagLanes delta, ref SagLaneKernels.Accumulators acc)
        where T : unmanaged
    {
        if (CpuTraits.SplitWideStores)
        {
            UpdateDot<T, HalfStores>(cur, next, ref w, coef, delta, ref acc);
        }
        else
        {
            UpdateDot<T, WholeStores>(cur, next, ref w, coef, delta, ref acc);
        }
    }

    /// <summary><see cref="UpdateDot{T}"/> with the 512-bit blocks stored as <typeparamref name="TStore"/> says (tests: the same bits either way).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void UpdateDot<T, TStore>(ReadOnlySpan<T> cur, ReadOnlySpan<T> next, ref double w, in SagLanes coef, in SagLanes delta, ref SagLaneKernels.Accumulators acc)
        where T : unmanaged
        where TStore : struct, IWideStore
    {
        ref T xc = ref MemoryMarshal.GetReference(cur);
        ref T xn = ref MemoryMarshal.GetReference(next);
        Vector512<double> c = Vector512.Create(coef.V0, coef.V1), dl = Vector512.Create(delta.V0, delta.V1);
        Vector256<double> ct = SagLanes.Tail(coef, delta);
        Vector512<double> u = acc.U, a = acc.A, ub = acc.Ub, ab = acc.Ab;
        Vector256<double> tl = acc.T, tlb = acc.Tb;
        int d = cur.Length;
        int j = 0;
        ref double p = ref w;
        for (; j + 1 < d; j += 2)
        {
            Vector512<double> xj = SagLaneKernels.Broadcast(ref xc, j);
            Vector512<double> yj = SagLaneKernels.Broadcast(ref xn, j);
            Vector512<double> xl = SagLaneKernels.Broadcast(ref xc, j + 1);
            Vector512<double> yl = SagLaneKernels.Broadcast(ref xn, j + 1);
            Vector512<double> v = Vector512.FusedMultiplyAdd(xj, c, Vector512.LoadUnsafe(ref p));
            TStore.Store(v, ref p, 0);
            u = Vector512.FusedMultiplyAdd(yj, v, u);
            v = Vector512.FusedMultiplyAdd(xj, dl, Vector512.LoadUnsafe(ref p, 8));
            TStore.Store(v, ref p, 8);
            a = Vector512.FusedMultiplyAdd(yj, v, a);
            Vector256<double> s = Vector256.FusedMultiplyAdd(xj.GetLower(), ct, Vector256.LoadUnsafe(ref p, 16));
            s.StoreUnsafe(ref p, 16);
            tl = Vector256.FusedMultiplyAdd(yj.GetLower(), s, tl);
            v = Vector512.FusedMultiplyAdd(xl, c, Vector512.LoadUnsafe(ref p, 24));
            TStore.Store(v, ref p, 24);
            ub = Vector512.FusedMultiplyAdd(yl, v, ub);
            v = Vector512.FusedMultiplyAdd(xl, dl, Vector512.LoadUnsafe(ref p, 32));
            TStore.Store(v, ref p, 32);
            ab = Vector512.FusedMultiplyAdd(yl, v, ab);
            s = Vector256.FusedMultiplyAdd(xl.GetLower(), ct, Vector256.LoadUnsafe(ref p, 20));
            s.StoreUnsafe(ref p, 20);
            tlb = Vector256.FusedMultiplyAdd(yl.GetLower(), s, tlb);
            p = ref Unsafe.Add(ref p, Pair);
        }

        if (j < d)
        {
            Vector512<double> xj = SagLaneKernels.Broadcast(ref xc, j);
            Vector512<double> yj = SagLaneKernels.Broadcast(ref xn, j);
            Vector512<double> v = Vector512.FusedMultiplyAdd(xj, c, Vector512.LoadUnsafe(ref p));
            TStore.Store(v, ref p, 0);
            u = Vector512.FusedMultiplyAdd(yj, v, u);
            v = Vector512.FusedMultiplyAdd(xj, dl, Vector512.LoadUnsafe(ref p, 8));
            TStore.Store(v, ref p, 8);
            a = Vector512.FusedMultiplyAdd(yj, v, a);
            Vector256<double> s = Vector256.FusedMultiplyAdd(xj.GetLower(), ct, Vector256.LoadUnsafe(ref p, 16));
            s.StoreUnsafe(ref p, 16);
            tl = Vector256.FusedMultiplyAdd(yj.GetLower(), s, tl);
        }

        acc.U = u;
        acc.A = a;
        acc.T = tl;
        acc.Ub = ub;
        acc.Ab = ab;
        acc.Tb = tlb;
    }

    /// <summary>U_j += x_j·coef and A_j += x_j·δ for every feature (no dot product follows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<T>(ReadOnlySpan<T> row, ref double w, in SagLanes coef, in SagLanes delta)
        where T : unmanaged
    {
        ref T x = ref MemoryMarshal.GetReference(row);
        Vector512<double> c = Vector512.Create(coef.V0, coef.V1), dl = Vector512.Create(delta.V0, delta.V1);
        Vector256<double> ct = SagLanes.Tail(coef, delta);
        for (int j = 0; j < row.Length; j++)
        {
            Vector512<double> xj = SagLaneKernels.Broadcast(ref x, j);
            ref double p = ref Unsafe.Add(ref w, (j >> 1) * Pair);
            int odd = (j & 1) * 24;
            int tail = 16 + (4 * (j & 1));
            Vector512.FusedMultiplyAdd(xj, c, Vector512.LoadUnsafe(ref p, (nuint)odd)).StoreUnsafe(ref p, (nuint)odd);
            Vector512.FusedMultiplyAdd(xj, dl, Vector512.LoadUnsafe(ref p, (nuint)(odd + 8))).StoreUnsafe(ref p, (nuint)(odd + 8));
            Vector256.FusedMultiplyAdd(xj.GetLower(), ct, Vector256.LoadUnsafe(ref p, (nuint)tail)).StoreUnsafe(ref p, (nuint)tail);
        }
    }

    /// <summary>Σ_j a_j·b_j in double (float rows widened per element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double RowDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged
    {
        int d = a.Length;
        int j = 0;
        Vector256<double> s0 = Vector256<double>.Zero, s1 = Vector256<double>.Zero;
        if (typeof(T) == typeof(float))
        {
            ref float fa = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(a));
            ref float fb = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(b));
            for (; j + 8 <= d; j += 8)
            {
                Vector256<float> va = Vector256.LoadUnsafe(ref fa, (nuint)j), vb = Vector256.LoadUnsafe(ref fb, (nuint)j);
                s0 = Vector256.FusedMultiplyAdd(Vector256.WidenLower(va), Vector256.WidenLower(vb), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.WidenUpper(va), Vector256.WidenUpper(vb), s1);
            }
        }
        else
        {
            ref double da = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(a));
            ref double db = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(b));
            for (; j + 8 <= d; j += 8)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref da, (nuint)j), Vector256.LoadUnsafe(ref db, (nuint)j), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref da, (nuint)(j + 4)), Vector256.LoadUnsafe(ref db, (nuint)(j + 4)), s1);
            }
        }

        double sum = Vector256.Sum(s0 + s1);
        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        for (; j < d; j++)
        {
            sum += SagLaneKernels.Value(ref ra, j) * SagLaneKernels.Value(ref rb, j);
        }

        return sum;
    }

    /// <summary>How <see cref="UpdateDot{T, TStore}"/> stores a 512-bit part of a block.</summary>
    internal interface IWideStore
    {
        /// <summary>Stores <paramref name="v"/> at <paramref name="p"/>[<paramref name="offset"/>].</summary>
        static abstract void Store(Vector512<double> v, ref double p, nuint offset);
    }

    /// <summary>One 512-bit store.</summary>
    internal readonly struct WholeStores : IWideStore
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<double> v, ref double p, nuint offset) => v.StoreUnsafe(ref p, offset);
    }

    /// <summary>
    /// Two 256-bit stores of the same bytes. On Zen 4 (<see cref="CpuTraits.SplitWideStores"/>) the dense pass is
    /// store-bound: in a micro-benchmark on 112 features it took 8.8–9.7 cycles per feature, 5.7–6.0 with the stores
    /// removed (its FMAs alone need 5); there the halves measured 0–15% faster from run to run. In one-thread fits
    /// there (60 000 rows, in-process medians of 3, alternated): PCA+HOG-112 (60 epochs) 1.42–1.52 → 1.25–1.31 s and
    /// 1.36–1.50 → 1.27–1.33 s (three pairs each), 1.39–1.60 → 1.29–1.50 s (five pairs, each faster by 1–8%); HOG-72
    /// 0.32–0.38 → 0.30–0.36 s (within noise in the last five pairs); PCA-40 (60 epochs) 0.63–0.70 → 0.60–0.64 s; the
    /// models bit-identical. All three have since moved to the quad loop (<see cref="SagLaneSolver"/>: dense rows from 32
    /// features), so on one thread the dense passes now serve narrower dense rows (and problems the quad loop does not
    /// take); there the halves are unmeasured. The pixel octets' update pass, FMA-bound, gained nothing from it
    /// (0.154–0.163 s against 0.152–0.160 s per fit).
    /// </summary>
    internal readonly struct HalfStores : IWideStore
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Vector512<double> v, ref double p, nuint offset)
        {
            v.GetLower().StoreUnsafe(ref p, offset);
            v.GetUpper().StoreUnsafe(ref p, offset + 4);
        }
    }
}
