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
    /// listed panel rows (offsets from each column's row 0, ascending) in row order, then added once to the double
    /// destination. <paramref name="a"/> is column i0 and <paramref name="b0"/>..<paramref name="b2"/> the three W-wide
    /// column vectors from j0 in the packed panel (see SymmetricRankK's ColumnStart).
    /// </summary>
    /// <remarks>
    /// Both operands come from the same packed panel (column groups whose rows are contiguous): the eight broadcasts
    /// of a row are adjacent, each column vector is one load, and consecutive rows follow each other, so the tile
    /// streams its columns sequentially and no separate packing of A and B is needed. 24 accumulators + 3 column vectors + 1
    /// broadcast fit the 32 AVX-512 registers. Each output element sees the same FMA chain whatever tile or thread
    /// computes it, which keeps results independent of the thread count.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TS, TVec, T>(ref T a, ref T b0, ref T b1, ref T b2, ref int rowOffsets, int rows, nint dp, nint i0, nint j0, ref double c)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
    {
        nint w = TS.Count;
        TVec c00 = TS.Zero, c01 = TS.Zero, c02 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c12 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero, c22 = TS.Zero, c30 = TS.Zero, c31 = TS.Zero, c32 = TS.Zero, c40 = TS.Zero, c41 = TS.Zero, c42 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero, c52 = TS.Zero, c60 = TS.Zero, c61 = TS.Zero, c62 = TS.Zero, c70 = TS.Zero, c71 = TS.Zero, c72 = TS.Zero;
        for (int r = 0; r < rows; r++)
        {
            nint o = Unsafe.Add(ref rowOffsets, r);
            TVec v0 = TS.Load(ref b0, o);
            TVec v1 = TS.Load(ref b1, o);
            TVec v2 = TS.Load(ref b2, o);
            ref T row = ref Unsafe.Add(ref a, o);
            TVec x;
            x = TS.Broadcast(Unsafe.Add(ref row, 0));
            c00 = TS.Fma(x, v0, c00);
            c01 = TS.Fma(x, v1, c01);
            c02 = TS.Fma(x, v2, c02);
            x = TS.Broadcast(Unsafe.Add(ref row, 1));
            c10 = TS.Fma(x, v0, c10);
            c11 = TS.Fma(x, v1, c11);
            c12 = TS.Fma(x, v2, c12);
            x = TS.Broadcast(Unsafe.Add(ref row, 2));
            c20 = TS.Fma(x, v0, c20);
            c21 = TS.Fma(x, v1, c21);
            c22 = TS.Fma(x, v2, c22);
            x = TS.Broadcast(Unsafe.Add(ref row, 3));
            c30 = TS.Fma(x, v0, c30);
            c31 = TS.Fma(x, v1, c31);
            c32 = TS.Fma(x, v2, c32);
            x = TS.Broadcast(Unsafe.Add(ref row, 4));
            c40 = TS.Fma(x, v0, c40);
            c41 = TS.Fma(x, v1, c41);
            c42 = TS.Fma(x, v2, c42);
            x = TS.Broadcast(Unsafe.Add(ref row, 5));
            c50 = TS.Fma(x, v0, c50);
            c51 = TS.Fma(x, v1, c51);
            c52 = TS.Fma(x, v2, c52);
            x = TS.Broadcast(Unsafe.Add(ref row, 6));
            c60 = TS.Fma(x, v0, c60);
            c61 = TS.Fma(x, v1, c61);
            c62 = TS.Fma(x, v2, c62);
            x = TS.Broadcast(Unsafe.Add(ref row, 7));
            c70 = TS.Fma(x, v0, c70);
            c71 = TS.Fma(x, v1, c71);
            c72 = TS.Fma(x, v2, c72);
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
