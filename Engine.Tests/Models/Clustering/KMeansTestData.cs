using CommunityToolkit.HighPerformance;
using FashionCore.Features.Scaling;

namespace FashionCore.Tests.Models.Clustering;

/// <summary>The study's k-means data: StandardScaler fitted on the full train set, then the rows with labels 0..4.</summary>
public static class KMeansTestData
{
    private static readonly Lazy<(float[] Pixels, int[] Labels)> s_subset = new(() =>
    {
        float[] train = TestData.FashionMnist.Train.ToFloatPixels();
        int[] labels = TestData.FashionMnist.Train.GetLabelsInt32();
        int[] rows = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] <= 4)];
        float[] sub = new float[rows.Length * 784];
        for (int r = 0; r < rows.Length; r++)
        {
            train.AsSpan(rows[r] * 784, 784).CopyTo(sub.AsSpan(r * 784, 784));
        }

        s_scaler = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(train, 60000, 784));
        return (sub, [.. rows.Select(i => labels[i])]);
    });

    private static readonly Lazy<double[]> s_double = new(() =>
    {
        (float[] pixels, int[] labels) = s_subset.Value;
        double[] z = new double[pixels.Length];
        s_scaler!.Transform(new ReadOnlySpan2D<float>(pixels, labels.Length, 784), new Span2D<double>(z, labels.Length, 784));
        return z;
    });

    private static readonly Lazy<float[]> s_float = new(() =>
    {
        (float[] pixels, int[] labels) = s_subset.Value;
        float[] z = new float[pixels.Length];
        s_scaler!.Transform(new ReadOnlySpan2D<float>(pixels, labels.Length, 784), new Span2D<float>(z, labels.Length, 784));
        return z;
    });

    private static StandardScalerModel? s_scaler;

    /// <summary>Rows (30 000).</summary>
    public static int Rows => s_subset.Value.Labels.Length;

    /// <summary>True labels 0..4 of the subset rows.</summary>
    public static int[] Labels => s_subset.Value.Labels;

    /// <summary>Standardized subset in float64, exactly what sklearn clusters in the study.</summary>
    public static ReadOnlyMemory2D<double> Double => new(s_double.Value, Rows, 784);

    /// <summary>The same, rounded to float32.</summary>
    public static ReadOnlyMemory2D<float> Float => new(s_float.Value, Rows, 784);
}
