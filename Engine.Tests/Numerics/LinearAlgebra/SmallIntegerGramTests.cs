using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Tests.Numerics.LinearAlgebra;

public sealed class SmallIntegerGramTests
{
    [Test]
    public void Gram_IntegersOddSizesAnyThreads_ExactlyEqualsIntegerSum()
    {
        if (!SmallIntegerGram.IsSupported)
        {
            Assert.Ignore("AVX-512BW not available: PCA uses the float-panel path, tested in SymmetricRankKTests.");
        }

        // n spans several 512-row panels with an odd last row; d is not a multiple of the 16-lane groups; values cover
        // both ends of [−255, 255] (the worst case for the 32-bit pair sums), with zero runs to exercise the skipping.
        foreach ((int n, int d) in new[] { (1, 1), (7, 33), (1025, 17), (1537, 100) })
        {
            var rng = new Random((n * 1000) + d);
            float[] x = new float[n * d];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = rng.Next(4) switch { 0 => 255, 1 => -255, 2 => 0, _ => rng.Next(-255, 256) };
            }

            long[] expected = new long[d * d];
            for (int r = 0; r < n; r++)
            {
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        expected[(i * d) + j] += (long)x[(r * d) + i] * (long)x[(r * d) + j];
                    }
                }
            }

            foreach (int threads in new[] { 1, 2, 3 })
            {
                double[] c = new double[d * d];
                SmallIntegerGram.Gram(new ReadOnlySpan2D<float>(x, n, d), new Span2D<double>(c, d, d), threads);
                Assert.That(c, Is.EqualTo(expected.Select(v => (double)v).ToArray()).AsCollection, $"n={n} d={d} threads={threads}");
            }
        }
    }

    [Test]
    public void Gram_PaddedRows_ReadsOnlyTheSpan()
    {
        if (!SmallIntegerGram.IsSupported)
        {
            Assert.Ignore("AVX-512BW not available.");
        }

        // A 5×20 window of a 5×32 buffer whose other columns hold 255s: only the window may be summed.
        float[] buffer = new float[5 * 32];
        Array.Fill(buffer, 255f);
        for (int r = 0; r < 5; r++)
        {
            for (int j = 0; j < 20; j++)
            {
                buffer[(r * 32) + j] = (r * 20) + j - 50;
            }
        }

        var x = new ReadOnlySpan2D<float>(buffer, 0, 5, 20, 12);
        double[] c = new double[20 * 20];
        SmallIntegerGram.Gram(x, new Span2D<double>(c, 20, 20), 1);
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 20; j++)
            {
                double expected = 0;
                for (int r = 0; r < 5; r++)
                {
                    expected += x[r, i] * x[r, j];
                }

                Assert.That(c[(i * 20) + j], Is.EqualTo(expected), $"({i},{j})");
            }
        }
    }
}
