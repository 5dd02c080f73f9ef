using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Tests.Numerics.LinearAlgebra;

public sealed class GemmTests
{
    private static readonly int[] s_sizes = [1, 7, 33, 257];

    private static double[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        double[] x = new double[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = (rng.NextDouble() * 2) - 1;
        }

        return x;
    }

    private static float[] ToFloat(double[] x) => [.. x.Select(v => (float)v)];

    [Test]
    public void MultiplyTransposed_OddSizes_MatchesNaiveLoop()
    {
        foreach (int m in s_sizes)
        {
            foreach (int n in s_sizes)
            {
                foreach (int k in new[] { 1, 7, 33, 70 })
                {
                    double[] a = Random(m * k, (m * 31) + n);
                    double[] b = Random(n * k, (n * 17) + k);
                    double[] shift = Random(k, k);
                    double[] c = new double[m * n];
                    float[] cf = new float[m * n];
                    Gemm.MultiplyTransposed(new ReadOnlySpan2D<double>(a, m, k), shift, new ReadOnlySpan2D<double>(b, n, k), new Span2D<double>(c, m, n));
                    Gemm.MultiplyTransposed(
                        new ReadOnlySpan2D<float>(ToFloat(a), m, k), ToFloat(shift), new ReadOnlySpan2D<float>(ToFloat(b), n, k), new Span2D<float>(cf, m, n));
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            double expected = 0;
                            for (int p = 0; p < k; p++)
                            {
                                expected += (a[(i * k) + p] - shift[p]) * b[(j * k) + p];
                            }

                            // Summation order differs from the naive loop: |error| ≤ k·ε·Σ|terms| ≤ k·ε·2k (terms ≤ 2).
                            Assert.That(c[(i * n) + j], Is.EqualTo(expected).Within(2 * k * k * 2.3e-16), $"double m={m} n={n} k={k} ({i},{j})");

                            // Float: inputs rounded to float (≤ 6e-8 each) plus float accumulation.
                            Assert.That(cf[(i * n) + j], Is.EqualTo(expected).Within(k * 1e-6), $"float m={m} n={n} k={k} ({i},{j})");
                        }
                    }
                }
            }
        }
    }

    [Test]
    public void Multiply_OddSizes_MatchesNaiveLoop()
    {
        foreach (int m in s_sizes)
        {
            foreach (int n in s_sizes)
            {
                foreach (int k in new[] { 1, 7, 40 })
                {
                    double[] a = Random(m * k, m + (n * 3));
                    double[] b = Random(k * n, n + (k * 5));
                    double[] c = new double[m * n];
                    float[] cf = new float[m * n];
                    Gemm.Multiply(new ReadOnlySpan2D<double>(a, m, k), new ReadOnlySpan2D<double>(b, k, n), new Span2D<double>(c, m, n));
                    Gemm.Multiply(new ReadOnlySpan2D<float>(ToFloat(a), m, k), new ReadOnlySpan2D<float>(ToFloat(b), k, n), new Span2D<float>(cf, m, n));
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            double expected = 0;
                            for (int p = 0; p < k; p++)
                            {
                                expected = Math.FusedMultiplyAdd(a[(i * k) + p], b[(p * n) + j], expected);
                            }

                            // Same FMA chain in k order as the kernels: bit-identical in double.
                            Assert.That(c[(i * n) + j], Is.EqualTo(expected), $"double m={m} n={n} k={k} ({i},{j})");
                            Assert.That(cf[(i * n) + j], Is.EqualTo(expected).Within(k * 1e-6), $"float m={m} n={n} k={k} ({i},{j})");
                        }
                    }
                }
            }
        }
    }

    [Test]
    public void MultiplyTransposed_AnyThreadCount_BitIdentical()
    {
        int m = 257;
        int n = 41;
        int k = 200;
        float[] a = ToFloat(Random(m * k, 1));
        float[] b = ToFloat(Random(n * k, 2));
        float[] shift = ToFloat(Random(k, 3));
        float[] reference = new float[m * n];
        Gemm.MultiplyTransposed(new ReadOnlySpan2D<float>(a, m, k), shift, new ReadOnlySpan2D<float>(b, n, k), new Span2D<float>(reference, m, n), 1);
        foreach (int threads in new[] { 2, 3, 5 })
        {
            float[] c = new float[m * n];
            Gemm.MultiplyTransposed(new ReadOnlySpan2D<float>(a, m, k), shift, new ReadOnlySpan2D<float>(b, n, k), new Span2D<float>(c, m, n), threads);
            Assert.That(c, Is.EqualTo(reference).AsCollection, $"threads={threads}");
        }

        double[] ad = Random(m * k, 4);
        double[] bd = Random(k * n, 5);
        double[] refd = new double[m * n];
        Gemm.Multiply(new ReadOnlySpan2D<double>(ad, m, k), new ReadOnlySpan2D<double>(bd, k, n), new Span2D<double>(refd, m, n), 1);
        double[] cd = new double[m * n];
        Gemm.Multiply(new ReadOnlySpan2D<double>(ad, m, k), new ReadOnlySpan2D<double>(bd, k, n), new Span2D<double>(cd, m, n), 3);
        Assert.That(cd, Is.EqualTo(refd).AsCollection);
    }

    [Test]
    public void MultiplyTransposed_StridedViews_UsesPitch()
    {
        double[] big = Random(20 * 30, 9);
        var a = new ReadOnlySpan2D<double>(big, 20, 30).Slice(3, 5, 11, 13);
        var b = new ReadOnlySpan2D<double>(big, 20, 30).Slice(1, 2, 6, 13);
        double[] outer = new double[15 * 9];
        Span2D<double> c = new Span2D<double>(outer, 15, 9).Slice(2, 1, 11, 6);
        Gemm.MultiplyTransposed(a, b, c);
        for (int i = 0; i < 11; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                double expected = 0;
                for (int p = 0; p < 13; p++)
                {
                    expected += a[i, p] * b[j, p];
                }

                Assert.That(c[i, j], Is.EqualTo(expected).Within(1e-13));
            }
        }

        Assert.That(outer[0], Is.Zero, "writes stay inside the destination view");
    }

    [Test]
    public void MultiplyTransposed_ShapeMismatch_ThrowsNamingParameter()
    {
        double[] a = new double[6];
        double[] c = new double[4];
        Assert.That(
            () => Gemm.MultiplyTransposed(new ReadOnlySpan2D<double>(a, 2, 3), new ReadOnlySpan2D<double>(a, 3, 2), new Span2D<double>(c, 2, 2)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("b"));
        Assert.That(
            () => Gemm.MultiplyTransposed(new ReadOnlySpan2D<double>(a, 2, 3), new ReadOnlySpan2D<double>(a, 2, 3), new Span2D<double>(c, 1, 4)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
        Assert.That(
            () => Gemm.Multiply(new ReadOnlySpan2D<double>(a, 2, 3), new ReadOnlySpan2D<double>(a, 2, 3), new Span2D<double>(c, 2, 2)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("b"));
    }
}
