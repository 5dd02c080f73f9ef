using FashionCore.Tools.Output;
using ScottPlot;

namespace FashionCore.Tools.Report.Plots;

/// <summary>The k-means elbow curve (SSE against k) with the knee marked, as a PNG.</summary>
public static class ElbowPlot
{
    /// <summary>Renders the curve.</summary>
    /// <param name="clusterCounts">k values.</param>
    /// <param name="inertia">SSE per k.</param>
    /// <param name="kneeIndex">Index of the knee (−1: none marked).</param>
    /// <param name="title">Plot title.</param>
    /// <param name="width">Pixels.</param>
    /// <param name="height">Pixels.</param>
    /// <returns>PNG bytes.</returns>
    /// <exception cref="ArgumentException">The lengths differ or are empty, or the knee index is out of range.</exception>
    public static byte[] Render(ReadOnlySpan<int> clusterCounts, ReadOnlySpan<double> inertia, int kneeIndex, string title = "k-means elbow", int width = 800, int height = 500)
    {
        if (clusterCounts.IsEmpty || clusterCounts.Length != inertia.Length)
        {
            throw new ArgumentException($"Need as many inertias ({inertia.Length}) as k values ({clusterCounts.Length}), at least one.", nameof(inertia));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(kneeIndex, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(kneeIndex, clusterCounts.Length);
        double[] xs = new double[clusterCounts.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = clusterCounts[i];
        }

        double[] ys = inertia.ToArray();
        Plot plot = new();
        var curve = plot.Add.Scatter(xs, ys);
        curve.LineWidth = 2;
        curve.MarkerSize = 8;
        curve.LegendText = "SSE (inertia)";
        if (kneeIndex >= 0)
        {
            var line = plot.Add.VerticalLine(xs[kneeIndex]);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Red;
            var knee = plot.Add.Marker(xs[kneeIndex], ys[kneeIndex], MarkerShape.OpenCircle, 22, Colors.Red);
            knee.LegendText = $"knee: k = {clusterCounts[kneeIndex]}";
        }

        plot.Title(title);
        plot.XLabel("k (clusters)");
        plot.YLabel("SSE");
        plot.Axes.Bottom.SetTicks(xs, [.. clusterCounts.ToArray().Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Renders the curve and writes it atomically.</summary>
    /// <param name="path">PNG file.</param>
    /// <param name="clusterCounts">k values.</param>
    /// <param name="inertia">SSE per k.</param>
    /// <param name="kneeIndex">Index of the knee (−1: none marked).</param>
    /// <param name="title">Plot title.</param>
    public static void Save(string path, ReadOnlySpan<int> clusterCounts, ReadOnlySpan<double> inertia, int kneeIndex, string title = "k-means elbow") =>
        OutputFile.WriteAllBytes(path, Render(clusterCounts, inertia, kneeIndex, title));
}
