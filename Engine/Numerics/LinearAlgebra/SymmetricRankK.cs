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
/// <c>destination</c> is exactly symmetric. From 8 panels on, the rows form two fixed slabs (halves of the panels),
/// each summed in row order into its own matrix, and the two are added in slab order; within a slab every output
/// element is owned by one thread. Threads take whole slabs (each packs only its own rows), extra threads split a
/// slab's tiles. The split depends on n only, so the result is bit-identical for any degree of parallelism.
/// </para>
/// <para>
/// Rows whose broadcast columns are all zero (after the shift) are skipped per tile (exactly: they add +0), which makes
/// sparse data such as raw pixels — or standardized pixels shifted by their background — cheaper. For such data the
/// columns are also packed in a <see cref="SparseColumnOrder"/> that puts columns with the same non-zero rows into the
/// same broadcast group, sparsest groups first, so more rows are skipped (standardized Fashion-MNIST: 70 % → 51 % of
/// the dense tile work); that only relabels columns and leaves every sum unchanged. Packed panels and the sums start on
/// a cache line, so no 64-byte access is split.
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

    // Rows are split into two fixed slabs (each summed into its own matrix, added in slab order) once there are at
    // least this many panels per slab: threads then split the rows and each packs only its own panels. The split
    // depends on n only, never on the thread count; extra threads split a slab's tiles.
    private const int MinSlabPanels = 4;

    private const int CacheLine = 64;

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
    public static void Gram(ReadOnlySpan2D<float> x, ReadOnlySpan<double> shift, Span2D<double> destination, int maxDegreeOfParallelism = 0) =>
        Gram(x, shift, destination, maxDegreeOfParallelism, reorderColumns: true);

    /// <summary>The shifted float overload; <paramref name="reorderColumns"/> = false keeps the natural column order (tests).</summary>
    internal static void Gram(ReadOnlySpan2D<float> x, ReadOnlySpan<double> shift, Span2D<double> destination, int maxDegreeOfParallelism, bool reorderColumns)
    {
        Check.Shape(destination, x.Width, x.Width);
        CheckShift(shift, x.Width);
        if (Simd.Use512)
        {
            Run<Simd512D, Vector512<double>, double, float>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism, reorderColumns);
        }
        else
        {
            Run<Simd256D, Vector256<double>, double, float>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism, reorderColumns);
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
        ReadOnlySpan2D<TIn> x, ReadOnlySpan<double> shift, Span2D<double> destination, int panelRows, int maxDegreeOfParallelism, bool reorderColumns = true)
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
        int[]? order = reorderColumns ? SparseColumnOrder.Compute(x, shift, dp, SyrkKernel.RowTile, columnTile) : null;
        int[] map = order ?? NaturalOrder(d, dp);
        int[] tiles = UpperTiles(dp, columnTile);
        int pairs = tiles.Length / 2;
        int panels = (n + panelRows - 1) / panelRows;
        int slabs = panels >= 2 * MinSlabPanels ? 2 : 1;
        int threads = Parallelism.Threads(maxDegreeOfParallelism, slabs * pairs);
        int parts = (threads + slabs - 1) / slabs;
        // Pooled and pinned: the slabs are 5 MB each at d = 784, and fresh pages cost more to fault in than the sums.
        var rented = new ScratchArray<double>[slabs];
        double[][] sums = new double[slabs][];
        for (int s = 0; s < slabs; s++)
        {
            rented[s] = new ScratchArray<double>((dp * dp) + (CacheLine / sizeof(double)), clear: true);
            sums[s] = rented[s].Array;
        }

        try
        {
            double[] packedShift = GC.AllocateArray<double>(dp, pinned: true);
            for (int p = 0; p < dp; p++)
            {
                packedShift[p] = map[p] >= 0 && !shift.IsEmpty ? shift[map[p]] : 0;
            }

            nint stride = Strides.Of(x);
            // Packed position 4q.. as one run of 4 consecutive source columns (its first), or −1 (padding, a short run).
            int[] runs = new int[dp / SparseColumnOrder.Unit];
            for (int q = 0; q < runs.Length; q++)
            {
                int first = map[q * SparseColumnOrder.Unit];
                bool whole = first >= 0;
                for (int l = 1; whole && l < SparseColumnOrder.Unit; l++)
                {
                    whole = map[(q * SparseColumnOrder.Unit) + l] == first + l;
                }

                runs[q] = whole ? first : -1;
            }

            fixed (TIn* px = &x.DangerousGetReference())
            fixed (double* pshift = packedShift)
            fixed (int* pmap = map)
            fixed (int* pruns = runs)
            {
                var job = new Job<TS, TVec, T, TIn>
                {
                    X = px,
                    N = n,
                    D = d,
                    Stride = stride,
                    Shift = shift.IsEmpty ? null : pshift,
                    Map = pmap,
                    Runs = pruns,
                    Sums = sums,
                    Dp = dp,
                    PanelRows = panelRows,
                    Panels = panels,
                    Slabs = slabs,
                    Tiles = tiles,
                };
                int units = slabs * parts;
                Parallelism.For(threads, t =>
                {
                    (int first, int end) = Parallelism.Range(units, threads, t);
                    for (int u = first; u < end; u++)
                    {
                        job.Execute(u / parts, u % parts, parts);
                    }
                });
            }

            int[] position = new int[d];
            for (int p = 0; p < dp; p++)
            {
                if (map[p] >= 0)
                {
                    position[map[p]] = p;
                }
            }

            // Slabs are added in slab order (whatever thread computed them) while the upper triangle is mirrored and
            // the packed order undone.
            Unpack(sums, dp, map, position, destination, maxDegreeOfParallelism);
        }
        finally
        {
            foreach (ScratchArray<double> r in rented)
            {
                r.Dispose();
            }
        }
    }

    /// <summary>
    /// The part of a pinned array that starts on a cache line (the tiles' 8-double rows of sums are then whole lines).
    /// </summary>
    private static unsafe Span<T> Aligned<T>(T[] pinned)
        where T : unmanaged
    {
        int misalignment = (int)((nuint)Unsafe.AsPointer(ref pinned[0]) % CacheLine);
        return pinned.AsSpan(((CacheLine - misalignment) % CacheLine) / sizeof(T));
    }

    private static int[] NaturalOrder(int d, int dp)
    {
        int[] map = new int[dp];
        for (int p = 0; p < dp; p++)
        {
            map[p] = p < d ? p : -1;
        }

        return map;
    }

    /// <summary>
    /// destination[i, j] = the packed upper-triangle element of (position[i], position[j]), summed over the slabs in slab
    /// order: adds the slabs, mirrors and undoes the column order in one pass. Destination rows run in parallel; row i
    /// reads packed column position[i] above the diagonal and packed row position[i] from it on (sequentially), so
    /// there is no data-dependent branch per element.
    /// </summary>
    private static unsafe void Unpack(double[][] slabSums, int dp, int[] map, int[] position, Span2D<double> destination, int maxDegreeOfParallelism)
    {
        int d = position.Length;
        int threads = Parallelism.Threads(maxDegreeOfParallelism, d);
        nint pitch = Strides.Of(destination);
        fixed (double* target = &destination.DangerousGetReference())
        fixed (int* pos = position)
        fixed (int* packedMap = map)
        {
            // The slab sums are pinned arrays.
            double* c0 = (double*)Unsafe.AsPointer(ref Aligned(slabSums[0])[0]);
            double* c1 = slabSums.Length > 1 ? (double*)Unsafe.AsPointer(ref Aligned(slabSums[1])[0]) : null;
            double* dst = target;
            int* where = pos;
            int* source = packedMap;
            Parallelism.For(threads, t =>
            {
                (int first, int end) = Parallelism.Range(d, threads, t);
                for (int i = first; i < end; i++)
                {
                    nint p = where[i];
                    double* row = dst + (i * pitch);
                    for (nint q = 0; q < p; q++)
                    {
                        int j = source[q];
                        if (j >= 0)
                        {
                            nint k = (q * dp) + p;
                            row[j] = c1 == null ? c0[k] : c0[k] + c1[k];
                        }
                    }

                    for (nint q = p; q < dp; q++)
                    {
                        int j = source[q];
                        if (j >= 0)
                        {
                            nint k = (p * dp) + q;
                            row[j] = c1 == null ? c0[k] : c0[k] + c1[k];
                        }
                    }
                }
            });
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

        /// <summary>The shift per packed column (0 on padding), or null for none.</summary>
        public double* Shift;

        /// <summary>Source column per packed column (−1 = padding).</summary>
        public int* Map;

        /// <summary>Per 4 packed columns: the first of 4 consecutive source columns they hold, or −1.</summary>
        public int* Runs;

        public double[][] Sums = [];
        public int Dp;
        public int PanelRows;
        public int Panels;
        public int Slabs;
        public int[] Tiles = [];

        /// <summary>Columns per packed group: one vector of B, and at least the 8 broadcast columns of A.</summary>
        private static int GroupWidth => Math.Max(TS.Count, SyrkKernel.RowTile);

        /// <summary>
        /// Adds the panels of row slab <paramref name="slab"/> to that slab's sums, for part <paramref name="part"/> of
        /// <paramref name="parts"/> of the tiles. Each sum element is owned by one part, so results do not depend on
        /// how many parts (threads) there are.
        /// </summary>
        public void Execute(int slab, int part, int parts)
        {
            (int firstPanel, int endPanel) = Parallelism.Range(Panels, Slabs, slab);
            (int first, int end) = Parallelism.Range(Tiles.Length / 2, parts, part);
            // The panel starts on a cache line: every packed group row (8 doubles or 16 floats) is then one whole line,
            // so neither the pack's stores nor the kernel's column loads are split across two.
            using var panelArray = new ScratchArray<T>((PanelRows * Dp) + TS.Count + (CacheLine / Unsafe.SizeOf<T>()), clear: true);
            Span<T> panel = Aligned(panelArray.Array);
            int groups = Dp / SyrkKernel.RowTile;
            int[] rowLists = new int[groups * PanelRows];
            int[] rowCounts = new int[groups];
            double[] rowBuffer = GC.AllocateArray<double>(Dp + SyrkKernel.RowTile, pinned: true);
            using var staging = new ScratchArray<TIn>(PanelRows * D, clear: false);
            int w = TS.Count;
            ref T p = ref panel[0];
            {
                ref double c = ref Aligned(Sums[slab])[0];
                for (int panelIndex = firstPanel; panelIndex < endPanel; panelIndex++)
                {
                    int r0 = panelIndex * PanelRows;
                    int rows = Math.Min(PanelRows, N - r0);
                    Pack(r0, rows, panel, rowBuffer, rowLists, rowCounts, staging.Array);
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
        private static void ListNonZeroRows(Span<T> panel, int rows, int[] rowLists, int[] rowCounts)
        {
            int groups = rowCounts.Length;
            int width = GroupWidth;
            int panelRows = rowLists.Length / groups;
            ref T p = ref panel[0];
            for (int g = 0; g < groups; g++)
            {
                ref T column = ref Unsafe.Add(ref p, ColumnStart(g * SyrkKernel.RowTile, rows));
                ref int list = ref rowLists[g * panelRows];
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

        /// <summary>
        /// Packs rows r0..r0+rows of x (columns in packed order, shifted, in T) into column groups and lists each
        /// group's non-zero rows (see <see cref="ListNonZeroRows"/>).
        /// </summary>
        private void Pack(int r0, int rows, Span<T> panel, double[] rowBuffer, int[] rowLists, int[] rowCounts, TIn[] staging)
        {
            if (typeof(T) == typeof(double) && GroupWidth == SyrkKernel.RowTile && Vector512.IsHardwareAccelerated && GroupWidth == Vector512<double>.Count)
            {
                PackDouble512(r0, rows, panel, rowBuffer, rowLists, rowCounts, staging);
                return;
            }

            // Other widths and element types: run by run (4 consecutive source columns, or element by element through
            // the map where a run is short or padding); group g of row r starts at (g·rows + r)·width.
            const int Unit = SparseColumnOrder.Unit;
            int width = GroupWidth;
            ref T start = ref panel[0];
            for (int r = 0; r < rows; r++)
            {
                TIn* src = X + ((r0 + r) * Stride);
                for (int g = 0; g < Dp / width; g++)
                {
                    ref T dst = ref Unsafe.Add(ref start, ((g * rows) + r) * width);
                    for (int q = 0; q < width / Unit; q++)
                    {
                        int p0 = (g * width) + (q * Unit);
                        int run = Runs[p0 / Unit];
                        if (typeof(T) == typeof(float) && typeof(TIn) == typeof(float) && run >= 0 && Shift == null)
                        {
                            Vector128.Load((float*)src + run).StoreUnsafe(ref Unsafe.As<T, float>(ref Unsafe.Add(ref dst, q * Unit)));
                            continue;
                        }

                        for (int l = 0; l < Unit; l++)
                        {
                            int column = run >= 0 ? run + l : Map[p0 + l];
                            double v = column < 0 ? 0 : typeof(TIn) == typeof(float) ? ((float*)src)[column] : ((double*)src)[column];
                            if (column >= 0 && Shift != null)
                            {
                                v -= Shift[p0 + l];
                            }

                            if (typeof(T) == typeof(float))
                            {
                                Unsafe.As<T, float>(ref Unsafe.Add(ref dst, (q * Unit) + l)) = (float)v;
                            }
                            else
                            {
                                Unsafe.As<T, double>(ref Unsafe.Add(ref dst, (q * Unit) + l)) = v;
                            }
                        }
                    }
                }
            }

            ListNonZeroRows(panel, rows, rowLists, rowCounts);
        }

        /// <summary>
        /// The double path with 8-column groups, group by group: the panel's source rows are first copied in order into
        /// a contiguous staging block (a sequential read the hardware prefetcher follows), then each group's column of
        /// the panel is written sequentially — two runs of 4 consecutive columns per row, widened (exactly) and shifted
        /// as one vector, its row listed if non-zero. Every value and list is the same as a row-by-row pass.
        /// </summary>
        private void PackDouble512(int r0, int rows, Span<T> panel, double[] rowBuffer, int[] rowLists, int[] rowCounts, TIn[] staging)
        {
            const int Width = 8;
            int groups = Dp / Width;
            int panelRows = rowLists.Length / groups;
            nint groupStride = (nint)rows * Width;
            ref double p = ref Unsafe.As<T, double>(ref panel[0]);
            ref int lists = ref rowLists[0];
            fixed (double* buffer = rowBuffer)
            fixed (TIn* block = staging)
            {
                for (int r = 0; r < rows; r++)
                {
                    new ReadOnlySpan<TIn>(X + ((r0 + r) * Stride), D).CopyTo(new Span<TIn>(block + (r * D), D));
                }

                for (int g = 0; g < groups; g++)
                {
                    ref double dst = ref Unsafe.Add(ref p, g * groupStride);
                    ref int list = ref Unsafe.Add(ref lists, g * panelRows);
                    int count = 0;
                    int first = Runs[2 * g];
                    int second = Runs[(2 * g) + 1];
                    Vector512<double> shift = Shift != null ? Vector512.Load(Shift + (g * Width)) : Vector512<double>.Zero;
                    for (int r = 0; r < rows; r++)
                    {
                        TIn* src = block + (r * D);
                        Vector512<double> v;
                        if ((first | second) >= 0)
                        {
                            v = typeof(TIn) == typeof(float)
                                ? Vector512.WidenLower(Vector256.Create(Vector128.Load((float*)src + first), Vector128.Load((float*)src + second)).ToVector512Unsafe())
                                : Vector512.Create(Vector256.Load((double*)src + first), Vector256.Load((double*)src + second));
                            if (Shift != null)
                            {
                                v -= shift;
                            }
                        }
                        else
                        {
                            for (int l = 0; l < Width; l++)
                            {
                                int column = Map[(g * Width) + l];
                                double value = column < 0 ? 0 : typeof(TIn) == typeof(float) ? ((float*)src)[column] : ((double*)src)[column];
                                buffer[l] = column < 0 || Shift == null ? value : value - Shift[(g * Width) + l];
                            }

                            v = Vector512.Load(buffer);
                        }

                        v.StoreUnsafe(ref Unsafe.Add(ref dst, r * Width));
                        // Branch-free append: the slot is always written, the count only advances for a non-zero row.
                        Unsafe.Add(ref list, count) = r * Width;
                        count += Vector512.EqualsAll(v, Vector512<double>.Zero) ? 0 : 1;
                    }

                    rowCounts[g] = count;
                }
            }
        }
    }
}
