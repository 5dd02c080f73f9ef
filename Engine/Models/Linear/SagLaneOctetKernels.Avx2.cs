using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// The octet passes for machines without AVX-512 (<see cref="SagLaneBlocks256"/>): the same FMAs per lane in the same
/// order as the 512-bit loops, so the same bits, arranged for 16 256-bit registers.
/// </summary>
internal static partial class SagLaneOctetKernels
{
    /// <summary><see cref="DotWiden{T}"/> in 256-bit vectors (needs AVX2 and FMA): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    internal static void DotWiden256<T>(ReadOnlySpan<int> nz, in RowOctet<T> y, ref double w, ref Accumulators acc, ref double wide)
        where T : unmanaged
    {
        ref Vector256<double> u = ref Unsafe.As<Vector512<double>, Vector256<double>>(ref acc.U0);
        SagLaneBlocks256.DotPair<T, WidenRows>(nz, ref MemoryMarshal.GetReference(y.X0), ref MemoryMarshal.GetReference(y.X1), ref w, ref wide, ref u, ref acc.Q0);
        SagLaneBlocks256.DotPair<T, WidenRows>(nz, ref MemoryMarshal.GetReference(y.X2), ref MemoryMarshal.GetReference(y.X3), ref w, ref Unsafe.Add(ref wide, 2), ref Unsafe.Add(ref u, 8), ref Unsafe.Add(ref acc.Q0, 2));
        SagLaneBlocks256.DotPair<T, WidenRows>(nz, ref MemoryMarshal.GetReference(y.X4), ref MemoryMarshal.GetReference(y.X5), ref w, ref Unsafe.Add(ref wide, 4), ref Unsafe.Add(ref u, 16), ref Unsafe.Add(ref acc.Q0, 4));
        SagLaneBlocks256.DotPair<T, WidenRows>(nz, ref MemoryMarshal.GetReference(y.X6), ref MemoryMarshal.GetReference(y.X7), ref w, ref Unsafe.Add(ref wide, 6), ref Unsafe.Add(ref u, 24), ref Unsafe.Add(ref acc.Q0, 6));
    }

    /// <summary><see cref="UpdateWide"/> in 256-bit vectors (needs AVX2 and FMA): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    internal static void UpdateWide256(ReadOnlySpan<int> nz, ref double wide, ref double w, in Coefficients k)
    {
        // Every slot is set before it is read (SkipInit: no zeroing of the 1280 bytes per call).
        Unsafe.SkipInit(out SagLaneBlocks256.Coefficients c);
        for (int r = 0; r < 8; r++)
        {
            (Vector512<double> cr, Vector512<double> dr, Vector256<double> tr) = k.Get(r);
            c.Set(r, cr.GetLower(), cr.GetUpper(), dr.GetLower(), dr.GetUpper(), tr);
        }

        ref int idx = ref MemoryMarshal.GetReference(nz);
        int e = 0;
        for (; e + 2 <= nz.Length; e += 2)
        {
            int j = Unsafe.Add(ref idx, e);
            int l = Unsafe.Add(ref idx, e + 1);
            SagLaneBlocks256.UpdatePair(ref w, j, l, ref Unsafe.Add(ref wide, (nint)j * 8), ref Unsafe.Add(ref wide, (nint)l * 8), 1, ref c, 8);
        }

        if (e < nz.Length)
        {
            int j = Unsafe.Add(ref idx, e);
            SagLaneBlocks256.Update(ref w, j, ref Unsafe.Add(ref wide, (nint)j * 8), 1, ref c, 8);
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
}
