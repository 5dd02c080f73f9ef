using System.Runtime.CompilerServices;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>Compile-time switch for the optional row shift of the A operand (specialised away by the JIT).</summary>
internal interface IShiftFlag
{
    static abstract bool Enabled { get; }
}

/// <summary>A is used as is.</summary>
internal readonly struct NoShift : IShiftFlag
{
    public static bool Enabled => false;
}

/// <summary>A's rows have a vector subtracted first.</summary>
internal readonly struct WithShift : IShiftFlag
{
    public static bool Enabled => true;
}

/// <summary>Register tiles of C = (A − shift)·Bᵀ in dot-product form: both operands are read along their rows.</summary>
/// <remarks>
/// Every element is computed the same way by the 6×4 tile and by the 1×1 edge kernel: one vector accumulator over the
/// full vectors of the row (FMA chain in k order), a horizontal sum, then the scalar tail with FMAs in k order. So an
/// element's value does not depend on which tile, edge or thread computed it.
/// </remarks>
internal static class GemmTransposedKernel
{
    public const int RowTile = 6;
    public const int ColumnTile = 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TS, TVec, T, TShift>(ref T a0, nint lda, ref T b, nint ldb, ref T shift, int depth, ref T c, nint ldc)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
        where TShift : struct, IShiftFlag
    {
        nint w = TS.Count;
        TVec c00 = TS.Zero, c01 = TS.Zero, c02 = TS.Zero, c03 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c12 = TS.Zero, c13 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero, c22 = TS.Zero, c23 = TS.Zero, c30 = TS.Zero, c31 = TS.Zero, c32 = TS.Zero, c33 = TS.Zero, c40 = TS.Zero, c41 = TS.Zero, c42 = TS.Zero, c43 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero, c52 = TS.Zero, c53 = TS.Zero;
        nint k = 0;
        for (; k <= depth - w; k += w)
        {
            TVec a;
            TVec b0 = TS.Load(ref b, (ldb * 0) + k);
            TVec b1 = TS.Load(ref b, (ldb * 1) + k);
            TVec b2 = TS.Load(ref b, (ldb * 2) + k);
            TVec b3 = TS.Load(ref b, (ldb * 3) + k);
            a = TS.Load(ref a0, (lda * 0) + k);
            if (TShift.Enabled)
            {
                a = TS.Subtract(a, TS.Load(ref shift, k));
            }

            c00 = TS.Fma(a, b0, c00);
            c01 = TS.Fma(a, b1, c01);
            c02 = TS.Fma(a, b2, c02);
            c03 = TS.Fma(a, b3, c03);
            a = TS.Load(ref a0, (lda * 1) + k);
            if (TShift.Enabled)
            {
                a = TS.Subtract(a, TS.Load(ref shift, k));
            }

            c10 = TS.Fma(a, b0, c10);
            c11 = TS.Fma(a, b1, c11);
            c12 = TS.Fma(a, b2, c12);
            c13 = TS.Fma(a, b3, c13);
            a = TS.Load(ref a0, (lda * 2) + k);
            if (TShift.Enabled)
            {
                a = TS.Subtract(a, TS.Load(ref shift, k));
            }

            c20 = TS.Fma(a, b0, c20);
            c21 = TS.Fma(a, b1, c21);
            c22 = TS.Fma(a, b2, c22);
            c23 = TS.Fma(a, b3, c23);
            a = TS.Load(ref a0, (lda * 3) + k);
            if (TShift.Enabled)
            {
                a = TS.Subtract(a, TS.Load(ref shift, k));
            }

            c30 = TS.Fma(a, b0, c30);
            c31 = TS.Fma(a, b1, c31);
            c32 = TS.Fma(a, b2, c32);
            c33 = TS.Fma(a, b3, c33);
            a = TS.Load(ref a0, (lda * 4) + k);
            if (TShift.Enabled)
            {
                a = TS.Subtract(a, TS.Load(ref shift, k));
            }

            c40 = TS.Fma(a, b0, c40);
            c41 = TS.Fma(a, b1, c41);
            c42 = TS.Fma(a, b2, c42);
            c43 = TS.Fma(a, b3, c43);
            a = TS.Load(ref a0, (lda * 5) + k);
            if (TShift.Enabled)
            {
                a = TS.Subtract(a, TS.Load(ref shift, k));
            }

            c50 = TS.Fma(a, b0, c50);
            c51 = TS.Fma(a, b1, c51);
            c52 = TS.Fma(a, b2, c52);
            c53 = TS.Fma(a, b3, c53);
        }

        Unsafe.Add(ref c, (ldc * 0) + 0) = Finish<TS, TVec, T, TShift>(c00, ref Unsafe.Add(ref a0, lda * 0), ref Unsafe.Add(ref b, ldb * 0), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 0) + 1) = Finish<TS, TVec, T, TShift>(c01, ref Unsafe.Add(ref a0, lda * 0), ref Unsafe.Add(ref b, ldb * 1), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 0) + 2) = Finish<TS, TVec, T, TShift>(c02, ref Unsafe.Add(ref a0, lda * 0), ref Unsafe.Add(ref b, ldb * 2), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 0) + 3) = Finish<TS, TVec, T, TShift>(c03, ref Unsafe.Add(ref a0, lda * 0), ref Unsafe.Add(ref b, ldb * 3), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 1) + 0) = Finish<TS, TVec, T, TShift>(c10, ref Unsafe.Add(ref a0, lda * 1), ref Unsafe.Add(ref b, ldb * 0), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 1) + 1) = Finish<TS, TVec, T, TShift>(c11, ref Unsafe.Add(ref a0, lda * 1), ref Unsafe.Add(ref b, ldb * 1), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 1) + 2) = Finish<TS, TVec, T, TShift>(c12, ref Unsafe.Add(ref a0, lda * 1), ref Unsafe.Add(ref b, ldb * 2), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 1) + 3) = Finish<TS, TVec, T, TShift>(c13, ref Unsafe.Add(ref a0, lda * 1), ref Unsafe.Add(ref b, ldb * 3), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 2) + 0) = Finish<TS, TVec, T, TShift>(c20, ref Unsafe.Add(ref a0, lda * 2), ref Unsafe.Add(ref b, ldb * 0), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 2) + 1) = Finish<TS, TVec, T, TShift>(c21, ref Unsafe.Add(ref a0, lda * 2), ref Unsafe.Add(ref b, ldb * 1), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 2) + 2) = Finish<TS, TVec, T, TShift>(c22, ref Unsafe.Add(ref a0, lda * 2), ref Unsafe.Add(ref b, ldb * 2), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 2) + 3) = Finish<TS, TVec, T, TShift>(c23, ref Unsafe.Add(ref a0, lda * 2), ref Unsafe.Add(ref b, ldb * 3), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 3) + 0) = Finish<TS, TVec, T, TShift>(c30, ref Unsafe.Add(ref a0, lda * 3), ref Unsafe.Add(ref b, ldb * 0), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 3) + 1) = Finish<TS, TVec, T, TShift>(c31, ref Unsafe.Add(ref a0, lda * 3), ref Unsafe.Add(ref b, ldb * 1), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 3) + 2) = Finish<TS, TVec, T, TShift>(c32, ref Unsafe.Add(ref a0, lda * 3), ref Unsafe.Add(ref b, ldb * 2), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 3) + 3) = Finish<TS, TVec, T, TShift>(c33, ref Unsafe.Add(ref a0, lda * 3), ref Unsafe.Add(ref b, ldb * 3), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 4) + 0) = Finish<TS, TVec, T, TShift>(c40, ref Unsafe.Add(ref a0, lda * 4), ref Unsafe.Add(ref b, ldb * 0), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 4) + 1) = Finish<TS, TVec, T, TShift>(c41, ref Unsafe.Add(ref a0, lda * 4), ref Unsafe.Add(ref b, ldb * 1), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 4) + 2) = Finish<TS, TVec, T, TShift>(c42, ref Unsafe.Add(ref a0, lda * 4), ref Unsafe.Add(ref b, ldb * 2), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 4) + 3) = Finish<TS, TVec, T, TShift>(c43, ref Unsafe.Add(ref a0, lda * 4), ref Unsafe.Add(ref b, ldb * 3), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 5) + 0) = Finish<TS, TVec, T, TShift>(c50, ref Unsafe.Add(ref a0, lda * 5), ref Unsafe.Add(ref b, ldb * 0), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 5) + 1) = Finish<TS, TVec, T, TShift>(c51, ref Unsafe.Add(ref a0, lda * 5), ref Unsafe.Add(ref b, ldb * 1), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 5) + 2) = Finish<TS, TVec, T, TShift>(c52, ref Unsafe.Add(ref a0, lda * 5), ref Unsafe.Add(ref b, ldb * 2), ref shift, k, depth);
        Unsafe.Add(ref c, (ldc * 5) + 3) = Finish<TS, TVec, T, TShift>(c53, ref Unsafe.Add(ref a0, lda * 5), ref Unsafe.Add(ref b, ldb * 3), ref shift, k, depth);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Single<TS, TVec, T, TShift>(ref T a, ref T b, ref T shift, int depth)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
        where TShift : struct, IShiftFlag
    {
        nint w = TS.Count;
        TVec acc = TS.Zero;
        nint k = 0;
        for (; k <= depth - w; k += w)
        {
            TVec av = TS.Load(ref a, k);
            if (TShift.Enabled)
            {
                av = TS.Subtract(av, TS.Load(ref shift, k));
            }

            acc = TS.Fma(av, TS.Load(ref b, k), acc);
        }

        return Finish<TS, TVec, T, TShift>(acc, ref a, ref b, ref shift, k, depth);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Finish<TS, TVec, T, TShift>(TVec acc, ref T a, ref T b, ref T shift, nint k, int depth)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
        where TShift : struct, IShiftFlag
    {
        T s = TS.Sum(acc);
        for (; k < depth; k++)
        {
            s = ScalarFma<T, TShift>(Unsafe.Add(ref a, k), Unsafe.Add(ref shift, k), Unsafe.Add(ref b, k), s);
        }

        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ScalarFma<T, TShift>(T a, T shift, T b, T s)
        where T : unmanaged
        where TShift : struct, IShiftFlag
    {
        if (typeof(T) == typeof(float))
        {
            float av = TShift.Enabled ? (float)(object)a - (float)(object)shift : (float)(object)a;
            return (T)(object)MathF.FusedMultiplyAdd(av, (float)(object)b, (float)(object)s);
        }

        double ad = TShift.Enabled ? (double)(object)a - (double)(object)shift : (double)(object)a;
        return (T)(object)Math.FusedMultiplyAdd(ad, (double)(object)b, (double)(object)s);
    }
}
