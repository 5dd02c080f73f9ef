using System.Buffers;
using System.Runtime.CompilerServices;
using FashionCore.Internals;

namespace FashionCore.Features.Hog;

public sealed partial class HogModel
{
    /// <summary>
    /// Renders the HOG glyph picture of a uint8 image, skimage's <c>hog_image</c> (<c>visualize=True</c>): for each cell
    /// and bin, a line through the cell centre perpendicular to the bin's mid-angle, adding the cell's (unnormalised)
    /// histogram value to every pixel of the line.
    /// </summary>
    /// <param name="image">H·W pixels, row-major.</param>
    /// <param name="destination">H·W picture values, row-major (overwritten).</param>
    /// <exception cref="ArgumentException">A length does not match, or a cell is thinner than 2 pixels (skimage's glyph radius would be negative).</exception>
    /// <remarks>
    /// Line i of a cell runs between centre ∓ (r·cos m, −r·sin m) truncated to integers, with r = min(cell)/2 − 1 and
    /// m = π(i + ½)/o, drawn with skimage's Bresenham <c>draw.line</c>; values add in cell-row, cell-column, bin order.
    /// </remarks>
    public void DrawHogImage(ReadOnlySpan<byte> image, Span<double> destination)
    {
        Check.Length(image, _geometry.PixelCount);
        Check.Length<double>(destination, _geometry.PixelCount);
        CheckPictureCells();
        float[] histogram = ArrayPool<float>.Shared.Rent(_geometry.HistogramLength);
        Histogram(image, histogram.AsSpan(0, _geometry.HistogramLength));
        DrawGlyphs(histogram, destination);
        ArrayPool<float>.Shared.Return(histogram);
    }

    /// <summary>Renders the HOG glyph picture of an image of float pixels (raw 0..255 values); see the uint8 overload.</summary>
    /// <param name="image">H·W pixels, row-major.</param>
    /// <param name="destination">H·W picture values, row-major (overwritten).</param>
    /// <exception cref="ArgumentException">A length does not match, a cell is thinner than 2 pixels, or a pixel is NaN, ±Inf
    /// or (with <see cref="HogOptions.TransformSqrt"/>) negative.</exception>
    public void DrawHogImage(ReadOnlySpan<float> image, Span<double> destination)
    {
        Check.Length(image, _geometry.PixelCount);
        Check.Length<double>(destination, _geometry.PixelCount);
        CheckPictureCells();
        float[] histogram = ArrayPool<float>.Shared.Rent(_geometry.HistogramLength);
        bool valid = Histogram(image, histogram.AsSpan(0, _geometry.HistogramLength));
        if (valid)
        {
            DrawGlyphs(histogram, destination);
        }

        ArrayPool<float>.Shared.Return(histogram);
        if (!valid)
        {
            ThrowInvalidImage(image, nameof(image), -1);
        }
    }

    private void CheckPictureCells()
    {
        if (Math.Min(_geometry.CellRows, _geometry.CellColumns) < 2)
        {
            ThrowHelper.ThrowArgument("The HOG picture needs cells of at least 2x2 pixels (PixelsPerCell).", nameof(HogOptions.PixelsPerCell));
        }
    }

    private void DrawGlyphs(ReadOnlySpan<float> histogram, Span<double> destination)
    {
        HogGeometry g = _geometry;
        destination.Clear();
        int radius = (Math.Min(g.CellRows, g.CellColumns) / 2) - 1;
        for (int cellRow = 0; cellRow < g.CellsDown; cellRow++)
        {
            for (int cellColumn = 0; cellColumn < g.CellsAcross; cellColumn++)
            {
                int centreRow = (cellRow * g.CellRows) + (g.CellRows / 2);
                int centreColumn = (cellColumn * g.CellColumns) + (g.CellColumns / 2);
                int cell = ((cellRow * g.CellsAcross) + cellColumn) * g.CellStride;
                for (int o = 0; o < g.Orientations; o++)
                {
                    // numpy: np.pi * (arange(o) + .5) / o, then radius * sin / cos of it.
                    double midpoint = Math.PI * (o + 0.5) / g.Orientations;
                    double dr = radius * Math.Sin(midpoint);
                    double dc = radius * Math.Cos(midpoint);
                    DrawLine(
                        (int)(centreRow - dc), (int)(centreColumn + dr), (int)(centreRow + dc), (int)(centreColumn - dr),
                        histogram[cell + o], destination, g.Width);
                }
            }
        }
    }

    /// <summary>skimage's <c>draw.line</c> (Bresenham), adding <paramref name="value"/> to each pixel once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DrawLine(int r0, int c0, int r1, int c1, double value, Span<double> destination, int width)
    {
        int r = r0;
        int c = c0;
        int dr = Math.Abs(r1 - r0);
        int dc = Math.Abs(c1 - c0);
        int sc = c1 - c > 0 ? 1 : -1;
        int sr = r1 - r > 0 ? 1 : -1;
        bool steep = dr > dc;
        if (steep)
        {
            (c, r) = (r, c);
            (dc, dr) = (dr, dc);
            (sc, sr) = (sr, sc);
        }

        int d = (2 * dr) - dc;
        for (int i = 0; i < dc; i++)
        {
            destination[steep ? (c * width) + r : (r * width) + c] += value;
            while (d >= 0)
            {
                r += sr;
                d -= 2 * dc;
            }

            c += sc;
            d += 2 * dr;
        }

        destination[(r1 * width) + c1] += value;
    }
}
