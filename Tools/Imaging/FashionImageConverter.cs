namespace FashionCore.Tools.Imaging;

/// <summary>
/// Converts an image of any size and colour into a 28×28 grayscale image that looks like a Fashion-MNIST image
/// (light object on a black background, trimmed and scaled to fill the 28×28 box on its longest edge).
/// </summary>
/// <remarks>
/// <para>
/// The rule (the web page's <c>convert.js</c> implements the same steps; the README documents them):
/// </para>
/// <list type="number">
/// <item><description>Alpha is composited over white: <c>c' = (c·a + 255·(255 − a) + 127) / 255</c> (integer division),
/// so a transparent product photo has a light background like a photo on white paper.</description></item>
/// <item><description>Luminance (ITU-R BT.601, as PIL's <c>convert("L")</c>): <c>Y = (299·R + 587·G + 114·B + 500) / 1000</c>
/// (integer division).</description></item>
/// <item><description>Background level <c>b</c> = the median luminance of the outermost one-pixel frame (the lower median,
/// element ⌊(n − 1)/2⌋ of the sorted frame values, so an object touching the border, like trousers, does not move it).
/// When <c>b</c> &gt; 127 (a light background, e.g. a dark-on-white photo) every value is inverted (<c>Y ← 255 − Y</c>,
/// <c>b ← 255 − b</c>): Fashion-MNIST objects are light on black.</description></item>
/// <item><description>Object: the pixels with <c>Y ≥ b + </c><see cref="ForegroundThreshold"/> (the Fashion-MNIST
/// paper's trim rule: within 5 % of the maximum intensity counts as background). Its bounding box is the crop. No such
/// pixel (a flat or nearly flat image) → <see cref="InvalidDataException"/>.</description></item>
/// <item><description>Levels: <c>v = clamp((Y − b) / (M − b), 0, 1) · 255</c> with <c>M</c> the largest <c>Y</c>, so the
/// background becomes 0 and the brightest object pixel 255, as in Fashion-MNIST.</description></item>
/// <item><description>Scale: the crop is resized so its longest edge is 28 pixels, preserving the aspect ratio, and centred
/// in the 28×28 box (the paper's "resize the longest edge to 28, extend the shortest edge to 28 and centre"). Resampling
/// is exact area averaging (each output pixel is the coverage-weighted mean of the source pixels under it; outside the
/// crop counts as 0), done separably: rows first, then columns.</description></item>
/// <item><description>Rounding: <c>⌊v + 0.5⌋</c>, clamped to 0..255.</description></item>
/// </list>
/// <para>
/// A Fashion-MNIST image rendered larger by an integer factor (and inverted or not) converts back to itself when its
/// object spans the full 28 pixels on its longest edge and has no faint (&lt; 13) rim; otherwise the crop trims the faint
/// rim and the object is rescaled slightly. An EXIF orientation is applied first (<see cref="ImageDecoder"/>), as browsers do.
/// </para>
/// </remarks>
public static class FashionImageConverter
{
    /// <summary>Side of the output image (28).</summary>
    public const int Side = 28;

    /// <summary>How far above the background level a pixel must be to belong to the object: 13 ≈ 5 % of 255.</summary>
    public const int ForegroundThreshold = 13;

    /// <summary>Converts an RGBA image (8 bits per channel, not premultiplied, rows top to bottom) by the rule above.</summary>
    /// <param name="rgba">width×height×4 bytes.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <returns>784 pixels, row-major, 0 = background.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive size.</exception>
    /// <exception cref="ArgumentException"><paramref name="rgba"/> is not width×height×4 bytes long.</exception>
    /// <exception cref="InvalidDataException">The image is one flat colour (no object stands out from the background).</exception>
    public static byte[] ConvertRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 4 != rgba.Length)
        {
            throw new ArgumentException($"rgba has {rgba.Length} bytes, not {width}×{height}×4 = {(long)width * height * 4}.", nameof(rgba));
        }

        byte[] luminance = new byte[width * height];
        for (int i = 0; i < luminance.Length; i++)
        {
            int a = rgba[(4 * i) + 3];
            int r = OverWhite(rgba[4 * i], a);
            int g = OverWhite(rgba[(4 * i) + 1], a);
            int b = OverWhite(rgba[(4 * i) + 2], a);
            luminance[i] = (byte)(((299 * r) + (587 * g) + (114 * b) + 500) / 1000);
        }

        return ConvertLuminance(luminance, width, height);
    }

    /// <summary>Converts a grayscale image (steps 3–7 of the rule; the input is already luminance).</summary>
    /// <param name="luminance">width×height gray values, row-major.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <returns>784 pixels, row-major, 0 = background.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive size.</exception>
    /// <exception cref="ArgumentException"><paramref name="luminance"/> is not width×height bytes long.</exception>
    /// <exception cref="InvalidDataException">The image is one flat colour (no object stands out from the background).</exception>
    public static byte[] ConvertLuminance(ReadOnlySpan<byte> luminance, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height != luminance.Length)
        {
            throw new ArgumentException($"luminance has {luminance.Length} bytes, not {width}×{height} = {(long)width * height}.", nameof(luminance));
        }

        // Background: the median of the one-pixel frame (robust to an object touching the border, like trousers).
        int[] histogram = new int[256];
        int borderCount = 0;
        for (int y = 0; y < height; y++)
        {
            bool edgeRow = y == 0 || y == height - 1;
            for (int x = 0; x < width; x++)
            {
                if (edgeRow || x == 0 || x == width - 1)
                {
                    histogram[luminance[(y * width) + x]]++;
                    borderCount++;
                }
            }
        }

        int median = LowerMedian(histogram, borderCount);
        bool invert = median > 127;
        int background = invert ? 255 - median : median;

        int max = 0;
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int v = Value(luminance[(y * width) + x], invert);
                max = Math.Max(max, v);
                if (v >= background + ForegroundThreshold)
                {
                    x0 = Math.Min(x0, x);
                    x1 = Math.Max(x1, x);
                    y0 = Math.Min(y0, y);
                    y1 = Math.Max(y1, y);
                }
            }
        }

        if (x1 < 0)
        {
            throw new InvalidDataException(
                $"no object found: the {width}×{height} image is a single flat colour (no pixel differs from the background by {ForegroundThreshold} or more gray levels).");
        }

        int boxWidth = x1 - x0 + 1;
        int boxHeight = y1 - y0 + 1;
        double range = max - background;
        double[] level = new double[boxWidth * boxHeight];
        for (int y = 0; y < boxHeight; y++)
        {
            for (int x = 0; x < boxWidth; x++)
            {
                double t = (Value(luminance[((y0 + y) * width) + x0 + x], invert) - background) / range;
                level[(y * boxWidth) + x] = Math.Clamp(t, 0.0, 1.0) * 255.0;
            }
        }

        return Resample(level, boxWidth, boxHeight);
    }

    /// <summary>The element at sorted position ⌊(n − 1) / 2⌋.</summary>
    private static int LowerMedian(int[] histogram, int count)
    {
        int rank = (count - 1) / 2;
        int seen = 0;
        for (int v = 0; v < histogram.Length; v++)
        {
            seen += histogram[v];
            if (seen > rank)
            {
                return v;
            }
        }

        return histogram.Length - 1;
    }

    private static int OverWhite(int c, int a) => ((c * a) + (255 * (255 - a)) + 127) / 255;

    private static int Value(byte y, bool invert) => invert ? 255 - y : y;

    /// <summary>Area-averages the crop into the centred 28×28 box (longest edge = 28).</summary>
    private static byte[] Resample(double[] level, int boxWidth, int boxHeight)
    {
        // k = source pixels per output pixel; the scaled crop is boxWidth/k × boxHeight/k output pixels, centred.
        double k = Math.Max(boxWidth, boxHeight) / (double)Side;
        double offsetX = (Side - (boxWidth / k)) / 2;
        double offsetY = (Side - (boxHeight / k)) / 2;

        double[] rows = new double[boxHeight * Side];
        for (int y = 0; y < boxHeight; y++)
        {
            for (int ox = 0; ox < Side; ox++)
            {
                rows[(y * Side) + ox] = Cover(level, y * boxWidth, 1, boxWidth, (ox - offsetX) * k, (ox + 1 - offsetX) * k);
            }
        }

        byte[] result = new byte[Side * Side];
        for (int oy = 0; oy < Side; oy++)
        {
            for (int ox = 0; ox < Side; ox++)
            {
                double v = Cover(rows, ox, Side, boxHeight, (oy - offsetY) * k, (oy + 1 - offsetY) * k) / (k * k);
                result[(oy * Side) + ox] = (byte)Math.Clamp(Math.Floor(v + 0.5), 0, 255);
            }
        }

        return result;
    }

    /// <summary>Σ over source cells i of overlap([i, i+1), [from, to)) · values[start + i·stride], for i in 0..count−1.</summary>
    private static double Cover(double[] values, int start, int stride, int count, double from, double to)
    {
        double lo = Math.Max(from, 0);
        double hi = Math.Min(to, count);
        double sum = 0;
        for (int i = (int)Math.Floor(lo); i < hi; i++)
        {
            double weight = Math.Min(i + 1, hi) - Math.Max(i, lo);
            if (weight > 0)
            {
                sum += weight * values[start + (i * stride)];
            }
        }

        return sum;
    }
}
