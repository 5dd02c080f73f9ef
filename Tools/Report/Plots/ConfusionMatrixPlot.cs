using System.Globalization;
using FashionCore.Metrics;
using FashionCore.Tools.Output;
using ScottPlot;

namespace FashionCore.Tools.Report.Plots;

/// <summary>A confusion matrix as a PNG: cells shaded by count (row-normalised), each with its count; true labels down, predictions across.</summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Renders the matrix.</summary>
    /// <param name="matrix">The counts.</param>
    /// <param name="classNames">One name per label of the matrix, in its label order.</param>
    /// <param name="title">Plot title.</param>
    /// <param name="size">Width and height in pixels.</param>
    /// <returns>PNG bytes.</returns>
    /// <exception cref="ArgumentException">The number of names does not match the matrix.</exception>
    public static byte[] Render(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string title, int size = 800)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classNames);
        int m = matrix.Size;
        if (classNames.Count != m)
        {
            throw new ArgumentException($"Expected {m} class names, got {classNames.Count}.", nameof(classNames));
        }

        Plot plot = new();
        IColormap colormap = new ScottPlot.Colormaps.Blues();
        for (int t = 0; t < m; t++)
        {
            long rowTotal = 0;
            for (int p = 0; p < m; p++)
            {
                rowTotal += matrix[t, p];
            }

            for (int p = 0; p < m; p++)
            {
                double share = rowTotal > 0 ? (double)matrix[t, p] / rowTotal : 0;
                var cell = plot.Add.Rectangle(p - 0.5, p + 0.5, -t - 0.5, -t + 0.5);
                // Blues runs dark → light; high shares get the dark end.
                cell.FillColor = colormap.GetColor(1 - share);
                cell.LineWidth = 0;
                var text = plot.Add.Text(matrix[t, p].ToString(CultureInfo.InvariantCulture), p, -t);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 13;
                text.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
            }
        }

        double[] positions = [.. Enumerable.Range(0, m).Select(i => (double)i)];
        plot.Axes.Bottom.SetTicks(positions, [.. classNames]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Left.SetTicks([.. positions.Select(p => -p)], [.. classNames]);
        plot.Axes.SetLimits(-0.5, m - 0.5, -m + 0.5, 0.5);
        plot.HideGrid();
        plot.Layout.Fixed(new PixelPadding(110, 20, 120, 40));
        plot.Title(title);
        plot.XLabel("predicted");
        plot.YLabel("true");
        return plot.GetImageBytes(size, size, ImageFormat.Png);
    }

    /// <summary>Renders the matrix and writes it atomically.</summary>
    /// <param name="path">PNG file.</param>
    /// <param name="matrix">The counts.</param>
    /// <param name="classNames">One name per label.</param>
    /// <param name="title">Plot title.</param>
    public static void Save(string path, ConfusionMatrix matrix, IReadOnlyList<string> classNames, string title) =>
        OutputFile.WriteAllBytes(path, Render(matrix, classNames, title));
}
