using System.Runtime.CompilerServices;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>Register tiles of C = A·B (row-major B): broadcast A, stream B's rows.</summary>
/// <remarks>
/// Each element is one FMA chain over p = 0..k−1 starting from zero, in the tile, in the vector edge and in the scalar
/// edge alike (a vector FMA lane rounds exactly like <see cref="Math.FusedMultiplyAdd(double, double, double)"/>), so
/// values do not depend on the tiling or the thread count.
/// </remarks>
internal static class GemmKernel
{
    public const int RowTile = 6;
    public const int ColumnVectors = 3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TS, TVec, T>(ref T a0, nint lda, ref T b, nint ldb, int depth, ref T c, nint ldc)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
    {
        nint w = TS.Count;
        TVec c00 = TS.Zero, c01 = TS.Zero, c02 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c12 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero, c22 = TS.Zero, c30 = TS.Zero, c31 = TS.Zero, c32 = TS.Zero, c40 = TS.Zero, c41 = TS.Zero, c42 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero, c52 = TS.Zero;
        for (nint p = 0; p < depth; p++)
        {
            ref T bp = ref Unsafe.Add(ref b, ldb * p);
            TVec a;
            TVec b0 = TS.Load(ref bp, 0 * w);
            TVec b1 = TS.Load(ref bp, 1 * w);
            TVec b2 = TS.Load(ref bp, 2 * w);
            a = TS.Broadcast(Unsafe.Add(ref a0, (lda * 0) + p));
            c00 = TS.Fma(a, b0, c00);
            c01 = TS.Fma(a, b1, c01);
            c02 = TS.Fma(a, b2, c02);
            a = TS.Broadcast(Unsafe.Add(ref a0, (lda * 1) + p));
            c10 = TS.Fma(a, b0, c10);
            c11 = TS.Fma(a, b1, c11);
            c12 = TS.Fma(a, b2, c12);
            a = TS.Broadcast(Unsafe.Add(ref a0, (lda * 2) + p));
            c20 = TS.Fma(a, b0, c20);
            c21 = TS.Fma(a, b1, c21);
            c22 = TS.Fma(a, b2, c22);
            a = TS.Broadcast(Unsafe.Add(ref a0, (lda * 3) + p));
            c30 = TS.Fma(a, b0, c30);
            c31 = TS.Fma(a, b1, c31);
            c32 = TS.Fma(a, b2, c32);
            a = TS.Broadcast(Unsafe.Add(ref a0, (lda * 4) + p));
            c40 = TS.Fma(a, b0, c40);
            c41 = TS.Fma(a, b1, c41);
            c42 = TS.Fma(a, b2, c42);
            a = TS.Broadcast(Unsafe.Add(ref a0, (lda * 5) + p));
            c50 = TS.Fma(a, b0, c50);
            c51 = TS.Fma(a, b1, c51);
            c52 = TS.Fma(a, b2, c52);
        }

        TS.Store(c00, ref c, (ldc * 0) + (0 * w));
        TS.Store(c01, ref c, (ldc * 0) + (1 * w));
        TS.Store(c02, ref c, (ldc * 0) + (2 * w));
        TS.Store(c10, ref c, (ldc * 1) + (0 * w));
        TS.Store(c11, ref c, (ldc * 1) + (1 * w));
        TS.Store(c12, ref c, (ldc * 1) + (2 * w));
        TS.Store(c20, ref c, (ldc * 2) + (0 * w));
        TS.Store(c21, ref c, (ldc * 2) + (1 * w));
        TS.Store(c22, ref c, (ldc * 2) + (2 * w));
        TS.Store(c30, ref c, (ldc * 3) + (0 * w));
        TS.Store(c31, ref c, (ldc * 3) + (1 * w));
        TS.Store(c32, ref c, (ldc * 3) + (2 * w));
        TS.Store(c40, ref c, (ldc * 4) + (0 * w));
        TS.Store(c41, ref c, (ldc * 4) + (1 * w));
        TS.Store(c42, ref c, (ldc * 4) + (2 * w));
        TS.Store(c50, ref c, (ldc * 5) + (0 * w));
        TS.Store(c51, ref c, (ldc * 5) + (1 * w));
        TS.Store(c52, ref c, (ldc * 5) + (2 * w));
    }

    /// <summary>One row of C from column <paramref name="j0"/> to <paramref name="width"/>: vectors, then scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row<TS, TVec, T>(ref T a, ref T b, nint ldb, int depth, ref T c, int j0, int width)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
    {
        nint w = TS.Count;
        nint j = j0;
        for (; j <= width - w; j += w)
        {
            TVec acc = TS.Zero;
            for (nint p = 0; p < depth; p++)
            {
                acc = TS.Fma(TS.Broadcast(Unsafe.Add(ref a, p)), TS.Load(ref b, (ldb * p) + j), acc);
            }

            TS.Store(acc, ref c, j);
        }

        for (; j < width; j++)
        {
            T s = default;
            for (nint p = 0; p < depth; p++)
            {
                s = ScalarFma(Unsafe.Add(ref a, p), Unsafe.Add(ref b, (ldb * p) + j), s);
            }

            Unsafe.Add(ref c, j) = s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ScalarFma<T>(T a, T b, T s)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return (T)(object)MathF.FusedMultiplyAdd((float)(object)a, (float)(object)b, (float)(object)s);
        }

        return (T)(object)Math.FusedMultiplyAdd((double)(object)a, (double)(object)b, (double)(object)s);
    }
}
