using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// Symmetric rank-k update: the Gram matrix <c>C = (X − 1·shiftᵀ)ᵀ (X − 1·shiftᵀ)</c> of a row-major n×d matrix
/// (BLAS <c>SYRK</c> with <c>trans = 'T'</c>), blocked, SIMD and multi-threaded with a fixed reduction order.
/// </summary>
/// <remarks>
/// <para>
/// Only the upper triangle is computed (in 8×3W register tiles over packed row panels), then mirrored, so
/// <c>destination</c> is exactly symmetric. Rows are consumed in panels in row order and every output element is
/// owned by one thread for the whole run: the result is bit-identical for any degree of parallelism. Rows whose
/// broadcast columns are all zero are skipped per tile (exactly: they add +0), which makes sparse data such as raw
/// pixels cheaper.
/// </para>
/// <para>
/// The float overload without a shift sums products in float within panels of at most <see cref="ExactPanelRows"/>
/// rows and adds each panel sum to the double result. For integer data with |x| ≤ 255 (pixels) every product
/// (≤ 65 025) and every panel sum (≤ 256·65 025 &lt; 2²⁴) is exact in float, so the result is the exact integer Gram
/// matrix at float speed. For other float data that overload has float rounding within a panel; use a shifted
/// (double-accumulating) overload instead.
/// </para>
/// </remarks>
public static class SymmetricRankK
{
    /// <summary>Largest panel height for which sums of products of integers in [−255, 255] stay exact in float.</summary>
    public const int ExactPanelRows = 256;

    // Panel heights: 256 rows (the float exactness limit) for both element types. The d×d double result (5 MB at
    // d = 784) does not fit in L2, so every panel pass streams it once: taller panels mean fewer passes, and the packed
    // column groups keep each tile's reads sequential even when the panel itself spills to L3.
    private const int FloatPanelRows = 256;
    private const int DoublePanelRows = 256;

    /// <summary>
    /// <c>destination = xᵀx</c>, products summed in float within panels of <see cref="ExactPanelRows"/> rows, panels
    /// summed in double (exact for integer data with |x| ≤ 255).
    /// </summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">d×d output (fully written, symmetric).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; 0 or negative = <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not d×d.</exception>
    public static void Gram(ReadOnlySpan2D<float> x, Span2D<double> destination, int maxDegreeOfParallelism = 0)
    {
        Check.Shape(destination, x.Width, x.Width);
        if (Simd.Use512)
        {
            Run<Simd512F, Vector512<float>, float, float>(x, default, destination, FloatPanelRows, maxDegreeOfParallelism);
        }
        else
        {
            Run<Simd256F, Vector256<float>, float, float>(x, default, destination, FloatPanelRows, maxDegreeOfParallelism);
        }
    }

    /// <summary><c>destination = (x − shift)ᵀ(x − shift)</c> with the shift and all sums in double.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="shift">Length d subtracted from every row (usually the column means), or empty for none.</param>
    /// <param name="destination">d×d output (fully written, symmetric).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; 0 or negative = <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void Gram(ReadOnlySpan2D<float> x, ReadOnlySpan<double> shift, Span2D<double> destination, int maxDegreeOfParallelism = 0)
    {
        Check.Shape(destination, x.Width, x.Width);
        CheckShift(shift, x.Width);
        if (Simd.Use512)
        {
            Run<Simd512D, Vector512<double>, double, float>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism);
        }
        else
        {
            Run<Simd256D, Vector256<double>, double, float>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism);
        }
    }

    /// <summary><c>destination = (x − shift)ᵀ(x − shift)</c> in double.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="shift">Length d subtracted from every row (usually the column means), or empty for none.</param>
    /// <param name="destination">d×d output (fully written, symmetric).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; 0 or negative = <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void Gram(ReadOnlySpan2D<double> x, ReadOnlySpan<double> shift, Span2D<double> destination, int maxDegreeOfParallelism = 0)
    {
        Check.Shape(destination, x.Width, x.Width);
        CheckShift(shift, x.Width);
        if (Simd.Use512)
        {
            Run<Simd512D, Vector512<double>, double, double>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism);
        }
        else
        {
            Run<Simd256D, Vector256<double>, double, double>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism);
        }
    }

    private static void CheckShift(ReadOnlySpan<double> shift, int d)
    {
        if (!shift.IsEmpty && shift.Length != d)
        {
            ThrowHelper.ThrowLengthMismatch(nameof(shift), d, shift.Length);
        }
    }

    private static unsafe void Run<TS, TVec, T, TIn>(
        ReadOnlySpan2D<TIn> x, ReadOnlySpan<double> shift, Span2D<double> destination, int panelRows, int maxDegreeOfParallelism)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
        where TIn : unmanaged
    {
        int n = x.Height;
        int d = x.Width;
        if (d == 0)
        {
            return;
        }

        int columnTile = SyrkKernel.ColumnVectors * TS.Count;
        int lcm = Lcm(SyrkKernel.RowTile, columnTile);
        int dp = (d + lcm - 1) / lcm * lcm;
        int[] tiles = UpperTiles(dp, columnTile);
        int threads = Parallelism.Threads(maxDegreeOfParallelism, tiles.Length / 2);
        double[] c = GC.AllocateArray<double>(dp * dp, pinned: true);
        nint stride = Strides.Of(x);
        fixed (TIn* px = &x.DangerousGetReference())
        fixed (double* pshift = shift)
        fixed (double* pc = c)
        {
            var job = new Job<TS, TVec, T, TIn>
            {
                X = px,
                N = n,
                D = d,
                Stride = stride,
                Shift = shift.IsEmpty ? null : pshift,
                C = pc,
                Dp = dp,
                PanelRows = panelRows,
                Tiles = tiles,
                Threads = threads,
            };
            Parallelism.For(threads, job.Execute);
        }

        for (int i = 0; i < d; i++)
        {
            Span<double> row = destination.GetRowSpan(i);
            for (int j = 0; j < i; j++)
            {
                row[j] = c[(j * dp) + i];
            }

            c.AsSpan((i * dp) + i, d - i).CopyTo(row[i..]);
        }
    }

    /// <summary>Pairs (row tile, column tile) touching the upper triangle, column-tile major, flattened.</summary>
    private static int[] UpperTiles(int dp, int columnTile)
    {
        var list = new List<int>();
        for (int j0 = 0; j0 < dp; j0 += columnTile)
        {
            for (int i0 = 0; i0 < dp && i0 < j0 + columnTile; i0 += SyrkKernel.RowTile)
            {
                list.Add(i0);
                list.Add(j0);
            }
        }

        return [.. list];
    }

    private static int Lcm(int a, int b)
    {
        int x = a;
        int y = b;
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }

        return a / x * b;
    }

    private sealed unsafe class Job<TS, TVec, T, TIn>
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
        where TIn : unmanaged
    {
        public TIn* X;
        public int N;
        public int D;
        public nint Stride;
        public double* Shift;
        public double* C;
        public int Dp;
        public int PanelRows;
        public int[] Tiles = [];
        public int Threads;

        /// <summary>Columns per packed group: one vector of B, and at least the 8 broadcast columns of A.</summary>
        private static int GroupWidth => Math.Max(TS.Count, SyrkKernel.RowTile);

        public void Execute(int thread)
        {
            int pairs = Tiles.Length / 2;
            (int first, int end) = Parallelism.Range(pairs, Threads, thread);
            T[] panel = GC.AllocateUninitializedArray<T>((PanelRows * Dp) + TS.Count, pinned: true);
            int groups = Dp / SyrkKernel.RowTile;
            int[] rowLists = new int[groups * PanelRows];
            int[] rowCounts = new int[groups];
            int w = TS.Count;
            ref T p = ref panel[0];
            ref double c = ref *C;
            for (int r0 = 0; r0 < N; r0 += PanelRows)
            {
                int rows = Math.Min(PanelRows, N - r0);
                Pack(r0, rows, panel);
                ListNonZeroRows(panel, rows, rowLists, rowCounts);
                for (int t = first; t < end; t++)
                {
                    int i0 = Tiles[2 * t];
                    int j0 = Tiles[(2 * t) + 1];
                    int group = i0 / SyrkKernel.RowTile;
                    SyrkKernel.Tile<TS, TVec, T>(
                        ref Unsafe.Add(ref p, ColumnStart(i0, rows)),
                        ref Unsafe.Add(ref p, ColumnStart(j0, rows)),
                        ref Unsafe.Add(ref p, ColumnStart(j0 + w, rows)),
                        ref Unsafe.Add(ref p, ColumnStart(j0 + (2 * w), rows)),
                        ref rowLists[group * PanelRows],
                        rowCounts[group],
                        Dp,
                        i0,
                        j0,
                        ref c);
                }
            }
        }

        /// <summary>
        /// Offset of column <paramref name="column"/> in row 0 of the packed panel. The panel is stored in groups of
        /// <see cref="GroupWidth"/> columns, each group's rows contiguous (element (r, j) at
        /// ColumnStart(j) + r·GroupWidth), so a tile streams its A and B columns sequentially instead of striding by a
        /// whole padded row.
        /// </summary>
        private static int ColumnStart(int column, int rows) => (column / GroupWidth * rows * GroupWidth) + (column % GroupWidth);

        /// <summary>
        /// For each group of <see cref="SyrkKernel.RowTile"/> columns, the panel rows (as offsets r·GroupWidth) where
        /// any of them is non-zero. A row whose broadcast values are all zero adds exactly nothing to its tile (every
        /// product is ±0 and the sums start at +0), so tiles skip it: sparse data such as image pixels — or
        /// standardized pixels shifted by their background value — does less work with bit-identical results.
        /// </summary>
        private void ListNonZeroRows(T[] panel, int rows, int[] rowLists, int[] rowCounts)
        {
            int groups = rowCounts.Length;
            int width = GroupWidth;
            ref T p = ref panel[0];
            for (int g = 0; g < groups; g++)
            {
                ref T column = ref Unsafe.Add(ref p, ColumnStart(g * SyrkKernel.RowTile, rows));
                ref int list = ref rowLists[g * PanelRows];
                int count = 0;
                for (int r = 0; r < rows; r++)
                {
                    // Branch-free append: the slot is always written, the count only advances for a non-zero row.
                    Unsafe.Add(ref list, count) = r * width;
                    count += AnyNonZero(ref Unsafe.Add(ref column, r * width)) ? 1 : 0;
                }

                rowCounts[g] = count;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool AnyNonZero(ref T values)
        {
            // RowTile = 8 values: one 256-bit float compare or two 256-bit double ones.
            if (typeof(T) == typeof(float))
            {
                return !Vector256.EqualsAll(Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref values)), Vector256<float>.Zero);
            }

            ref double d = ref Unsafe.As<T, double>(ref values);
            return !Vector256.EqualsAll(Vector256.LoadUnsafe(ref d) | Vector256.LoadUnsafe(ref d, 4), Vector256<double>.Zero);
        }

        private void Pack(int r0, int rows, T[] panel)
        {
            int width = GroupWidth;
            for (int r = 0; r < rows; r++)
            {
                TIn* src = X + ((r0 + r) * Stride);
                for (int g0 = 0; g0 < Dp; g0 += width)
                {
                    Span<T> dst = panel.AsSpan(ColumnStart(g0, rows) + (r * width), width);
                    int count = Math.Clamp(D - g0, 0, width);
                    if (typeof(T) == typeof(float) && typeof(TIn) == typeof(float))
                    {
                        new ReadOnlySpan<float>((float*)src + g0, count).CopyTo(MemoryMarshalCast<float>(dst));
                    }
                    else if (count == width && width == Vector512<double>.Count && Vector512.IsHardwareAccelerated)
                    {
                        // Eight columns at once: widen (exact) and subtract the shift in double, as the scalar loop does.
                        Vector512<double> v = typeof(TIn) == typeof(float)
                            ? Vector512.WidenLower(Vector512.Create(Vector256.Load((float*)src + g0), Vector256<float>.Zero))
                            : Vector512.Load((double*)src + g0);
                        if (Shift != null)
                        {
                            v -= Vector512.Load(Shift + g0);
                        }

                        v.StoreUnsafe(ref MemoryMarshalCast<double>(dst)[0]);
                        continue;
                    }
                    else
                    {
                        Span<double> drow = MemoryMarshalCast<double>(dst);
                        for (int j = 0; j < count; j++)
                        {
                            double v = typeof(TIn) == typeof(float) ? ((float*)src)[g0 + j] : ((double*)src)[g0 + j];
                            drow[j] = Shift == null ? v : v - Shift[g0 + j];
                        }
                    }

                    dst[count..].Clear();
                }
            }
        }

        private static Span<TTo> MemoryMarshalCast<TTo>(Span<T> span)
            where TTo : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<T, TTo>(span);
    }
}
