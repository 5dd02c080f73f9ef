using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// The per-feature passes of the two-thread split (<see cref="SagLaneSplitHalf{T}"/>), eight steps per visit of a feature
/// block: an octet's updates (samples 0–7, in order) and the next octet's eight dot products, in
/// <see cref="SagLaneKernels"/>' block layout.
/// </summary>
/// <remarks>
/// <para>
/// A block gets step 0's update, then 1's, …, 7's, as eight separate FMAs: exactly the roundings of applying the steps
/// one after the other. A zero x adds exactly nothing (x·c = ±0 to U and A, 0·U to a dot product), and so does a zero
/// coefficient (the padding of an octet cut short by the end of an epoch).
/// </para>
/// <para>
/// Eight samples' coefficients take 24 of the 32 vector registers, and so do their dot-product accumulators: one fused
/// pass cannot hold both. <see cref="UpdateDotWide{T}"/> therefore runs the updates and the dot products as two passes
/// per chunk of features, each with its own set in registers, the chunk's blocks staying in L1 in between. (A single pass
/// reading the coefficients as memory operands measured 23% slower per row than the quad pass, against 10% more FMAs:
/// 24 extra loads per feature, most straddling cache lines until the coefficients were 64-byte aligned.)
/// </para>
/// </remarks>
internal static partial class SagLaneOctetKernels
{
    /// <summary>
    /// The octet's updates: δ lanes 0–7 (D) and 8–9 (T) per sample, and each sample's factor (F): its coef is F·δ, formed
    /// in registers by the update (<see cref="UpdateWide"/>), so that a worker receives half the lines of (coef, δ).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Coefficients
    {
        public Vector512<double> D0, D1, D2, D3, D4, D5, D6, D7;
        public Vector128<double> T0, T1, T2, T3, T4, T5, T6, T7;
        public double F0, F1, F2, F3, F4, F5, F6, F7;

        /// <summary>Sample <paramref name="r"/>'s update (δ and its factor).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Set(int r, in SagLanes delta, double factor)
        {
            Unsafe.Add(ref D0, r) = Vector512.Create(delta.V0, delta.V1);
            Unsafe.Add(ref T0, r) = delta.V2.GetLower();
            Unsafe.Add(ref F0, r) = factor;
        }

        /// <summary>Sample <paramref name="r"/>'s coef lanes 0–7 and δ lanes 0–7, and its tail [c8 c9 δ8 δ9].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly (Vector512<double> C, Vector512<double> D, Vector256<double> T) Get(int r)
        {
            Vector512<double> d = Unsafe.Add(ref Unsafe.AsRef(in D0), r);
            Vector128<double> t = Unsafe.Add(ref Unsafe.AsRef(in T0), r);
            double f = Unsafe.Add(ref Unsafe.AsRef(in F0), r);
            return (Vector512.Create(f) * d, d, Vector256.Create(t, t) * Vector256.Create(f, f, 1.0, 1.0));
        }
    }

    /// <summary>Eight samples' dot-product accumulators over U and A (lanes 0–7) and the tail [U8 U9 A8 A9].</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Accumulators
    {
        public Vector512<double> U0, A0, U1, A1, U2, A2, U3, A3, U4, A4, U5, A5, U6, A6, U7, A7;
        public Vector256<double> Q0, Q1, Q2, Q3, Q4, Q5, Q6, Q7;

        /// <summary>Sample <paramref name="r"/>'s x·U and x·A per lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly (SagLanes U, SagLanes A) Reduce(int r)
        {
            Vector512<double> u = Unsafe.Add(ref Unsafe.AsRef(in U0), 2 * r);
            Vector512<double> a = Unsafe.Add(ref Unsafe.AsRef(in U0), (2 * r) + 1);
            Vector256<double> tail = Unsafe.Add(ref Unsafe.AsRef(in Q0), r);
            return (new SagLanes(u.GetLower(), u.GetUpper(), Vector256.Create(tail.GetLower(), Vector128<double>.Zero)),
                new SagLanes(a.GetLower(), a.GetUpper(), Vector256.Create(tail.GetUpper(), Vector128<double>.Zero)));
        }
    }

    /// <summary>
    /// For each feature j of <paramref name="nz"/>: U_j += x0_j·coef0, then x1_j·coef1, …, x7_j·coef7 (A_j likewise with
    /// the δs), the current octet's x read as doubles from <paramref name="wide"/> (feature j's eight at 8j … 8j+7, as
    /// the previous dot-product passes over this octet left them); then accumulates y0_j … y7_j times the updated block
    /// into <paramref name="acc"/> over <paramref name="common"/>, leaving the next octet's values in <paramref name="wide"/>
    /// in turn (<see cref="DotWiden{T}"/>).
    /// </summary>
    /// <param name="nz">The current octet's union.</param>
    /// <param name="wide">The current octet's widened rows at the features of <paramref name="nz"/>.</param>
    /// <param name="y">The next octet's rows.</param>
    /// <param name="ahead">Rows drawn later (from anywhere in the data), prefetched a slice before each piece of each pass; default for none.</param>
    /// <param name="w">The half's weight blocks.</param>
    /// <param name="k">The current octet's steps.</param>
    /// <param name="acc">The next octet's dot products, added to.</param>
    /// <param name="common">
    /// The features of <paramref name="nz"/> where a row of <paramref name="y"/> is non-zero, cut by pieces of
    /// <paramref name="nz"/> as <see cref="SparseRows.CompactOctet{T}(in RowOctet{T}, ReadOnlySpan{int}, in RowOctet{T}, Span{int}, Span{int}, Span{int}, Span{int}, Span{int})"/>
    /// lists them (<paramref name="commonStarts"/>); both empty: the dot products over all of <paramref name="nz"/>.
    /// </param>
    /// <param name="commonStarts">Where each piece's common features start in <paramref name="common"/>.</param>
    /// <remarks>
    /// <para>
    /// In chunks of <see cref="Chunk"/> features: the updates of a chunk (coefficients in registers), then its dot
    /// products (accumulators in registers) while its blocks are still in L1. One fused pass would need both sets (48
    /// registers of 32).
    /// </para>
    /// <para>
    /// The ~200 lines of eight half rows ahead, prefetched at once, outnumber the core's outstanding misses, so the
    /// prefetch instructions wait for one another (on Zen 4, 4 KB pages: ~9% of the split solver's samples sat on them).
    /// Spread over the passes, a slice's misses overlap the FMAs of the piece after it. The arithmetic is unchanged:
    /// features in order within each pass, each chunk updated before its dot products.
    /// </para>
    /// <para>
    /// The features left out of the dot products add y·U = ±0 to accumulators that start at +0 and so are never −0 (a
    /// sum is −0 only if both terms are; an exact cancellation gives +0): the same bits, with finite weights. On pixels
    /// they are 4–7% of a half's union (eight random rows against the next eight). The next octet's union is its
    /// features outside <paramref name="nz"/> (widened by the dot pass over them) and <paramref name="common"/>, so its
    /// update still finds all its values.
    /// </para>
    /// <para>
    /// Each float value is otherwise widened twice, each time as a convert and a broadcast on the FP pipes next to the
    /// FMAs: in the dot products with it as the next octet, then in the update with it as the current one. The dot pass stores
    /// the double it made (one 8-byte store per value, 64 bytes per feature), and the update reads it with a plain
    /// broadcast load. Bit-identical (float → double is exact). Measured on Zen 4 (pixel fit, two threads, harness
    /// medians of 11 fits, 6 alternated rounds, all rounds in the fast state): 193.3 → 185.6 ms, every round faster;
    /// the update pass's samples 11 639 → 10 074 and the dot pass's 11 770 → 12 040 (perf, 21 fits). Widening the rows
    /// once per octet instead (into a second buffer, row-major, dot products and row products reading doubles) measured
    /// slower in session 13: 175.4 → 178.6 ms median, paired +6.4 ms, 7/22 rounds faster.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateDotWide<T>(
        ReadOnlySpan<int> nz, ref double wide, in RowOctet<T> y, in RowOctet<T> ahead, ref double w, in Coefficients k, ref Accumulators acc,
        ReadOnlySpan<int> common, ReadOnlySpan<int> commonStarts)
        where T : unmanaged
    {
        bool listed = !commonStarts.IsEmpty;
        int lines = Lines(ahead.X0);
        if (nz.IsEmpty)
        {
            Prefetch(ahead, 0, lines);
            return;
        }

        int slices = 2 * ((nz.Length + Piece - 1) / Piece);
        int slice = 0;
        for (int start = 0; start < nz.Length; start += Chunk)
        {
            int end = Math.Min(start + Chunk, nz.Length);
            for (int p = start; p < end; p += Piece)
            {
                Prefetch(ahead, (int)((long)lines * slice / slices), (int)((long)lines * (slice + 1) / slices));
                slice++;
                UpdateWide(nz[p..Math.Min(p + Piece, end)], ref wide, ref w, k);
            }

            for (int p = start; p < end; p += Piece)
            {
                Prefetch(ahead, (int)((long)lines * slice / slices), (int)((long)lines * (slice + 1) / slices));
                slice++;
                if (listed)
                {
                    int q = p / Piece;
                    DotWiden(common[commonStarts[q]..commonStarts[q + 1]], y, ref w, ref acc, ref wide);
                }
                else
                {
                    DotWiden(nz[p..Math.Min(p + Piece, end)], y, ref w, ref acc, ref wide);
                }
            }
        }
    }

    /// <summary>Cache lines spanned by <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int Lines<T>(ReadOnlySpan<T> row)
        where T : unmanaged
    {
        if (row.IsEmpty)
        {
            return 0;
        }

        nuint start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(row));
        return (int)(((start + (nuint)(row.Length * sizeof(T)) - 1) >> 6) - (start >> 6)) + 1;
    }

    /// <summary>Prefetches lines [<paramref name="from"/>, <paramref name="to"/>) of each row of <paramref name="rows"/> (counted from each row's first line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch<T>(in RowOctet<T> rows, int from, int to)
        where T : unmanaged
    {
        if (from >= to || !Sse.IsSupported)
        {
            return;
        }

        PrefetchLines(rows.X0, from, to);
        PrefetchLines(rows.X1, from, to);
        PrefetchLines(rows.X2, from, to);
        PrefetchLines(rows.X3, from, to);
        PrefetchLines(rows.X4, from, to);
        PrefetchLines(rows.X5, from, to);
        PrefetchLines(rows.X6, from, to);
        PrefetchLines(rows.X7, from, to);
    }

    /// <summary>
    /// Prefetches lines [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="row"/>, counted from the line
    /// holding its first element. Unpinned: a stale address (the GC moved the array meanwhile) only prefetches the wrong line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void PrefetchLines<T>(ReadOnlySpan<T> row, int from, int to)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        byte* first = (byte*)((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(row)) & ~(nuint)63);
        for (int l = from; l < to; l++)
        {
            Sse.Prefetch0(first + (l * 64));
        }
    }

    // Features per chunk of UpdateDot (64 blocks: 10 KB, plus 2 KB of the two octets' rows: well inside a 32 KB L1d
    // too). On Zen 4 (32 KB L1d) 32, 64 and 128 measured alike (both workers on one thread: 315–367 ms per fit each).
    private const int Chunk = 64;

    // Features per piece of a chunk's passes, each piece preceded by a slice of the prefetches (about four lines of
    // each row on pixels). Measured on Zen 4 (both workers on one thread, 8 fits, two alternated rounds): 32 → 325–333
    // ms, 64 → 327–339 ms, 16 → 329–348 ms, all against 354–376 ms with every prefetch up front; 2-thread medians
    // within noise of one another.
    internal const int Piece = 32;

    /// <summary>
    /// Accumulates y0 … y7 times U and A into <paramref name="acc"/> over <paramref name="nz"/>, storing each y_r[j] it
    /// widens at <c>wide[8j + r]</c> for the update of the next round (<see cref="UpdateWide"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void DotWiden<T>(ReadOnlySpan<int> nz, in RowOctet<T> y, ref double w, ref Accumulators acc, ref double wide)
        where T : unmanaged
    {
        if (SagLaneBlocks256.IsPreferred)
        {
            DotWiden256(nz, y, ref w, ref acc, ref wide);
            return;
        }

        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T s0 = ref MemoryMarshal.GetReference(y.X0);
        ref T s1 = ref MemoryMarshal.GetReference(y.X1);
        ref T s2 = ref MemoryMarshal.GetReference(y.X2);
        ref T s3 = ref MemoryMarshal.GetReference(y.X3);
        ref T s4 = ref MemoryMarshal.GetReference(y.X4);
        ref T s5 = ref MemoryMarshal.GetReference(y.X5);
        ref T s6 = ref MemoryMarshal.GetReference(y.X6);
        ref T s7 = ref MemoryMarshal.GetReference(y.X7);
        Vector512<double> u0 = acc.U0, a0 = acc.A0, u1 = acc.U1, a1 = acc.A1, u2 = acc.U2, a2 = acc.A2, u3 = acc.U3, a3 = acc.A3;
        Vector512<double> u4 = acc.U4, a4 = acc.A4, u5 = acc.U5, a5 = acc.A5, u6 = acc.U6, a6 = acc.A6, u7 = acc.U7, a7 = acc.A7;
        Vector256<double> q0 = acc.Q0, q1 = acc.Q1, q2 = acc.Q2, q3 = acc.Q3, q4 = acc.Q4, q5 = acc.Q5, q6 = acc.Q6, q7 = acc.Q7;
        for (int e = 0; e < nz.Length; e++)
        {
            int j = Unsafe.Add(ref idx, e);
            (int uj, int tj) = SagLaneKernels.Offsets(j);
            ref double xj = ref Unsafe.Add(ref wide, j * 8);
            Vector512<double> vu = Vector512.LoadUnsafe(ref w, (nuint)uj);
            Vector512<double> va = Vector512.LoadUnsafe(ref w, (nuint)(uj + 8));
            Vector256<double> vt = Vector256.LoadUnsafe(ref w, (nuint)tj);
            Vector512<double> b;
            b = SagLaneKernels.Broadcast(ref s0, j);
            xj = b.ToScalar();
            u0 = Vector512.FusedMultiplyAdd(b, vu, u0);
            a0 = Vector512.FusedMultiplyAdd(b, va, a0);
            q0 = Vector256.FusedMultiplyAdd(b.GetLower(), vt, q0);
            b = SagLaneKernels.Broadcast(ref s1, j);
            Unsafe.Add(ref xj, 1) = b.ToScalar();
            u1 = Vector512.FusedMultiplyAdd(b, vu, u1);
            a1 = Vector512.FusedMultiplyAdd(b, va, a1);
            q1 = Vector256.FusedMultiplyAdd(b.GetLower(), vt, q1);
            b = SagLaneKernels.Broadcast(ref s2, j);
            Unsafe.Add(ref xj, 2) = b.ToScalar();
            u2 = Vector512.FusedMultiplyAdd(b, vu, u2);
            a2 = Vector512.FusedMultiplyAdd(b, va, a2);
            q2 = Vector256.FusedMultiplyAdd(b.GetLower(), vt, q2);
            b = SagLaneKernels.Broadcast(ref s3, j);
            Unsafe.Add(ref xj, 3) = b.ToScalar();
            u3 = Vector512.FusedMultiplyAdd(b, vu, u3);
            a3 = Vector512.FusedMultiplyAdd(b, va, a3);
            q3 = Vector256.FusedMultiplyAdd(b.GetLower(), vt, q3);
            b = SagLaneKernels.Broadcast(ref s4, j);
            Unsafe.Add(ref xj, 4) = b.ToScalar();
            u4 = Vector512.FusedMultiplyAdd(b, vu, u4);
            a4 = Vector512.FusedMultiplyAdd(b, va, a4);
            q4 = Vector256.FusedMultiplyAdd(b.GetLower(), vt, q4);
            b = SagLaneKernels.Broadcast(ref s5, j);
            Unsafe.Add(ref xj, 5) = b.ToScalar();
            u5 = Vector512.FusedMultiplyAdd(b, vu, u5);
            a5 = Vector512.FusedMultiplyAdd(b, va, a5);
            q5 = Vector256.FusedMultiplyAdd(b.GetLower(), vt, q5);
            b = SagLaneKernels.Broadcast(ref s6, j);
            Unsafe.Add(ref xj, 6) = b.ToScalar();
            u6 = Vector512.FusedMultiplyAdd(b, vu, u6);
            a6 = Vector512.FusedMultiplyAdd(b, va, a6);
            q6 = Vector256.FusedMultiplyAdd(b.GetLower(), vt, q6);
            b = SagLaneKernels.Broadcast(ref s7, j);
            Unsafe.Add(ref xj, 7) = b.ToScalar();
            u7 = Vector512.FusedMultiplyAdd(b, vu, u7);
            a7 = Vector512.FusedMultiplyAdd(b, va, a7);
            q7 = Vector256.FusedMultiplyAdd(b.GetLower(), vt, q7);
        }

        acc.U0 = u0;
        acc.A0 = a0;
        acc.U1 = u1;
        acc.A1 = a1;
        acc.U2 = u2;
        acc.A2 = a2;
        acc.U3 = u3;
        acc.A3 = a3;
        acc.U4 = u4;
        acc.A4 = a4;
        acc.U5 = u5;
        acc.A5 = a5;
        acc.U6 = u6;
        acc.A6 = a6;
        acc.U7 = u7;
        acc.A7 = a7;
        acc.Q0 = q0;
        acc.Q1 = q1;
        acc.Q2 = q2;
        acc.Q3 = q3;
        acc.Q4 = q4;
        acc.Q5 = q5;
        acc.Q6 = q6;
        acc.Q7 = q7;
    }

    /// <summary>
    /// U_j += x0_j·coef0, …, x7_j·coef7 in that order (A_j likewise) over <paramref name="nz"/>, x_r[j] read as doubles
    /// from <c>wide[8j + r]</c> (written by <see cref="DotWiden{T}"/>); no dot product follows.
    /// </summary>
    /// <remarks>
    /// Dense over the octet's union although only ~59% of its row–feature pairs are non-zero on pixels: on Zen 4 every
    /// way found to skip the zeros measured slower, or gains less than its bookkeeping costs: the FMAs they save are
    /// cheaper than the loads, stores, branches or lists they add.
    /// Kernel micro-benchmark on real pixel octets (~339 union features per half; ns per union feature, all
    /// bit-identical to this loop): this loop 7.2 (near the FMA bound: 8 × 5 256-bit FMA slots on two pipes);
    /// per-row passes 12.9 (a block load and store per non-zero: store-bound); coefficients as memory operands indexed
    /// by the set bits of a per-feature row mask 15.2 in union order (an indirect branch on the popcount mispredicts),
    /// 9.5 with the features sorted by popcount for free (six loads per non-zero step: load-bound); a branch per row
    /// 16.9 (zero/non-zero flips at 12% of steps); coefficients in registers with loops specialised on the row
    /// pattern, lists built for free: quad patterns in two passes 7.8, pair patterns 7.2, full 8-bit patterns 10.5
    /// (~150 small lists). The best, lists by the pattern of the octet's three sparsest rows (their densities within
    /// the union 0.32, 0.41, 0.49), 6.6–6.7 with free lists over the whole half: ~0.6 ns per feature to win before
    /// building the row masks, the row counts and the eight lists.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    public static void UpdateWide(ReadOnlySpan<int> nz, ref double wide, ref double w, in Coefficients k)
    {
        if (SagLaneBlocks256.IsPreferred)
        {
            UpdateWide256(nz, ref wide, ref w, k);
            return;
        }

        ref int idx = ref MemoryMarshal.GetReference(nz);
        (Vector512<double> c0, Vector512<double> d0, Vector256<double> t0) = k.Get(0);
        (Vector512<double> c1, Vector512<double> d1, Vector256<double> t1) = k.Get(1);
        (Vector512<double> c2, Vector512<double> d2, Vector256<double> t2) = k.Get(2);
        (Vector512<double> c3, Vector512<double> d3, Vector256<double> t3) = k.Get(3);
        (Vector512<double> c4, Vector512<double> d4, Vector256<double> t4) = k.Get(4);
        (Vector512<double> c5, Vector512<double> d5, Vector256<double> t5) = k.Get(5);
        (Vector512<double> c6, Vector512<double> d6, Vector256<double> t6) = k.Get(6);
        (Vector512<double> c7, Vector512<double> d7, Vector256<double> t7) = k.Get(7);
        for (int e = 0; e < nz.Length; e++)
        {
            int j = Unsafe.Add(ref idx, e);
            (int uj, int tj) = SagLaneKernels.Offsets(j);
            ref double xj = ref Unsafe.Add(ref wide, j * 8);
            Vector512<double> vu = Vector512.LoadUnsafe(ref w, (nuint)uj);
            Vector512<double> va = Vector512.LoadUnsafe(ref w, (nuint)(uj + 8));
            Vector256<double> vt = Vector256.LoadUnsafe(ref w, (nuint)tj);
            Vector512<double> b;
            b = Vector512.Create(xj);
            vu = Vector512.FusedMultiplyAdd(b, c0, vu);
            va = Vector512.FusedMultiplyAdd(b, d0, va);
            vt = Vector256.FusedMultiplyAdd(b.GetLower(), t0, vt);
            b = Vector512.Create(Unsafe.Add(ref xj, 1));
            vu = Vector512.FusedMultiplyAdd(b, c1, vu);
            va = Vector512.FusedMultiplyAdd(b, d1, va);
            vt = Vector256.FusedMultiplyAdd(b.GetLower(), t1, vt);
            b = Vector512.Create(Unsafe.Add(ref xj, 2));
            vu = Vector512.FusedMultiplyAdd(b, c2, vu);
            va = Vector512.FusedMultiplyAdd(b, d2, va);
            vt = Vector256.FusedMultiplyAdd(b.GetLower(), t2, vt);
            b = Vector512.Create(Unsafe.Add(ref xj, 3));
            vu = Vector512.FusedMultiplyAdd(b, c3, vu);
            va = Vector512.FusedMultiplyAdd(b, d3, va);
            vt = Vector256.FusedMultiplyAdd(b.GetLower(), t3, vt);
            b = Vector512.Create(Unsafe.Add(ref xj, 4));
            vu = Vector512.FusedMultiplyAdd(b, c4, vu);
            va = Vector512.FusedMultiplyAdd(b, d4, va);
            vt = Vector256.FusedMultiplyAdd(b.GetLower(), t4, vt);
            b = Vector512.Create(Unsafe.Add(ref xj, 5));
            vu = Vector512.FusedMultiplyAdd(b, c5, vu);
            va = Vector512.FusedMultiplyAdd(b, d5, va);
            vt = Vector256.FusedMultiplyAdd(b.GetLower(), t5, vt);
            b = Vector512.Create(Unsafe.Add(ref xj, 6));
            vu = Vector512.FusedMultiplyAdd(b, c6, vu);
            va = Vector512.FusedMultiplyAdd(b, d6, va);
            vt = Vector256.FusedMultiplyAdd(b.GetLower(), t6, vt);
            b = Vector512.Create(Unsafe.Add(ref xj, 7));
            vu = Vector512.FusedMultiplyAdd(b, c7, vu);
            va = Vector512.FusedMultiplyAdd(b, d7, va);
            vt = Vector256.FusedMultiplyAdd(b.GetLower(), t7, vt);
            vu.StoreUnsafe(ref w, (nuint)uj);
            va.StoreUnsafe(ref w, (nuint)(uj + 8));
            vt.StoreUnsafe(ref w, (nuint)tj);
        }
    }

    /// <summary>
    /// The 28 row products of an octet that its dot products miss: g[r(r−1)/2 + q] = x_r·x_q for q &lt; r (two sweeps
    /// over the rows: the products within each half of the octet, then those across the halves).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gram<T>(in RowOctet<T> x, Span<double> g)
        where T : unmanaged => Gram(x, g, SagLaneBlocks256.IsPreferred);

    /// <summary><see cref="Gram{T}(in RowOctet{T}, Span{double})"/> with the 256-bit passes or the 512-bit loops (tests: the same bits).</summary>
    internal static void Gram<T>(in RowOctet<T> x, Span<double> g, bool use256)
        where T : unmanaged
    {
        if (g.Length < Grams)
        {
            throw new ArgumentException("An octet has 28 row products.", nameof(g));
        }

        if (typeof(T) == typeof(byte))
        {
            GramBytes(
                new RowOctet<byte>(
                    MemoryMarshal.Cast<T, byte>(x.X0), MemoryMarshal.Cast<T, byte>(x.X1), MemoryMarshal.Cast<T, byte>(x.X2), MemoryMarshal.Cast<T, byte>(x.X3),
                    MemoryMarshal.Cast<T, byte>(x.X4), MemoryMarshal.Cast<T, byte>(x.X5), MemoryMarshal.Cast<T, byte>(x.X6), MemoryMarshal.Cast<T, byte>(x.X7)),
                g);
            return;
        }

        GramWithin(x, g, use256);
        GramAcross(x, g, use256);
    }

    /// <summary>Row products per octet.</summary>
    public const int Grams = 28;

    // x_r·x_q within rows 0–3 and within rows 4–7.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GramWithin<T>(in RowOctet<T> x, Span<double> g, bool use256)
        where T : unmanaged
    {
        int d = x.X0.Length;
        int j = 0;
        ref T r0 = ref MemoryMarshal.GetReference(x.X0);
        ref T r1 = ref MemoryMarshal.GetReference(x.X1);
        ref T r2 = ref MemoryMarshal.GetReference(x.X2);
        ref T r3 = ref MemoryMarshal.GetReference(x.X3);
        ref T r4 = ref MemoryMarshal.GetReference(x.X4);
        ref T r5 = ref MemoryMarshal.GetReference(x.X5);
        ref T r6 = ref MemoryMarshal.GetReference(x.X6);
        ref T r7 = ref MemoryMarshal.GetReference(x.X7);
        Vector512<double> g10 = default, g20 = default, g21 = default, g30 = default, g31 = default, g32 = default, g54 = default, g64 = default, g65 = default, g74 = default, g75 = default, g76 = default;
        if (use256)
        {
            j = d & ~7;
            Products256 lo = default, hi = default;
            Within256(ref r0, ref r1, ref r2, ref r3, j, 0, ref lo, 0);
            Within256(ref r0, ref r1, ref r2, ref r3, j, 4, ref hi, 0);
            Within256(ref r4, ref r5, ref r6, ref r7, j, 0, ref lo, 6);
            Within256(ref r4, ref r5, ref r6, ref r7, j, 4, ref hi, 6);
            g10 = Vector512.Create(lo[0], hi[0]);
            g20 = Vector512.Create(lo[1], hi[1]);
            g21 = Vector512.Create(lo[2], hi[2]);
            g30 = Vector512.Create(lo[3], hi[3]);
            g31 = Vector512.Create(lo[4], hi[4]);
            g32 = Vector512.Create(lo[5], hi[5]);
            g54 = Vector512.Create(lo[6], hi[6]);
            g64 = Vector512.Create(lo[7], hi[7]);
            g65 = Vector512.Create(lo[8], hi[8]);
            g74 = Vector512.Create(lo[9], hi[9]);
            g75 = Vector512.Create(lo[10], hi[10]);
            g76 = Vector512.Create(lo[11], hi[11]);
        }

        for (; j + 8 <= d; j += 8)
        {
            Vector512<double> v0 = Row8(ref r0, j);
            Vector512<double> v1 = Row8(ref r1, j);
            Vector512<double> v2 = Row8(ref r2, j);
            Vector512<double> v3 = Row8(ref r3, j);
            Vector512<double> v4 = Row8(ref r4, j);
            Vector512<double> v5 = Row8(ref r5, j);
            Vector512<double> v6 = Row8(ref r6, j);
            Vector512<double> v7 = Row8(ref r7, j);
            g10 = Vector512.FusedMultiplyAdd(v1, v0, g10);
            g20 = Vector512.FusedMultiplyAdd(v2, v0, g20);
            g21 = Vector512.FusedMultiplyAdd(v2, v1, g21);
            g30 = Vector512.FusedMultiplyAdd(v3, v0, g30);
            g31 = Vector512.FusedMultiplyAdd(v3, v1, g31);
            g32 = Vector512.FusedMultiplyAdd(v3, v2, g32);
            g54 = Vector512.FusedMultiplyAdd(v5, v4, g54);
            g64 = Vector512.FusedMultiplyAdd(v6, v4, g64);
            g65 = Vector512.FusedMultiplyAdd(v6, v5, g65);
            g74 = Vector512.FusedMultiplyAdd(v7, v4, g74);
            g75 = Vector512.FusedMultiplyAdd(v7, v5, g75);
            g76 = Vector512.FusedMultiplyAdd(v7, v6, g76);
        }

        double s10 = Vector512.Sum(g10);
        double s20 = Vector512.Sum(g20);
        double s21 = Vector512.Sum(g21);
        double s30 = Vector512.Sum(g30);
        double s31 = Vector512.Sum(g31);
        double s32 = Vector512.Sum(g32);
        double s54 = Vector512.Sum(g54);
        double s64 = Vector512.Sum(g64);
        double s65 = Vector512.Sum(g65);
        double s74 = Vector512.Sum(g74);
        double s75 = Vector512.Sum(g75);
        double s76 = Vector512.Sum(g76);
        for (; j < d; j++)
        {
            double w0 = SagLaneKernels.Value(ref r0, j);
            double w1 = SagLaneKernels.Value(ref r1, j);
            double w2 = SagLaneKernels.Value(ref r2, j);
            double w3 = SagLaneKernels.Value(ref r3, j);
            double w4 = SagLaneKernels.Value(ref r4, j);
            double w5 = SagLaneKernels.Value(ref r5, j);
            double w6 = SagLaneKernels.Value(ref r6, j);
            double w7 = SagLaneKernels.Value(ref r7, j);
            s10 += w1 * w0;
            s20 += w2 * w0;
            s21 += w2 * w1;
            s30 += w3 * w0;
            s31 += w3 * w1;
            s32 += w3 * w2;
            s54 += w5 * w4;
            s64 += w6 * w4;
            s65 += w6 * w5;
            s74 += w7 * w4;
            s75 += w7 * w5;
            s76 += w7 * w6;
        }

        g[0] = s10;
        g[1] = s20;
        g[2] = s21;
        g[3] = s30;
        g[4] = s31;
        g[5] = s32;
        g[14] = s54;
        g[19] = s64;
        g[20] = s65;
        g[25] = s74;
        g[26] = s75;
        g[27] = s76;
    }

    // x_r·x_q for r in 4–7, q in 0–3.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GramAcross<T>(in RowOctet<T> x, Span<double> g, bool use256)
        where T : unmanaged
    {
        int d = x.X0.Length;
        int j = 0;
        ref T r0 = ref MemoryMarshal.GetReference(x.X0);
        ref T r1 = ref MemoryMarshal.GetReference(x.X1);
        ref T r2 = ref MemoryMarshal.GetReference(x.X2);
        ref T r3 = ref MemoryMarshal.GetReference(x.X3);
        ref T r4 = ref MemoryMarshal.GetReference(x.X4);
        ref T r5 = ref MemoryMarshal.GetReference(x.X5);
        ref T r6 = ref MemoryMarshal.GetReference(x.X6);
        ref T r7 = ref MemoryMarshal.GetReference(x.X7);
        Vector512<double> g40 = default, g41 = default, g42 = default, g43 = default, g50 = default, g51 = default, g52 = default, g53 = default, g60 = default, g61 = default, g62 = default, g63 = default, g70 = default, g71 = default, g72 = default, g73 = default;
        if (use256)
        {
            j = d & ~7;
            Products256 lo = default, hi = default;
            Across256(ref r4, ref r5, ref r0, ref r1, ref r2, ref r3, j, 0, ref lo, 0);
            Across256(ref r4, ref r5, ref r0, ref r1, ref r2, ref r3, j, 4, ref hi, 0);
            Across256(ref r6, ref r7, ref r0, ref r1, ref r2, ref r3, j, 0, ref lo, 8);
            Across256(ref r6, ref r7, ref r0, ref r1, ref r2, ref r3, j, 4, ref hi, 8);
            g40 = Vector512.Create(lo[0], hi[0]);
            g41 = Vector512.Create(lo[1], hi[1]);
            g42 = Vector512.Create(lo[2], hi[2]);
            g43 = Vector512.Create(lo[3], hi[3]);
            g50 = Vector512.Create(lo[4], hi[4]);
            g51 = Vector512.Create(lo[5], hi[5]);
            g52 = Vector512.Create(lo[6], hi[6]);
            g53 = Vector512.Create(lo[7], hi[7]);
            g60 = Vector512.Create(lo[8], hi[8]);
            g61 = Vector512.Create(lo[9], hi[9]);
            g62 = Vector512.Create(lo[10], hi[10]);
            g63 = Vector512.Create(lo[11], hi[11]);
            g70 = Vector512.Create(lo[12], hi[12]);
            g71 = Vector512.Create(lo[13], hi[13]);
            g72 = Vector512.Create(lo[14], hi[14]);
            g73 = Vector512.Create(lo[15], hi[15]);
        }

        for (; j + 8 <= d; j += 8)
        {
            Vector512<double> v0 = Row8(ref r0, j);
            Vector512<double> v1 = Row8(ref r1, j);
            Vector512<double> v2 = Row8(ref r2, j);
            Vector512<double> v3 = Row8(ref r3, j);
            Vector512<double> v4 = Row8(ref r4, j);
            Vector512<double> v5 = Row8(ref r5, j);
            Vector512<double> v6 = Row8(ref r6, j);
            Vector512<double> v7 = Row8(ref r7, j);
            g40 = Vector512.FusedMultiplyAdd(v4, v0, g40);
            g41 = Vector512.FusedMultiplyAdd(v4, v1, g41);
            g42 = Vector512.FusedMultiplyAdd(v4, v2, g42);
            g43 = Vector512.FusedMultiplyAdd(v4, v3, g43);
            g50 = Vector512.FusedMultiplyAdd(v5, v0, g50);
            g51 = Vector512.FusedMultiplyAdd(v5, v1, g51);
            g52 = Vector512.FusedMultiplyAdd(v5, v2, g52);
            g53 = Vector512.FusedMultiplyAdd(v5, v3, g53);
            g60 = Vector512.FusedMultiplyAdd(v6, v0, g60);
            g61 = Vector512.FusedMultiplyAdd(v6, v1, g61);
            g62 = Vector512.FusedMultiplyAdd(v6, v2, g62);
            g63 = Vector512.FusedMultiplyAdd(v6, v3, g63);
            g70 = Vector512.FusedMultiplyAdd(v7, v0, g70);
            g71 = Vector512.FusedMultiplyAdd(v7, v1, g71);
            g72 = Vector512.FusedMultiplyAdd(v7, v2, g72);
            g73 = Vector512.FusedMultiplyAdd(v7, v3, g73);
        }

        double s40 = Vector512.Sum(g40);
        double s41 = Vector512.Sum(g41);
        double s42 = Vector512.Sum(g42);
        double s43 = Vector512.Sum(g43);
        double s50 = Vector512.Sum(g50);
        double s51 = Vector512.Sum(g51);
        double s52 = Vector512.Sum(g52);
        double s53 = Vector512.Sum(g53);
        double s60 = Vector512.Sum(g60);
        double s61 = Vector512.Sum(g61);
        double s62 = Vector512.Sum(g62);
        double s63 = Vector512.Sum(g63);
        double s70 = Vector512.Sum(g70);
        double s71 = Vector512.Sum(g71);
        double s72 = Vector512.Sum(g72);
        double s73 = Vector512.Sum(g73);
        for (; j < d; j++)
        {
            double w0 = SagLaneKernels.Value(ref r0, j);
            double w1 = SagLaneKernels.Value(ref r1, j);
            double w2 = SagLaneKernels.Value(ref r2, j);
            double w3 = SagLaneKernels.Value(ref r3, j);
            double w4 = SagLaneKernels.Value(ref r4, j);
            double w5 = SagLaneKernels.Value(ref r5, j);
            double w6 = SagLaneKernels.Value(ref r6, j);
            double w7 = SagLaneKernels.Value(ref r7, j);
            s40 += w4 * w0;
            s41 += w4 * w1;
            s42 += w4 * w2;
            s43 += w4 * w3;
            s50 += w5 * w0;
            s51 += w5 * w1;
            s52 += w5 * w2;
            s53 += w5 * w3;
            s60 += w6 * w0;
            s61 += w6 * w1;
            s62 += w6 * w2;
            s63 += w6 * w3;
            s70 += w7 * w0;
            s71 += w7 * w1;
            s72 += w7 * w2;
            s73 += w7 * w3;
        }

        g[6] = s40;
        g[7] = s41;
        g[8] = s42;
        g[9] = s43;
        g[10] = s50;
        g[11] = s51;
        g[12] = s52;
        g[13] = s53;
        g[15] = s60;
        g[16] = s61;
        g[17] = s62;
        g[18] = s63;
        g[21] = s70;
        g[22] = s71;
        g[23] = s72;
        g[24] = s73;
    }

    // Elements j … j+7 of a float or double row as doubles (float → double is exact).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Row8<T>(ref T row, int j)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Vector256<float> f = Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref row), (nuint)j);
            return Avx512F.IsSupported
                ? Avx512F.ConvertToVector512Double(f)
                : Vector512.Create(Vector256.WidenLower(f), Vector256.WidenUpper(f));
        }

        return Vector512.LoadUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)j);
    }
}
