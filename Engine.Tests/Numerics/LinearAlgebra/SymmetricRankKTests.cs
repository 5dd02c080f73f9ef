using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Tests.Numerics.LinearAlgebra;

public sealed class SymmetricRankKTests
{
    [Test]
    public void Gram_IntegerPixelsOddSizes_ExactlyEqualsIntegerSum()
    {
        foreach (int n in new[] { 1, 7, 33, 257, 600 })
        {
            foreach (int d in new[] { 1, 7, 33, 257 })
            {
                var rng = new Random((n * 1000) + d);
                float[] x = new float[n * d];
                for (int i = 0; i < x.Length; i++)
                {
                    // Many 255s: the worst case for the float panel sums.
                    x[i] = rng.Next(4) == 0 ? 255 : rng.Next(256);
                }

                double[] c = new double[d * d];
                SymmetricRankK.Gram(new ReadOnlySpan2D<float>(x, n, d), new Span2D<double>(c, d, d));
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        long expected = 0;
                        for (int r = 0; r < n; r++)
                        {
                            expected += (long)x[(r * d) + i] * (long)x[(r * d) + j];
                        }

                        Assert.That(c[(i * d) + j], Is.EqualTo((double)expected), $"n={n} d={d} ({i},{j})");
                    }
                }
            }
        }
    }

    [Test]
    public void Gram_ShiftedDouble_MatchesNaiveLoop()
    {
        foreach (int n in new[] { 1, 7, 33, 257 })
        {
            foreach (int d in new[] { 1, 7, 33, 100 })
            {
                var rng = new Random(n + (d * 7));
                double[] x = new double[n * d];
                double[] shift = new double[d];
                for (int i = 0; i < x.Length; i++)
                {
                    x[i] = rng.NextDouble() - 0.3;
                }

                for (int j = 0; j < d; j++)
                {
                    shift[j] = rng.NextDouble() * 0.5;
                }

                double[] c = new double[d * d];
                double[] cf = new double[d * d];
                float[] xf = [.. x.Select(v => (float)v)];
                SymmetricRankK.Gram(new ReadOnlySpan2D<double>(x, n, d), shift, new Span2D<double>(c, d, d));
                SymmetricRankK.Gram(new ReadOnlySpan2D<float>(xf, n, d), shift, new Span2D<double>(cf, d, d));
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        double expected = 0;
                        double expectedF = 0;
                        for (int r = 0; r < n; r++)
                        {
                            expected += (x[(r * d) + i] - shift[i]) * (x[(r * d) + j] - shift[j]);
                            expectedF += (xf[(r * d) + i] - shift[i]) * (xf[(r * d) + j] - shift[j]);
                        }

                        // Different summation order only: |error| ≤ n·ε·Σ|terms| ≤ n·ε·n.
                        Assert.That(c[(i * d) + j], Is.EqualTo(expected).Within(n * n * 2.3e-16), $"double n={n} d={d} ({i},{j})");
                        Assert.That(cf[(i * d) + j], Is.EqualTo(expectedF).Within(n * n * 2.3e-16), $"float input n={n} d={d} ({i},{j})");
                        Assert.That(c[(i * d) + j], Is.EqualTo(c[(j * d) + i]), "exactly symmetric");
                    }
                }
            }
        }
    }

    [Test]
    public void Gram_AnyThreadCount_BitIdentical()
    {
        int n = 1000;
        int d = 131;
        var rng = new Random(5);
        double[] x = new double[n * d];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble();
        }

        double[] shift = new double[d];
        Array.Fill(shift, 0.5);
        double[] reference = new double[d * d];
        SymmetricRankK.Gram(new ReadOnlySpan2D<double>(x, n, d), shift, new Span2D<double>(reference, d, d), 1);
        foreach (int threads in new[] { 2, 3, 7 })
        {
            double[] c = new double[d * d];
            SymmetricRankK.Gram(new ReadOnlySpan2D<double>(x, n, d), shift, new Span2D<double>(c, d, d), threads);
            Assert.That(c, Is.EqualTo(reference).AsCollection, $"threads={threads}");
        }
    }

    [Test]
    public void Gram_SparseRows_SkippedZerosChangeNothing()
    {
        // Image-like data: most values equal the shift (background), in runs that empty whole 8-column groups, so the
        // kernel's zero-row skipping is exercised on both paths.
        int n = 700;
        int d = 53;
        var rng = new Random(11);
        float[] x = new float[n * d];
        for (int r = 0; r < n; r++)
        {
            int start = rng.Next(d);
            int length = rng.Next(d / 3);
            for (int j = start; j < Math.Min(d, start + length); j++)
            {
                x[(r * d) + j] = rng.Next(1, 256);
            }
        }

        double[] exact = new double[d * d];
        SymmetricRankK.Gram(new ReadOnlySpan2D<float>(x, n, d), new Span2D<double>(exact, d, d));
        float[] shifted = [.. x.Select(v => (v - 3f) / 7f)];
        double[] shift = [.. Enumerable.Repeat((double)((0f - 3f) / 7f), d)];
        double[] reference = new double[d * d];
        SymmetricRankK.Gram(new ReadOnlySpan2D<float>(shifted, n, d), shift, new Span2D<double>(reference, d, d), 1);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                long expected = 0;
                double expectedShifted = 0;
                for (int r = 0; r < n; r++)
                {
                    expected += (long)x[(r * d) + i] * (long)x[(r * d) + j];
                    expectedShifted += (shifted[(r * d) + i] - shift[i]) * (shifted[(r * d) + j] - shift[j]);
                }

                Assert.That(exact[(i * d) + j], Is.EqualTo((double)expected), $"exact ({i},{j})");

                // Summation order only: |error| ≤ n·ε·Σ|terms| ≤ n·ε·n·max|product| (|x − shift| ≤ 36.5).
                Assert.That(reference[(i * d) + j], Is.EqualTo(expectedShifted).Within(n * 2.3e-16 * n * 1333), $"shifted ({i},{j})");
            }
        }

        foreach (int threads in new[] { 2, 3 })
        {
            double[] c = new double[d * d];
            SymmetricRankK.Gram(new ReadOnlySpan2D<float>(shifted, n, d), shift, new Span2D<double>(c, d, d), threads);
            Assert.That(c, Is.EqualTo(reference).AsCollection, $"threads={threads}");
        }
    }

    [Test]
    public void Gram_WrongDestinationOrShift_ThrowsNamingParameter()
    {
        double[] x = new double[12];
        Assert.That(
            () => SymmetricRankK.Gram(new ReadOnlySpan2D<double>(x, 4, 3), default, new Span2D<double>(new double[6], 2, 3)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
        Assert.That(
            () => SymmetricRankK.Gram(new ReadOnlySpan2D<double>(x, 4, 3), new double[2], new Span2D<double>(new double[9], 3, 3)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("shift"));
    }

    /// <summary>
    /// Image-like rows: a blob of non-background values around a random centre on a side×side grid, the rest exactly
    /// the background value (so whole column groups are empty in many rows, but not in natural 8-column runs).
    /// </summary>
    private static (float[] X, double[] Shift) Blobs(int n, int side, int seed)
    {
        int d = side * side;
        var rng = new Random(seed);
        float background = (0f - 3f) / 7f;
        float[] x = new float[n * d];
        Array.Fill(x, background);
        for (int r = 0; r < n; r++)
        {
            int cy = rng.Next(side);
            int cx = rng.Next(side);
            int radius = rng.Next(1, side / 3);
            for (int y = Math.Max(0, cy - radius); y < Math.Min(side, cy + radius); y++)
            {
                for (int xx = Math.Max(0, cx - radius); xx < Math.Min(side, cx + radius); xx++)
                {
                    x[(r * d) + (y * side) + xx] = (rng.Next(1, 256) - 3f) / 7f;
                }
            }
        }

        return (x, [.. Enumerable.Repeat((double)background, d)]);
    }

    [Test]
    public void Gram_SparseImagesReordered_BitIdenticalToNaturalOrderAndNaiveSum()
    {
        // 2 500 rows (enough for the column reordering and for two row slabs), d = 361 (not a multiple of the 4-column
        // runs, the 8-column groups or the 24-column tiles, so short runs and padding are exercised).
        const int Side = 19;
        int n = 2500;
        int d = Side * Side;
        (float[] x, double[] shift) = Blobs(n, Side, 21);
        var span = new ReadOnlySpan2D<float>(x, n, d);
        Assert.That(SparseColumnOrder.Compute(span, shift, 384, 8, 24), Is.Not.Null, "the data must be sparse enough to be reordered");
        double[] natural = new double[d * d];
        SymmetricRankK.Gram(span, shift, new Span2D<double>(natural, d, d), 1, reorderColumns: false);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            double[] reordered = new double[d * d];
            SymmetricRankK.Gram(span, shift, new Span2D<double>(reordered, d, d), threads);
            Assert.That(reordered, Is.EqualTo(natural).AsCollection, $"reordered, threads={threads}");
        }

        for (int i = 0; i < d; i += 7)
        {
            for (int j = 0; j < d; j += 5)
            {
                double expected = 0;
                double magnitude = 0;
                for (int r = 0; r < n; r++)
                {
                    double p = (x[(r * d) + i] - shift[i]) * (x[(r * d) + j] - shift[j]);
                    expected += p;
                    magnitude += Math.Abs(p);
                }

                // Summation order only: |error| ≤ n·ε·Σ|products|.
                Assert.That(natural[(i * d) + j], Is.EqualTo(expected).Within(n * 2.3e-16 * magnitude), $"({i},{j})");
                Assert.That(natural[(i * d) + j], Is.EqualTo(natural[(j * d) + i]), "exactly symmetric");
            }
        }
    }

    [Test]
    public void Gram_SparseImagesDoubleInput_SameAsFloatInput()
    {
        const int Side = 14;
        int n = 1500;
        int d = Side * Side;
        (float[] x, double[] shift) = Blobs(n, Side, 4);
        double[] fromFloat = new double[d * d];
        SymmetricRankK.Gram(new ReadOnlySpan2D<float>(x, n, d), shift, new Span2D<double>(fromFloat, d, d), 2);
        double[] fromDouble = new double[d * d];
        SymmetricRankK.Gram(new ReadOnlySpan2D<double>([.. x.Select(v => (double)v)], n, d), shift, new Span2D<double>(fromDouble, d, d), 1);

        // The same values (float → double is exact), the same products and the same order of sums.
        Assert.That(fromDouble, Is.EqualTo(fromFloat).AsCollection);
    }

    [Test]
    public void SparseColumnOrder_DenseOrSmallData_KeepsNaturalOrder()
    {
        var rng = new Random(2);
        int n = 2000;
        int d = 100;
        double[] dense = [.. Enumerable.Range(0, n * d).Select(_ => rng.NextDouble())];
        Assert.That(SparseColumnOrder.Compute(new ReadOnlySpan2D<double>(dense, n, d), [], 120, 8, 24), Is.Null, "dense");
        (float[] x, double[] shift) = Blobs(500, 10, 1);
        Assert.That(SparseColumnOrder.Compute(new ReadOnlySpan2D<float>(x, 500, 100), shift, 120, 8, 24), Is.Null, "too few rows");
    }

    [Test]
    public void SparseColumnOrder_SparseImages_IsAPermutationInWholeRuns()
    {
        const int Side = 19;
        (float[] x, double[] shift) = Blobs(2500, Side, 21);
        int d = Side * Side;
        int[]? map = SparseColumnOrder.Compute(new ReadOnlySpan2D<float>(x, 2500, d), shift, 384, 8, 24);
        Assert.That(map, Is.Not.Null);
        Assert.That(map!, Has.Length.EqualTo(384));
        Assert.That(map.Where(c => c >= 0).Order(), Is.EqualTo(Enumerable.Range(0, d)), "every column exactly once");
        for (int p = 0; p < map.Length; p += SparseColumnOrder.Unit)
        {
            int first = map[p];
            if (first >= 0)
            {
                Assert.That(first % SparseColumnOrder.Unit, Is.Zero, "runs start at multiples of the unit");
            }
        }
    }
}
