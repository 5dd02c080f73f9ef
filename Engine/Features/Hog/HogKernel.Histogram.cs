using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    /// <summary>Table-driven histogram of a uint8 image without <c>transform_sqrt</c>.</summary>
    [SkipLocalsInit]
    public static void HistogramFromBytes(ReadOnlySpan<byte> image, in HogGeometry g, byte[] bins, double[] magnitudes, Span<float> histogram)
    {
        histogram.Clear();
        int width = g.Width;
        int height = g.Height;
        int usedRows = g.CellsDown * g.CellRows;
        int cellColumns = g.CellColumns;
        int cellsAcross = g.CellsAcross;
        int stride = g.CellStride;
        ref byte image0 = ref MemoryMarshal.GetReference(image);
        ref byte bins0 = ref MemoryMarshal.GetArrayDataReference(bins);
        ref double magnitudes0 = ref MemoryMarshal.GetArrayDataReference(magnitudes);
        ref float histogram0 = ref MemoryMarshal.GetReference(histogram);

        for (int r = 0; r < usedRows; r++)
        {
            ref float cellRow = ref Unsafe.Add(ref histogram0, r / g.CellRows * cellsAcross * stride);
            ref byte row = ref Unsafe.Add(ref image0, r * width);

            // Outermost rows have no row gradient: point both neighbours at the row itself so gRow = 0.
            bool interior = r > 0 && r < height - 1;
            ref byte up = ref interior ? ref Unsafe.Add(ref row, -width) : ref row;
            ref byte down = ref interior ? ref Unsafe.Add(ref row, width) : ref row;
            int c = 0;
            for (int cell = 0; cell < cellsAcross; cell++)
            {
                ref float cellHistogram = ref Unsafe.Add(ref cellRow, cell * stride);
                for (int k = 0; k < cellColumns; k++, c++)
                {
                    int gRow = Unsafe.Add(ref down, c) - Unsafe.Add(ref up, c);
                    int gCol = c > 0 && c < width - 1 ? Unsafe.Add(ref row, c + 1) - Unsafe.Add(ref row, c - 1) : 0;

                    // A zero gradient adds +0.0, which leaves a float total unchanged: skip the flat background.
                    if ((gRow | gCol) == 0)
                    {
                        continue;
                    }

                    int bin = Unsafe.Add(ref bins0, ((gRow + 255) * HogTables.GradientSpan) + gCol + 255);
                    double magnitude = Unsafe.Add(ref magnitudes0, (Math.Abs(gRow) << 8) + Math.Abs(gCol));
                    ref float total = ref Unsafe.Add(ref cellHistogram, bin);
                    total = (float)(total + magnitude);
                }
            }
        }

        DivideByCellArea(histogram, g);
    }

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
        float area = g.CellRows * g.CellColumns;
        for (int i = 0; i < histogram.Length; i++)
        {
            histogram[i] /= area;
        }
    }
}
