using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Features.Hog;

/// <summary>The HOG stages on trusted input: cell histograms here, block normalisation in HogKernel.Blocks.cs.</summary>
/// <remarks>
/// Histogram layout: cell (R, C) at ((R·cellsAcross + C)·(o + 1)), bins 0..o−1 then a trash slot for orientations no
/// bin holds. Each (cell, bin) total is a C <c>float</c> updated as <c>(float)((double)total + magnitude)</c> with the
/// cell's pixels visited row by row, left to right — skimage's <c>cell_hog</c> order and precision, which is what
/// makes the output bit-exact (a double accumulator is off by up to 5e-8).
/// </remarks>
internal static partial class HogKernel
{
    /// <summary>Largest zero-padded image copy the table path keeps on the stack, (H + 2)·(W + 16) bytes.</summary>
    public const int MaxPaddedImageBytes = 4096;

    /// <summary>Largest number of pixels in one pass (one pixel row of every cell row, rounded up to 8 per row).</summary>
    public const int MaxPassPixels = 512;

    /// <summary>Whether <see cref="HistogramFromBytes"/> handles this geometry (else the per-pixel path does).</summary>
    public static bool CanUseTables(in HogGeometry g) =>
        Vector256.IsHardwareAccelerated
        && (long)(g.Height + 2) * (g.Width + 16) <= MaxPaddedImageBytes
        && (long)g.CellsDown * RoundUpTo8(g.CellsAcross * g.CellColumns) <= MaxPassPixels;

    /// <summary>
    /// Histogram of a uint8 image without <c>transform_sqrt</c> (<see cref="CanUseTables"/> must hold): SIMD integer
    /// gradients, table entries (bin, hypot adjustment), magnitudes and histogram slots for 8 pixels at a time, then
    /// the float32 votes (scalar, branch-free).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The vote order is what bit-exactness needs: each (cell, bin) total sees its cell's pixels row by row, left to
    /// right. Totals of different cells are independent, so the image goes in passes of one pixel row per cell row
    /// (dr = 0..cellRows−1), and a pass votes column k of every cell, then column k + 1: consecutive votes never hit
    /// the same cell, so the CPU overlaps the float load-add-round-store chains that one cell at a time serialises.
    /// </para>
    /// <para>
    /// Pixels with a zero gradient vote +0.0 into bin 0, which leaves a float total unchanged: cheaper than a branch
    /// the background makes unpredictable (a per-vote test measured 40 % slower). Only a cell's whole pixel row is
    /// skipped, when the 8-pixel chunks covering it are all flat — a test per chunk, which the SIMD stage makes anyway.
    /// </para>
    /// </remarks>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void HistogramFromBytes(ReadOnlySpan<byte> image, in HogGeometry g, ushort[] entries, Span<float> histogram)
    {
        histogram.Clear();
        int width = g.Width;
        int height = g.Height;
        int cellRows = g.CellRows;
        int cellColumns = g.CellColumns;
        int cellsDown = g.CellsDown;
        int cellsAcross = g.CellsAcross;
        int stride = g.CellStride;
        int usedColumns = cellsAcross * cellColumns;
        int passStride = RoundUpTo8(usedColumns);

        // Rows are read in place when every 8-wide load of a pass row and of its right neighbour stays inside the row
        // (28×28 with 8×8 cells: columns 0..24), the left neighbour of column 0 coming from a shifted load. Otherwise
        // from a zero-padded copy: one pad row above and below, one pad column left and 15 right. Pad values never
        // reach a result (border gradients are forced to 0).
        bool inPlace = passStride < width;
        int rowStride = inPlace ? width : width + 16;
        Span<byte> padded = stackalloc byte[MaxPaddedImageBytes];
        scoped ref byte pixels0 = ref MemoryMarshal.GetReference(image);
        if (!inPlace)
        {
            padded = padded[..((height + 2) * rowStride)];
            padded.Clear();
            ref byte target0 = ref MemoryMarshal.GetReference(padded);
            for (int r = 0; r < height; r++)
            {
                // Rows are short (28 bytes here): 8-byte moves beat a Memmove call per row.
                ref byte source = ref Unsafe.Add(ref pixels0, r * width);
                ref byte target = ref Unsafe.Add(ref target0, ((r + 1) * rowStride) + 1);
                int i = 0;
                for (; i <= width - 8; i += 8)
                {
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref source, i)));
                }

                for (; i < width; i++)
                {
                    Unsafe.Add(ref target, i) = Unsafe.Add(ref source, i);
                }
            }

            pixels0 = ref Unsafe.Add(ref target0, rowStride + 1);
        }

        // Histogram offset of each used column's cell within a cell row (overhanging lanes are never voted).
        Span<int> cellOffsets = stackalloc int[MaxPassPixels];
        for (int c = 0, cellOffset = 0, k = 0; c < passStride; c++)
        {
            cellOffsets[c] = c < usedColumns ? cellOffset : 0;
            if (++k == cellColumns)
            {
                k = 0;
                cellOffset += stride;
            }
        }

        // The cells (first, last) each chunk of 8 columns overlaps, and per pass the first pixel of each cell that gets
        // a non-zero vote, in vote order: a pixel row of a cell whose chunks are all flat votes nothing but +0.0 (16 %
        // of the rows of a Fashion-MNIST cell), so it is left out of the vote loop.
        Span<int> chunkFirstCell = stackalloc int[MaxPassPixels / 8];
        Span<int> chunkLastCell = stackalloc int[MaxPassPixels / 8];
        for (int c = 0; c < usedColumns; c += 8)
        {
            chunkFirstCell[c >> 3] = c / cellColumns;
            chunkLastCell[c >> 3] = Math.Min(c + 7, usedColumns - 1) / cellColumns;
        }

        Span<int> activeCells = stackalloc int[MaxPassPixels];
        ref int activeCells0 = ref MemoryMarshal.GetReference(activeCells);
        Span<int> slots = stackalloc int[MaxPassPixels];
        Span<double> magnitudes = stackalloc double[MaxPassPixels];
        ref int slots0 = ref MemoryMarshal.GetReference(slots);
        ref double magnitudes0 = ref MemoryMarshal.GetReference(magnitudes);
        ref int cellOffsets0 = ref MemoryMarshal.GetReference(cellOffsets);
        ref ushort entries0 = ref MemoryMarshal.GetArrayDataReference(entries);
        ref float histogram0 = ref MemoryMarshal.GetReference(histogram);
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<int> lastColumn = Vector256.Create(width - 1);
        Vector256<int> span = Vector256.Create(HogTables.GradientSpan);
        Vector256<int> offset = Vector256.Create(255);
        Vector256<int> low8 = Vector256.Create(0xFF);

        for (int dr = 0; dr < cellRows; dr++)
        {
            // Gradients, magnitudes and histogram slots of pixel row dr of every cell row.
            int active = 0;
            for (int cellRow = 0; cellRow < cellsDown; cellRow++)
            {
                int nextCell = 0;
                int r = (cellRow * cellRows) + dr;
                bool interior = r > 0 && r < height - 1;
                ref byte row = ref Unsafe.Add(ref pixels0, r * rowStride);
                int pass = cellRow * passStride;
                Vector256<int> rowBase = Vector256.Create(cellRow * cellsAcross * stride);
                for (int c = 0; c < usedColumns; c += 8)
                {
                    // Neighbour rows are addressed only for interior rows: a reference before the image must not exist.
                    Vector256<int> gRow = interior
                        ? Load8(ref Unsafe.Add(ref row, c + rowStride)) - Load8(ref Unsafe.Add(ref row, c - rowStride))
                        : Vector256<int>.Zero;
                    Vector256<int> left = c == 0 && inPlace ? Load8ShiftedRight(ref row) : Load8(ref Unsafe.Add(ref row, c - 1));
                    Vector256<int> gCol = Load8(ref Unsafe.Add(ref row, c + 1)) - left;
                    if (c == 0 || c + 8 > width - 1)
                    {
                        Vector256<int> column = lanes + Vector256.Create(c);
                        gCol = Vector256.AndNot(gCol, Vector256.Equals(column, Vector256<int>.Zero) | Vector256.Equals(column, lastColumn));
                    }

                    Vector256<int> squares = (gRow * gRow) + (gCol * gCol);
                    Vector256<int> cells = Vector256.LoadUnsafe(ref cellOffsets0, (nuint)c) + rowBase;
                    if (Vector256.EqualsAll(squares, Vector256<int>.Zero))
                    {
                        // Flat chunk: bin 0 of each pixel's cell, magnitude +0.0 (votes that change nothing).
                        cells.StoreUnsafe(ref slots0, (nuint)(pass + c));
                        Vector256<double>.Zero.StoreUnsafe(ref magnitudes0, (nuint)(pass + c));
                        Vector256<double>.Zero.StoreUnsafe(ref magnitudes0, (nuint)(pass + c + 4));
                        continue;
                    }

                    // Cells are appended in ascending order, once each (a chunk may share a cell with the previous one).
                    for (int cell = Math.Max(nextCell, chunkFirstCell[c >> 3]); cell <= chunkLastCell[c >> 3]; cell++)
                    {
                        Unsafe.Add(ref activeCells0, active++) = pass + (cell * cellColumns);
                    }

                    nextCell = chunkLastCell[c >> 3] + 1;

                    // Fold to gRow ≥ 0: opposite gradients share the bin (the table exists only where that holds).
                    Vector256<int> sign = Vector256.ShiftRightArithmetic(gRow, 31);
                    Vector256<int> keys = (((gRow ^ sign) - sign) * span) + ((gCol ^ sign) - sign) + offset;
                    Vector256<int> entry = GatherEntries(ref entries0, keys);
                    ((entry & low8) + cells).StoreUnsafe(ref slots0, (nuint)(pass + c));

                    // gRow² + gCol² ≤ 130 050 is exact in float, so √ of it widened to double is the correctly rounded
                    // magnitude; glibc's hypot is one ulp above (adjustment +1) or below (−1) it on 0.6 % of the pairs,
                    // and ±1 on the bits of a positive double is exactly one ulp. The adjustment is the entry's high
                    // byte as a signed byte.
                    Vector256<int> ulps = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(entry, 16), 24);
                    if (Avx512F.IsSupported)
                    {
                        // One 8-lane square root instead of two 4-lane ones (the int → double conversion is exact).
                        (Avx512F.Sqrt(Avx512F.ConvertToVector512Double(squares)).AsInt64() + Avx512F.ConvertToVector512Int64(ulps))
                            .AsDouble().StoreUnsafe(ref magnitudes0, (nuint)(pass + c));
                        continue;
                    }

                    (Vector256<long> ulpsLower, Vector256<long> ulpsUpper) = Vector256.Widen(ulps);
                    (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.ConvertToSingle(squares));
                    (Vector256.Sqrt(lower).AsInt64() + ulpsLower).AsDouble().StoreUnsafe(ref magnitudes0, (nuint)(pass + c));
                    (Vector256.Sqrt(upper).AsInt64() + ulpsUpper).AsDouble().StoreUnsafe(ref magnitudes0, (nuint)(pass + c + 4));
                }
            }

            // Votes, every active cell of the pass interleaved (see remarks).
            for (int k = 0; k < cellColumns; k++)
            {
                for (int j = 0; j < active; j++)
                {
                    int pixel = Unsafe.Add(ref activeCells0, j) + k;
                    ref float total = ref Unsafe.Add(ref histogram0, Unsafe.Add(ref slots0, pixel));
                    total = AddRounded(total, Unsafe.Add(ref magnitudes0, pixel));
                }
            }
        }

        DivideByCellArea(histogram, g);
    }

    /// <summary>(float)((double)total + value), skimage's float32 accumulation step.</summary>
    /// <remarks>
    /// The scalar conversions (cvtss2sd, cvtsd2ss) merge into their destination register, which chains every vote to
    /// the previous one; the packed forms write the whole register, so only votes to the same total depend on each other.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float AddRounded(float total, double value)
    {
        if (Sse2.IsSupported)
        {
            Vector128<double> sum = Sse2.ConvertToVector128Double(Vector128.CreateScalar(total)) + Vector128.CreateScalar(value);
            return Sse2.ConvertToVector128Single(sum).ToScalar();
        }

        return (float)(total + value);
    }

    /// <summary>The 16-bit table entries at 8 keys, widened to int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> GatherEntries(ref ushort entries0, Vector256<int> keys)
    {
        if (Avx2.IsSupported)
        {
            // A 32-bit gather at byte offset 2·key reads the entry and its neighbour; the table has one spare entry
            // at the end so the last key stays inside. The table lives on the pinned object heap.
            Vector256<int> pairs = Avx2.GatherVector256((int*)Unsafe.AsPointer(ref entries0), keys, 2);
            return pairs & Vector256.Create(0xFFFF);
        }

        return Vector256.Create(
            Unsafe.Add(ref entries0, keys.GetElement(0)), Unsafe.Add(ref entries0, keys.GetElement(1)),
            Unsafe.Add(ref entries0, keys.GetElement(2)), Unsafe.Add(ref entries0, keys.GetElement(3)),
            Unsafe.Add(ref entries0, keys.GetElement(4)), Unsafe.Add(ref entries0, keys.GetElement(5)),
            Unsafe.Add(ref entries0, keys.GetElement(6)), Unsafe.Add(ref entries0, keys.GetElement(7)));
    }

    /// <summary>8 bytes widened to 8 int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load8(ref byte source) => Widen8(Unsafe.ReadUnaligned<ulong>(ref source));

    /// <summary>The 8 bytes from <paramref name="source"/> moved up one lane (lane 0 gets 0): column −1..6 without reading before the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load8ShiftedRight(ref byte source) => Widen8(Unsafe.ReadUnaligned<ulong>(ref source) << 8);

    /// <summary>The 8 bytes of <paramref name="bytes"/> (little-endian) as 8 int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Widen8(ulong bytes)
    {
        Vector128<byte> packed = Vector128.CreateScalarUnsafe(bytes).AsByte();
        if (Avx2.IsSupported)
        {
            // One vpmovzxbd instead of two widening steps and a lane join.
            return Avx2.ConvertToVector256Int32(packed);
        }

        Vector128<ushort> words = Vector128.WidenLower(packed);
        return Vector256.Create(Vector128.WidenLower(words), Vector128.WidenUpper(words)).AsInt32();
    }

    private static int RoundUpTo8(int value) => (value + 7) & ~7;

    /// <summary>Histogram of any image through hypot and atan2 per pixel (float input, <c>transform_sqrt</c>, many bins).</summary>
    public static void Histogram<TPixel, TReader>(ReadOnlySpan<TPixel> image, in HogGeometry g, ReadOnlySpan<double> edges, Span<float> histogram)
        where TReader : IHogPixelReader<TPixel>
    {
        histogram.Clear();
        int width = g.Width;
        int height = g.Height;
        int usedRows = g.CellsDown * g.CellRows;
        int usedColumns = g.CellsAcross * g.CellColumns;
        int orientations = g.Orientations;
        int stride = g.CellStride;
        for (int r = 0; r < usedRows; r++)
        {
            Span<float> cellRow = histogram.Slice(r / g.CellRows * g.CellsAcross * stride, g.CellsAcross * stride);
            bool interior = r > 0 && r < height - 1;
            for (int c = 0; c < usedColumns; c++)
            {
                double gRow = interior ? TReader.Read(image[((r + 1) * width) + c]) - TReader.Read(image[((r - 1) * width) + c]) : 0.0;
                double gCol = c > 0 && c < width - 1 ? TReader.Read(image[(r * width) + c + 1]) - TReader.Read(image[(r * width) + c - 1]) : 0.0;
                double magnitude = HogMath.Hypot(gCol, gRow);
                double theta = HogMath.Orientation(gRow, gCol);
                Span<float> cellHistogram = cellRow.Slice(c / g.CellColumns * stride, stride);
                if (double.IsNaN(theta))
                {
                    // skimage's bin test (θ ≥ end or θ < start → skip) is false for NaN: it counts in every bin.
                    for (int b = 0; b < orientations; b++)
                    {
                        cellHistogram[b] = (float)(cellHistogram[b] + magnitude);
                    }

                    continue;
                }

                int bin = HogMath.Bin(theta, edges);
                cellHistogram[bin] = (float)(cellHistogram[bin] + magnitude);
            }
        }

        DivideByCellArea(histogram, g);
    }

    /// <summary>skimage divides each float total by the cell area in float32 (<c>total / (cell_rows * cell_columns)</c>).</summary>
    private static void DivideByCellArea(Span<float> histogram, in HogGeometry g)
    {
        // Element-wise IEEE division in every lane, as the scalar loop would do it.
        System.Numerics.Tensors.TensorPrimitives.Divide(histogram, (float)(g.CellRows * g.CellColumns), histogram);
    }
}
