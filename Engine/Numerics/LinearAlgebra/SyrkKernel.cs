using System.Runtime.CompilerServices;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>The SYRK register tile: an 8×(3·W) block of XᵀX accumulated over one packed row panel.</summary>
internal static class SyrkKernel
{
    /// <summary>Rows of C per tile (broadcast operand).</summary>
    public const int RowTile = 8;

    /// <summary>Vectors of C columns per tile.</summary>
    public const int ColumnVectors = 3;

    /// <summary>
    /// c[i0..i0+8, j0..j0+3W) += Σ_r panel[r, i0+ii] · panel[r, j0+jj], summed in <typeparamref name="T"/> over the
    /// panel's rows in row order, then added once to the double destination.
    /// </summary>
    /// <remarks>
    /// Both operands come from the same row-major panel: the eight broadcasts are contiguous in row r, and so are the
    /// three column vectors, so no separate packing of A and B is needed. 24 accumulators + 3 column vectors + 1
    /// broadcast fit the 32 AVX-512 registers. Each output element sees the same FMA chain whatever tile or thread
    /// computes it, which keeps results independent of the thread count.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TS, TVec, T>(ref T panel, int rows, nint dp, nint i0, nint j0, ref double c)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
    {
        nint w = TS.Count;
        TVec c00 = TS.Zero, c01 = TS.Zero, c02 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c12 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero, c22 = TS.Zero, c30 = TS.Zero, c31 = TS.Zero, c32 = TS.Zero, c40 = TS.Zero, c41 = TS.Zero, c42 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero, c52 = TS.Zero, c60 = TS.Zero, c61 = TS.Zero, c62 = TS.Zero, c70 = TS.Zero, c71 = TS.Zero, c72 = TS.Zero;
        ref T row = ref panel;
        for (int r = 0; r < rows; r++)
        {
            TVec b0 = TS.Load(ref row, j0);
            TVec b1 = TS.Load(ref row, j0 + w);
            TVec b2 = TS.Load(ref row, j0 + (2 * w));
            TVec a;
            a = TS.Broadcast(Unsafe.Add(ref row, i0 + 0));
            c00 = TS.Fma(a, b0, c00);
            c01 = TS.Fma(a, b1, c01);
            c02 = TS.Fma(a, b2, c02);
            a = TS.Broadcast(Unsafe.Add(ref row, i0 + 1));
            c10 = TS.Fma(a, b0, c10);
            c11 = TS.Fma(a, b1, c11);
            c12 = TS.Fma(a, b2, c12);
            a = TS.Broadcast(Unsafe.Add(ref row, i0 + 2));
            c20 = TS.Fma(a, b0, c20);
            c21 = TS.Fma(a, b1, c21);
            c22 = TS.Fma(a, b2, c22);
            a = TS.Broadcast(Unsafe.Add(ref row, i0 + 3));
            c30 = TS.Fma(a, b0, c30);
            c31 = TS.Fma(a, b1, c31);
            c32 = TS.Fma(a, b2, c32);
            a = TS.Broadcast(Unsafe.Add(ref row, i0 + 4));
            c40 = TS.Fma(a, b0, c40);
            c41 = TS.Fma(a, b1, c41);
            c42 = TS.Fma(a, b2, c42);
            a = TS.Broadcast(Unsafe.Add(ref row, i0 + 5));
            c50 = TS.Fma(a, b0, c50);
            c51 = TS.Fma(a, b1, c51);
            c52 = TS.Fma(a, b2, c52);
            a = TS.Broadcast(Unsafe.Add(ref row, i0 + 6));
            c60 = TS.Fma(a, b0, c60);
            c61 = TS.Fma(a, b1, c61);
            c62 = TS.Fma(a, b2, c62);
            a = TS.Broadcast(Unsafe.Add(ref row, i0 + 7));
            c70 = TS.Fma(a, b0, c70);
            c71 = TS.Fma(a, b1, c71);
            c72 = TS.Fma(a, b2, c72);
            row = ref Unsafe.Add(ref row, dp);
        }

        TS.AddTo(c00, ref Unsafe.Add(ref c, ((i0 + 0) * dp) + j0 + (0 * w)), 0);
        TS.AddTo(c01, ref Unsafe.Add(ref c, ((i0 + 0) * dp) + j0 + (1 * w)), 0);
        TS.AddTo(c02, ref Unsafe.Add(ref c, ((i0 + 0) * dp) + j0 + (2 * w)), 0);
        TS.AddTo(c10, ref Unsafe.Add(ref c, ((i0 + 1) * dp) + j0 + (0 * w)), 0);
        TS.AddTo(c11, ref Unsafe.Add(ref c, ((i0 + 1) * dp) + j0 + (1 * w)), 0);
        TS.AddTo(c12, ref Unsafe.Add(ref c, ((i0 + 1) * dp) + j0 + (2 * w)), 0);
        TS.AddTo(c20, ref Unsafe.Add(ref c, ((i0 + 2) * dp) + j0 + (0 * w)), 0);
        TS.AddTo(c21, ref Unsafe.Add(ref c, ((i0 + 2) * dp) + j0 + (1 * w)), 0);
        TS.AddTo(c22, ref Unsafe.Add(ref c, ((i0 + 2) * dp) + j0 + (2 * w)), 0);
        TS.AddTo(c30, ref Unsafe.Add(ref c, ((i0 + 3) * dp) + j0 + (0 * w)), 0);
        TS.AddTo(c31, ref Unsafe.Add(ref c, ((i0 + 3) * dp) + j0 + (1 * w)), 0);
        TS.AddTo(c32, ref Unsafe.Add(ref c, ((i0 + 3) * dp) + j0 + (2 * w)), 0);
        TS.AddTo(c40, ref Unsafe.Add(ref c, ((i0 + 4) * dp) + j0 + (0 * w)), 0);
        TS.AddTo(c41, ref Unsafe.Add(ref c, ((i0 + 4) * dp) + j0 + (1 * w)), 0);
        TS.AddTo(c42, ref Unsafe.Add(ref c, ((i0 + 4) * dp) + j0 + (2 * w)), 0);
        TS.AddTo(c50, ref Unsafe.Add(ref c, ((i0 + 5) * dp) + j0 + (0 * w)), 0);
        TS.AddTo(c51, ref Unsafe.Add(ref c, ((i0 + 5) * dp) + j0 + (1 * w)), 0);
        TS.AddTo(c52, ref Unsafe.Add(ref c, ((i0 + 5) * dp) + j0 + (2 * w)), 0);
        TS.AddTo(c60, ref Unsafe.Add(ref c, ((i0 + 6) * dp) + j0 + (0 * w)), 0);
        TS.AddTo(c61, ref Unsafe.Add(ref c, ((i0 + 6) * dp) + j0 + (1 * w)), 0);
        TS.AddTo(c62, ref Unsafe.Add(ref c, ((i0 + 6) * dp) + j0 + (2 * w)), 0);
        TS.AddTo(c70, ref Unsafe.Add(ref c, ((i0 + 7) * dp) + j0 + (0 * w)), 0);
        TS.AddTo(c71, ref Unsafe.Add(ref c, ((i0 + 7) * dp) + j0 + (1 * w)), 0);
        TS.AddTo(c72, ref Unsafe.Add(ref c, ((i0 + 7) * dp) + j0 + (2 * w)), 0);
    }
}
