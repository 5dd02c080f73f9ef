using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// The octet passes for machines without AVX-512 (16 256-bit registers): the same FMAs per lane in the same order as
/// the 512-bit loops, so the same bits, arranged to fit the smaller register file.
/// </summary>
/// <remarks>
/// The 512-bit loops keep eight samples' coefficients (or accumulators) in registers: 40 256-bit registers' worth.
/// Emulated on AVX2 they spilled on every FMA (pixel fit, two threads, Zen 3: DotWiden 29% and UpdateWide 14% of the
/// fit). Here the dot products take the samples two at a time (10 accumulators, the block's 5 vectors, a broadcast),
/// and the updates take the features two at a time (10 block vectors, the coefficients as loads).
/// </remarks>
internal static partial class SagLaneOctetKernels
{
    /// <summary>Whether the 256-bit passes run (no 512-bit vectors, but AVX2 and FMA).</summary>
    internal static bool Use256 => !Vector512.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;

    /// <summary><see cref="DotWiden{T}"/> in 256-bit vectors (needs AVX2 and FMA): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    internal static void DotWiden256<T>(ReadOnlySpan<int> nz, in RowOctet<T> y, ref double w, ref Accumulators acc, ref double wide)
        where T : unmanaged
    {
        DotWidenPair(nz, MemoryMarshal.GetReference(y.X0), MemoryMarshal.GetReference(y.X1), ref w, ref acc, ref wide, 0);
        DotWidenPair(nz, MemoryMarshal.GetReference(y.X2), MemoryMarshal.GetReference(y.X3), ref w, ref acc, ref wide, 2);
        DotWidenPair(nz, MemoryMarshal.GetReference(y.X4), MemoryMarshal.GetReference(y.X5), ref w, ref acc, ref wide, 4);
        DotWidenPair(nz, MemoryMarshal.GetReference(y.X6), MemoryMarshal.GetReference(y.X7), ref w, ref acc, ref wide, 6);
    }

    // Samples r and r + 1 of DotWiden: their accumulators in registers, each feature's block loaded once for both.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotWidenPair<T>(ReadOnlySpan<int> nz, in T first, in T second, ref double w, ref Accumulators acc, ref double wide, int r)
        where T : unmanaged
    {
        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T sa = ref Unsafe.AsRef(in first);
        ref T sb = ref Unsafe.AsRef(in second);
        ref Vector256<double> ua = ref Unsafe.As<Vector512<double>, Vector256<double>>(ref Unsafe.Add(ref acc.U0, 2 * r));
        ref Vector256<double> ub = ref Unsafe.As<Vector512<double>, Vector256<double>>(ref Unsafe.Add(ref acc.U0, 2 * (r + 1)));
        ref Vector256<double> qa = ref Unsafe.Add(ref acc.Q0, r);
        ref Vector256<double> qb = ref Unsafe.Add(ref acc.Q0, r + 1);

        // U lanes 0–3, 4–7, A lanes 0–3, 4–7, tail [U8 U9 A8 A9] of each sample.
        Vector256<double> a0 = ua, a1 = Unsafe.Add(ref ua, 1), a2 = Unsafe.Add(ref ua, 2), a3 = Unsafe.Add(ref ua, 3), a4 = qa;
        Vector256<double> b0 = ub, b1 = Unsafe.Add(ref ub, 1), b2 = Unsafe.Add(ref ub, 2), b3 = Unsafe.Add(ref ub, 3), b4 = qb;

        // Sample r's slot of feature 0 (r folded in here: with r and r + 1 added per store the loop ran out of general
        // registers and kept the buffer's pointer on the stack, a store and reload per feature).
        ref double wr = ref Unsafe.Add(ref wide, r);
        for (int e = 0; e < nz.Length; e++)
        {
            // The block as memory operands: with its five vectors in registers too, the pair's loop needs 17.
            int j = Unsafe.Add(ref idx, e);
            (nint obu, nint obt) = Offsets(j);
            ref double bu = ref Unsafe.Add(ref w, obu);
            ref double bt = ref Unsafe.Add(ref w, obt);
            ref double xj = ref Unsafe.Add(ref wr, (nint)j * 8);
            Vector256<double> x = Broadcast(ref sa, j);
            xj = x.ToScalar();
            a0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu), a0);
            a1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 4), a1);
            a2 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 8), a2);
            a3 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 12), a3);
            a4 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bt), a4);
            x = Broadcast(ref sb, j);
            Unsafe.Add(ref xj, 1) = x.ToScalar();
            b0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu), b0);
            b1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 4), b1);
            b2 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 8), b2);
            b3 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 12), b3);
            b4 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bt), b4);
        }

        ua = a0;
        Unsafe.Add(ref ua, 1) = a1;
        Unsafe.Add(ref ua, 2) = a2;
        Unsafe.Add(ref ua, 3) = a3;
        qa = a4;
        ub = b0;
        Unsafe.Add(ref ub, 1) = b1;
        Unsafe.Add(ref ub, 2) = b2;
        Unsafe.Add(ref ub, 3) = b3;
        qb = b4;
    }

    /// <summary><see cref="UpdateWide"/> in 256-bit vectors (needs AVX2 and FMA): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    internal static void UpdateWide256(ReadOnlySpan<int> nz, ref double wide, ref double w, in Coefficients k)
    {
        // Per sample: coef lanes 0–3, 4–7, δ lanes 0–3, 4–7, tail [c8 c9 δ8 δ9], formed as Coefficients.Get forms them.
        Coefficients256 c = default;
        for (int r = 0; r < 8; r++)
        {
            (Vector512<double> cr, Vector512<double> dr, Vector256<double> tr) = k.Get(r);
            c[(5 * r) + 0] = cr.GetLower();
            c[(5 * r) + 1] = cr.GetUpper();
            c[(5 * r) + 2] = dr.GetLower();
            c[(5 * r) + 3] = dr.GetUpper();
            c[(5 * r) + 4] = tr;
        }

        ref Vector256<double> cs = ref Unsafe.As<Coefficients256, Vector256<double>>(ref c);
        ref int idx = ref MemoryMarshal.GetReference(nz);
        int e = 0;
        for (; e + 2 <= nz.Length; e += 2)
        {
            int j = Unsafe.Add(ref idx, e);
            int l = Unsafe.Add(ref idx, e + 1);
            (nint ouj, nint otj) = Offsets(j);
            ref double uj = ref Unsafe.Add(ref w, ouj);
            ref double tj = ref Unsafe.Add(ref w, otj);
            (nint oul, nint otl) = Offsets(l);
            ref double ul = ref Unsafe.Add(ref w, oul);
            ref double tl = ref Unsafe.Add(ref w, otl);
            ref double xj = ref Unsafe.Add(ref wide, (nint)j * 8);
            ref double xl = ref Unsafe.Add(ref wide, (nint)l * 8);
            Vector256<double> j0 = Vector256.LoadUnsafe(ref uj);
            Vector256<double> j1 = Vector256.LoadUnsafe(ref uj, 4);
            Vector256<double> j2 = Vector256.LoadUnsafe(ref uj, 8);
            Vector256<double> j3 = Vector256.LoadUnsafe(ref uj, 12);
            Vector256<double> j4 = Vector256.LoadUnsafe(ref tj);
            Vector256<double> l0 = Vector256.LoadUnsafe(ref ul);
            Vector256<double> l1 = Vector256.LoadUnsafe(ref ul, 4);
            Vector256<double> l2 = Vector256.LoadUnsafe(ref ul, 8);
            Vector256<double> l3 = Vector256.LoadUnsafe(ref ul, 12);
            Vector256<double> l4 = Vector256.LoadUnsafe(ref tl);
            for (int r = 0; r < 8; r++)
            {
                ref Vector256<double> cr = ref Unsafe.Add(ref cs, 5 * r);
                Vector256<double> bj = Vector256.Create(Unsafe.Add(ref xj, r));
                Vector256<double> bl = Vector256.Create(Unsafe.Add(ref xl, r));
                Vector256<double> v = cr;
                j0 = Fma.MultiplyAdd(bj, v, j0);
                l0 = Fma.MultiplyAdd(bl, v, l0);
                v = Unsafe.Add(ref cr, 1);
                j1 = Fma.MultiplyAdd(bj, v, j1);
                l1 = Fma.MultiplyAdd(bl, v, l1);
                v = Unsafe.Add(ref cr, 2);
                j2 = Fma.MultiplyAdd(bj, v, j2);
                l2 = Fma.MultiplyAdd(bl, v, l2);
                v = Unsafe.Add(ref cr, 3);
                j3 = Fma.MultiplyAdd(bj, v, j3);
                l3 = Fma.MultiplyAdd(bl, v, l3);
                v = Unsafe.Add(ref cr, 4);
                j4 = Fma.MultiplyAdd(bj, v, j4);
                l4 = Fma.MultiplyAdd(bl, v, l4);
            }

            j0.StoreUnsafe(ref uj);
            j1.StoreUnsafe(ref uj, 4);
            j2.StoreUnsafe(ref uj, 8);
            j3.StoreUnsafe(ref uj, 12);
            j4.StoreUnsafe(ref tj);
            l0.StoreUnsafe(ref ul);
            l1.StoreUnsafe(ref ul, 4);
            l2.StoreUnsafe(ref ul, 8);
            l3.StoreUnsafe(ref ul, 12);
            l4.StoreUnsafe(ref tl);
        }

        if (e < nz.Length)
        {
            int j = Unsafe.Add(ref idx, e);
            (nint ouj, nint otj) = Offsets(j);
            ref double uj = ref Unsafe.Add(ref w, ouj);
            ref double tj = ref Unsafe.Add(ref w, otj);
            ref double xj = ref Unsafe.Add(ref wide, (nint)j * 8);
            Vector256<double> j0 = Vector256.LoadUnsafe(ref uj);
            Vector256<double> j1 = Vector256.LoadUnsafe(ref uj, 4);
            Vector256<double> j2 = Vector256.LoadUnsafe(ref uj, 8);
            Vector256<double> j3 = Vector256.LoadUnsafe(ref uj, 12);
            Vector256<double> j4 = Vector256.LoadUnsafe(ref tj);
            for (int r = 0; r < 8; r++)
            {
                ref Vector256<double> cr = ref Unsafe.Add(ref cs, 5 * r);
                Vector256<double> bj = Vector256.Create(Unsafe.Add(ref xj, r));
                j0 = Fma.MultiplyAdd(bj, cr, j0);
                j1 = Fma.MultiplyAdd(bj, Unsafe.Add(ref cr, 1), j1);
                j2 = Fma.MultiplyAdd(bj, Unsafe.Add(ref cr, 2), j2);
                j3 = Fma.MultiplyAdd(bj, Unsafe.Add(ref cr, 3), j3);
                j4 = Fma.MultiplyAdd(bj, Unsafe.Add(ref cr, 4), j4);
            }

            j0.StoreUnsafe(ref uj);
            j1.StoreUnsafe(ref uj, 4);
            j2.StoreUnsafe(ref uj, 8);
            j3.StoreUnsafe(ref uj, 12);
            j4.StoreUnsafe(ref tj);
        }
    }

    // Gram's 512-bit accumulators as 256-bit halves: lanes 0–3 (columns 8i … 8i+3) or 4–7 of each row product, in
    // passes small enough for 16 registers; each lane adds the same products in the same order as the 512-bit loop.

    // The six products within rows a0 … a3 (10, 20, 21, 30, 31, 32) into p[at …], over columns 8i + offset … + 3 below end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Within256<T>(ref T a0, ref T a1, ref T a2, ref T a3, int end, int offset, ref Products256 p, int at)
        where T : unmanaged
    {
        Vector256<double> g10 = default, g20 = default, g21 = default, g30 = default, g31 = default, g32 = default;
        for (int j = offset; j < end; j += 8)
        {
            Vector256<double> v0 = Row4(ref a0, j);
            Vector256<double> v1 = Row4(ref a1, j);
            Vector256<double> v2 = Row4(ref a2, j);
            Vector256<double> v3 = Row4(ref a3, j);
            g10 = Fma.MultiplyAdd(v1, v0, g10);
            g20 = Fma.MultiplyAdd(v2, v0, g20);
            g21 = Fma.MultiplyAdd(v2, v1, g21);
            g30 = Fma.MultiplyAdd(v3, v0, g30);
            g31 = Fma.MultiplyAdd(v3, v1, g31);
            g32 = Fma.MultiplyAdd(v3, v2, g32);
        }

        p[at] = g10;
        p[at + 1] = g20;
        p[at + 2] = g21;
        p[at + 3] = g30;
        p[at + 4] = g31;
        p[at + 5] = g32;
    }

    // The eight products of rows l0, l1 with rows b0 … b3 (l0·b0 … l0·b3, l1·b0 … l1·b3) into p[at …], as Within256.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Across256<T>(ref T l0, ref T l1, ref T b0, ref T b1, ref T b2, ref T b3, int end, int offset, ref Products256 p, int at)
        where T : unmanaged
    {
        Vector256<double> g00 = default, g01 = default, g02 = default, g03 = default, g10 = default, g11 = default, g12 = default, g13 = default;
        for (int j = offset; j < end; j += 8)
        {
            Vector256<double> v0 = Row4(ref b0, j);
            Vector256<double> v1 = Row4(ref b1, j);
            Vector256<double> v2 = Row4(ref b2, j);
            Vector256<double> v3 = Row4(ref b3, j);
            Vector256<double> w = Row4(ref l0, j);
            g00 = Fma.MultiplyAdd(w, v0, g00);
            g01 = Fma.MultiplyAdd(w, v1, g01);
            g02 = Fma.MultiplyAdd(w, v2, g02);
            g03 = Fma.MultiplyAdd(w, v3, g03);
            w = Row4(ref l1, j);
            g10 = Fma.MultiplyAdd(w, v0, g10);
            g11 = Fma.MultiplyAdd(w, v1, g11);
            g12 = Fma.MultiplyAdd(w, v2, g12);
            g13 = Fma.MultiplyAdd(w, v3, g13);
        }

        p[at] = g00;
        p[at + 1] = g01;
        p[at + 2] = g02;
        p[at + 3] = g03;
        p[at + 4] = g10;
        p[at + 5] = g11;
        p[at + 6] = g12;
        p[at + 7] = g13;
    }

    // Elements j … j+3 of a float or double row as doubles (float → double is exact).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Row4<T>(ref T row, int j)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref row), (nuint)j));
        }

        return Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)j);
    }

    // Up to 16 row products' 256-bit halves.
    [InlineArray(16)]
    private struct Products256
    {
        private Vector256<double> _element;
    }

    // Element j of a float or double row as double in every lane. A float is broadcast, then widened (vbroadcastss,
    // vcvtps2pd) rather than converted as a scalar: vcvtss2sd merges into its destination, which the JIT took from the
    // previous sample's broadcast, a dependency from each sample to the one before. (End to end on Zen 3 the pixel fit
    // measured the same within noise either way: 0.44-0.45 s against 0.42-0.50 s.)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Broadcast<T>(ref T row, int j)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Avx.ConvertToVector256Double(Vector128.Create(Unsafe.As<T, float>(ref Unsafe.Add(ref row, j))));
        }

        return Vector256.Create(Unsafe.As<T, double>(ref Unsafe.Add(ref row, j)));
    }

    // Feature j's U (A at +8) and tail, as SagLaneKernels.Offsets places them, in native-width arithmetic (no
    // sign extension per load).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (nint U, nint T) Offsets(int j)
    {
        nint odd = j & 1;
        nint b = (nint)j * SagLaneKernels.Block;
        return (b + (4 * odd), b + 16 - (16 * odd));
    }

    // Eight samples' five 256-bit coefficient vectors (1280 bytes, on the stack).
    [InlineArray(40)]
    private struct Coefficients256
    {
        private Vector256<double> _element;
    }
}
