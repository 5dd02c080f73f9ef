using CommunityToolkit.HighPerformance;

namespace FashionCore.Tests.Models.Linear;

/// <summary>Pixels/255 as sklearn sees them (float64), and as float, for the logistic regression tests.</summary>
internal static class LogisticRegressionData
{
    private static readonly Lazy<double[]> s_trainDouble = new(() => Scale(TestData.FashionMnist.Train.Images.Span));
    private static readonly Lazy<double[]> s_testDouble = new(() => Scale(TestData.FashionMnist.Test.Images.Span));
    private static readonly Lazy<int[]> s_trainLabels = new(() => TestData.FashionMnist.Train.GetLabelsInt32());
    private static readonly Lazy<int[]> s_testLabels = new(() => TestData.FashionMnist.Test.GetLabelsInt32());

    public static ReadOnlyMemory2D<double> Train(int rows) => new(s_trainDouble.Value, 0, rows, 784, 0);

    public static ReadOnlyMemory2D<double> Test(int rows) => new(s_testDouble.Value, 0, rows, 784, 0);

    public static ReadOnlyMemory<int> TrainLabels(int rows) => s_trainLabels.Value.AsMemory(0, rows);

    public static ReadOnlyMemory<int> TestLabels(int rows) => s_testLabels.Value.AsMemory(0, rows);

    public static float[] ToFloat(ReadOnlyMemory2D<double> x)
    {
        float[] f = new float[x.Height * x.Width];
        ReadOnlySpan2D<double> s = x.Span;
        for (int i = 0; i < x.Height; i++)
        {
            for (int j = 0; j < x.Width; j++)
            {
                f[(i * x.Width) + j] = (float)s[i, j];
            }
        }

        return f;
    }

    public static (double[] X, int[] Y) Select(ReadOnlyMemory2D<double> x, ReadOnlyMemory<int> y, Func<int, bool> keep)
    {
        List<int> rows = [.. Enumerable.Range(0, y.Length).Where(i => keep(y.Span[i]))];
        double[] xs = new double[rows.Count * x.Width];
        for (int r = 0; r < rows.Count; r++)
        {
            x.Span.GetRowSpan(rows[r]).CopyTo(xs.AsSpan(r * x.Width, x.Width));
        }

        return (xs, [.. rows.Select(i => y.Span[i])]);
    }

    private static double[] Scale(ReadOnlySpan2D<byte> images)
    {
        double[] x = new double[images.Height * images.Width];
        int p = 0;
        for (int i = 0; i < images.Height; i++)
        {
            foreach (byte b in images.GetRowSpan(i))
            {
                x[p++] = b / 255.0;
            }
        }

        return x;
    }
}
