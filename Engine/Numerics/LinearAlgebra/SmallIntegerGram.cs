using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// The exact Gram matrix <c>xᵀx</c> of float rows whose values are all integers in [−255, 255] (pixels), formed with
/// 16-bit integer multiply-adds (AVX-512BW <c>vpmaddwd</c>) into 32-bit sums: the same exact integer result as the
/// float-panel path of <see cref="SymmetricRankK"/>, about three times the multiply-add rate of float FMAs.
/// </summary>
/// <remarks>
/// <para>
/// Rows are packed in pairs: each 32-bit lane holds (x[r, j], x[r+1, j]) as two int16, so one <c>vpmaddwd</c> of a
/// broadcast pair of column i with a vector of 16 column pairs adds x[r,i]·x[r,j] + x[r+1,i]·x[r+1,j] (≤ 130 050) to
/// 16 int32 sums. A panel of <see cref="PanelRows"/> rows adds at most 256·130 050 &lt; 2³¹ per sum, so nothing
/// overflows; panel sums are added to the double result, which stays an exact integer (n·255² &lt; 2⁵³). Every
/// element is therefore exact and the result is identical for any thread count, tile order or panel height.
/// </para>
/// <para>
/// Tiles, panel layout, the upper-triangle-only work split and the skipping of all-zero row pairs per 8-column group
/// are those of <see cref="SymmetricRankK"/>'s float kernel (see there). The caller guarantees the value range.
/// </para>
/// </remarks>
internal static class SmallIntegerGram
{
    /// <summary>Rows per packed panel (256 row pairs; 256·2·255² &lt; 2³¹).</summary>
    public const int PanelRows = 512;

    private const int RowTile = 8;
    private const int Lanes = 16;
    private const int ColumnTile = 3 * Lanes;

    /// <summary>True when the 512-bit integer multiply-add is available (otherwise use the float-panel path).</summary>
    public static bool IsSupported => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary><c>destination = xᵀx</c> exactly; every value of <paramref name="x"/> must be an integer in [−255, 255].</summary>
    public static unsafe void Gram(ReadOnlySpan2D<float> x, Span2D<double> destination, int maxDegreeOfParallelism)
    {
        int n = x.Height;
        int d = x.Width;
        if (d == 0)
        {
            return;
        }

        // Threads split the rows (whole panels), each summing every tile into its own buffer: the panel is packed
        // once, and since all sums are exact integers the buffers can be added in any order.
        int dp = (d + ColumnTile - 1) / ColumnTile * ColumnTile;
        int panels = (n + PanelRows - 1) / PanelRows;
        int threads = Parallelism.Threads(maxDegreeOfParallelism, panels);
        // Pooled and pinned: fresh pages of these 5 MB buffers cost more to fault in than the sums (see ScratchArray).
        var rented = new ScratchArray<double>[threads];
        double[][] partial = new double[threads][];
        for (int t = 0; t < threads; t++)
        {
            rented[t] = new ScratchArray<double>(dp * dp, clear: true);
            partial[t] = rented[t].Array;
        }

        try
        {
            fixed (float* px = &x.DangerousGetReference())
            {
                var job = new Job { X = px, N = n, D = d, Stride = Strides.Of(x), Dp = dp, Tiles = UpperTiles(dp), Panels = panels, Threads = threads, Results = partial };
                Parallelism.For(threads, job.Execute);
            }

            Span<double> c = partial[0].AsSpan(0, dp * dp);
            for (int t = 1; t < threads; t++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(c, partial[t].AsSpan(0, dp * dp), c);
            }

            for (int i = 0; i < d; i++)
            {
                Span<double> row = destination.GetRowSpan(i);
                for (int j = 0; j < i; j++)
                {
                    row[j] = c[(j * dp) + i];
                }

                c.Slice((i * dp) + i, d - i).CopyTo(row[i..]);
            }
        }
        finally
        {
            foreach (ScratchArray<double> r in rented)
            {
                r.Dispose();
            }
        }
    }

    /// <summary>Pairs (row tile, column tile) touching the upper triangle, column-tile major, flattened.</summary>
    private static int[] UpperTiles(int dp)
    {
        var list = new List<int>();
        for (int j0 = 0; j0 < dp; j0 += ColumnTile)
        {
            for (int i0 = 0; i0 < j0 + ColumnTile; i0 += RowTile)
            {
                list.Add(i0);
                list.Add(j0);
            }
        }

        return [.. list];
    }

    /// <summary>
    /// Offset (in int32 lanes) of column <paramref name="column"/> in pair 0 of the packed panel: groups of 16
    /// columns, each group's pairs contiguous, so element (p, j) is at ColumnStart(j) + 16·p.
    /// </summary>
    private static int ColumnStart(int column, int pairs) => (column / Lanes * pairs * Lanes) + (column % Lanes);

    /// <summary>
    /// c[i0..i0+8, j0..j0+48) += Σ over the listed pairs of a[i]·b[j] pair products (int32), then widened once to the
    /// double destination. 24 accumulators + 3 column vectors + 1 broadcast fit the 32 AVX-512 registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(ref int a, ref int b, nint groupStride, ref int pairOffsets, int count, nint dp, nint i0, nint j0, ref double c)
    {
        Vector512<int> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default, c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default, c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default, c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        ref int b1 = ref Unsafe.Add(ref b, groupStride);
        ref int b2 = ref Unsafe.Add(ref b, 2 * groupStride);
        for (int q = 0; q < count; q++)
        {
            nint o = Unsafe.Add(ref pairOffsets, q);
            Vector512<short> v0 = Vector512.LoadUnsafe(ref b, (nuint)o).AsInt16();
            Vector512<short> v1 = Vector512.LoadUnsafe(ref b1, (nuint)o).AsInt16();
            Vector512<short> v2 = Vector512.LoadUnsafe(ref b2, (nuint)o).AsInt16();
            ref int row = ref Unsafe.Add(ref a, o);
            Vector512<short> s;
            s = Vector512.Create(Unsafe.Add(ref row, 0)).AsInt16();
            c00 += Avx512BW.MultiplyAddAdjacent(s, v0);
            c01 += Avx512BW.MultiplyAddAdjacent(s, v1);
            c02 += Avx512BW.MultiplyAddAdjacent(s, v2);
            s = Vector512.Create(Unsafe.Add(ref row, 1)).AsInt16();
            c10 += Avx512BW.MultiplyAddAdjacent(s, v0);
            c11 += Avx512BW.MultiplyAddAdjacent(s, v1);
            c12 += Avx512BW.MultiplyAddAdjacent(s, v2);
            s = Vector512.Create(Unsafe.Add(ref row, 2)).AsInt16();
            c20 += Avx512BW.MultiplyAddAdjacent(s, v0);
            c21 += Avx512BW.MultiplyAddAdjacent(s, v1);
            c22 += Avx512BW.MultiplyAddAdjacent(s, v2);
            s = Vector512.Create(Unsafe.Add(ref row, 3)).AsInt16();
            c30 += Avx512BW.MultiplyAddAdjacent(s, v0);
            c31 += Avx512BW.MultiplyAddAdjacent(s, v1);
            c32 += Avx512BW.MultiplyAddAdjacent(s, v2);
            s = Vector512.Create(Unsafe.Add(ref row, 4)).AsInt16();
            c40 += Avx512BW.MultiplyAddAdjacent(s, v0);
            c41 += Avx512BW.MultiplyAddAdjacent(s, v1);
            c42 += Avx512BW.MultiplyAddAdjacent(s, v2);
            s = Vector512.Create(Unsafe.Add(ref row, 5)).AsInt16();
            c50 += Avx512BW.MultiplyAddAdjacent(s, v0);
            c51 += Avx512BW.MultiplyAddAdjacent(s, v1);
            c52 += Avx512BW.MultiplyAddAdjacent(s, v2);
            s = Vector512.Create(Unsafe.Add(ref row, 6)).AsInt16();
            c60 += Avx512BW.MultiplyAddAdjacent(s, v0);
            c61 += Avx512BW.MultiplyAddAdjacent(s, v1);
            c62 += Avx512BW.MultiplyAddAdjacent(s, v2);
            s = Vector512.Create(Unsafe.Add(ref row, 7)).AsInt16();
            c70 += Avx512BW.MultiplyAddAdjacent(s, v0);
            c71 += Avx512BW.MultiplyAddAdjacent(s, v1);
            c72 += Avx512BW.MultiplyAddAdjacent(s, v2);
        }

        ref double t = ref Unsafe.Add(ref c, (i0 * dp) + j0);
        AddRow(c00, c01, c02, ref t);
        AddRow(c10, c11, c12, ref Unsafe.Add(ref t, dp));
        AddRow(c20, c21, c22, ref Unsafe.Add(ref t, 2 * dp));
        AddRow(c30, c31, c32, ref Unsafe.Add(ref t, 3 * dp));
        AddRow(c40, c41, c42, ref Unsafe.Add(ref t, 4 * dp));
        AddRow(c50, c51, c52, ref Unsafe.Add(ref t, 5 * dp));
        AddRow(c60, c61, c62, ref Unsafe.Add(ref t, 6 * dp));
        AddRow(c70, c71, c72, ref Unsafe.Add(ref t, 7 * dp));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(Vector512<int> s0, Vector512<int> s1, Vector512<int> s2, ref double c)
    {
        AddTo(s0, ref c);
        AddTo(s1, ref Unsafe.Add(ref c, Lanes));
        AddTo(s2, ref Unsafe.Add(ref c, 2 * Lanes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(Vector512<int> sums, ref double c)
    {
        (Vector512.LoadUnsafe(ref c) + Avx512F.ConvertToVector512Double(sums.GetLower())).StoreUnsafe(ref c);
        (Vector512.LoadUnsafe(ref c, 8) + Avx512F.ConvertToVector512Double(sums.GetUpper())).StoreUnsafe(ref c, 8);
    }

    private sealed unsafe class Job
    {
        public float* X;
        public int N;
        public int D;
        public nint Stride;
        public int Dp;
        public int[] Tiles = [];
        public int Panels;
        public int Threads;
        public double[][] Results = [];

        public void Execute(int thread)
        {
            (int firstPanel, int endPanel) = Parallelism.Range(Panels, Threads, thread);
            double[] result = Results[thread];
            const int MaxPairs = PanelRows / 2;
            using var panelArray = new ScratchArray<int>((MaxPairs * Dp) + Lanes, clear: true);
            int[] panel = panelArray.Array;
            int groups = Dp / RowTile;
            int[] pairLists = new int[groups * MaxPairs];
            int[] pairCounts = new int[groups];
            ref int p = ref panel[0];
            ref double c = ref result[0];
            int tiles = Tiles.Length / 2;
            for (int r0 = firstPanel * PanelRows; r0 < Math.Min(N, endPanel * PanelRows); r0 += PanelRows)
            {
                int rows = Math.Min(PanelRows, N - r0);
                int pairs = (rows + 1) / 2;
                Pack(r0, rows, panel);
                ListNonZeroPairs(panel, pairs, pairLists, pairCounts);
                nint groupStride = pairs * Lanes;
                for (int t = 0; t < tiles; t++)
                {
                    int i0 = Tiles[2 * t];
                    int j0 = Tiles[(2 * t) + 1];
                    int group = i0 / RowTile;
                    Tile(
                        ref Unsafe.Add(ref p, ColumnStart(i0, pairs)),
                        ref Unsafe.Add(ref p, ColumnStart(j0, pairs)),
                        groupStride,
                        ref pairLists[group * MaxPairs],
                        pairCounts[group],
                        Dp,
                        i0,
                        j0,
                        ref c);
                }
            }
        }

        /// <summary>For each 8-column group, the pairs (as lane offsets 16·p) where any of its values is non-zero.</summary>
        private static void ListNonZeroPairs(int[] panel, int pairs, int[] pairLists, int[] pairCounts)
        {
            int groups = pairCounts.Length;
            ref int p = ref panel[0];
            const int MaxPairs = PanelRows / 2;
            for (int g = 0; g < groups; g++)
            {
                ref int column = ref Unsafe.Add(ref p, ColumnStart(g * RowTile, pairs));
                ref int list = ref pairLists[g * MaxPairs];
                int count = 0;
                for (int q = 0; q < pairs; q++)
                {
                    // Branch-free append: the slot is always written, the count only advances for a non-zero pair.
                    Unsafe.Add(ref list, count) = q * Lanes;
                    count += Vector256.EqualsAll(Vector256.LoadUnsafe(ref Unsafe.Add(ref column, q * Lanes)), Vector256<int>.Zero) ? 0 : 1;
                }

                pairCounts[g] = count;
            }
        }

        /// <summary>Rows r0.. in pairs: lane (p, j) = (ushort)x[r0+2p, j] | x[r0+2p+1, j] &lt;&lt; 16 (a missing odd row is 0).</summary>
        private void Pack(int r0, int rows, int[] panel)
        {
            int pairs = (rows + 1) / 2;
            Vector512<int> low = Vector512.Create(0xFFFF);
            for (int q = 0; q < pairs; q++)
            {
                float* even = X + ((r0 + (2 * q)) * Stride);
                float* odd = (2 * q) + 1 < rows ? even + Stride : null;
                for (int g0 = 0; g0 < Dp; g0 += Lanes)
                {
                    ref int dst = ref panel[ColumnStart(g0, pairs) + (q * Lanes)];
                    int count = Math.Clamp(D - g0, 0, Lanes);
                    if (count == 0)
                    {
                        Vector512<int>.Zero.StoreUnsafe(ref dst);
                    }
                    else if (count == Lanes)
                    {
                        Vector512<int> e = Vector512.ConvertToInt32(Vector512.Load(even + g0));
                        Vector512<int> o = odd == null ? default : Vector512.ConvertToInt32(Vector512.Load(odd + g0));
                        ((e & low) | (o << 16)).StoreUnsafe(ref dst);
                    }
                    else
                    {
                        for (int j = 0; j < Lanes; j++)
                        {
                            int e = j < count ? (int)even[g0 + j] : 0;
                            int o = j < count && odd != null ? (int)odd[g0 + j] : 0;
                            Unsafe.Add(ref dst, j) = (e & 0xFFFF) | (o << 16);
                        }
                    }
                }
            }
        }
    }
}
