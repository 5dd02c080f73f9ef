using FashionCore.Tools.Output;
using ScottPlot;

namespace FashionCore.Tools.Report.Plots;

/// <summary>An image next to its HOG glyph picture (skimage's <c>hog_image</c>), both in grayscale, as a PNG.</summary>
public static class HogExamplePlot
{
    /// <summary>Renders the pair.</summary>
    /// <param name="image">H·W pixels (0..255), row-major.</param>
    /// <param name="picture">H·W HOG picture values, row-major.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="title">Caption above the image.</param>
    /// <returns>PNG bytes.</returns>
    /// <exception cref="ArgumentException">A length is not H·W.</exception>
    public static byte[] Render(ReadOnlySpan<byte> image, ReadOnlySpan<double> picture, int height, int width, string title)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (image.Length != height * width || picture.Length != height * width)
        {
            throw new ArgumentException($"The image and the picture must both have {height}×{width} values (got {image.Length} and {picture.Length}).", nameof(picture));
        }

        double[,] left = new double[height, width], right = new double[height, width];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                left[r, c] = image[(r * width) + c];
                right[r, c] = picture[(r * width) + c];
            }
        }

        Plot plot = new();
        double gap = width / 7.0;
        AddImage(plot, left, 0, width, height);
        AddImage(plot, right, width + gap, width, height);
        var a = plot.Add.Text(title, width / 2.0, height + 1.5);
        a.LabelAlignment = Alignment.LowerCenter;
        a.LabelFontSize = 16;
        var b = plot.Add.Text("HOG (orientations=8, 8×8 cells)", width + gap + (width / 2.0), height + 1.5);
        b.LabelAlignment = Alignment.LowerCenter;
        b.LabelFontSize = 16;
        plot.Axes.SetLimits(-1, (2 * width) + gap + 1, -1, height + 5);
        plot.Axes.SquareUnits();
        plot.HideAxesAndGrid();
        return plot.GetImageBytes(900, 480, ImageFormat.Png);
    }

    /// <summary>Renders the pair and writes it atomically.</summary>
    /// <param name="path">PNG file.</param>
    /// <param name="image">H·W pixels.</param>
    /// <param name="picture">H·W HOG picture values.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="title">Caption above the image.</param>
    public static void Save(string path, ReadOnlySpan<byte> image, ReadOnlySpan<double> picture, int height, int width, string title) =>
        OutputFile.WriteAllBytes(path, Render(image, picture, height, width, title));

    private static void AddImage(Plot plot, double[,] values, double left, int width, int height)
    {
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Grayscale();
        map.Extent = new CoordinateRect(left, left + width, 0, height);
    }
}
