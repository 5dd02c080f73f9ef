using FashionCore.Models.Clustering;

namespace FashionCore.Tests.Models.Clustering;

/// <summary>
/// The specialised kernels against the general ones they replace: results must be bit-identical, so that labels,
/// bounds, n_iter and inertia do not change (exact equality, not a tolerance).
/// </summary>
public class KMeansKernelTests
{
    [TestCase(784)]
    [TestCase(45)]
    [TestCase(23)]
    [TestCase(7)]
    public void FloatDots_FiveSixNineOrTenCentres_EqualFourCentreGroups(int d)
    {
        Random r = new(d);
        float[] x = [.. Enumerable.Range(0, d).Select(_ => (float)((r.NextDouble() * 4) - 2))];
        byte[] q = [.. Enumerable.Range(0, d).Select(_ => (byte)r.Next(0, 256))];
        foreach (int k in new[] { 5, 6, 9, 10 })
        {
            float[] centres = [.. Enumerable.Range(0, k * d).Select(_ => (float)((r.NextDouble() * 2) - 1))];
            float[] fromFloat = new float[k], fromByte = new float[k];
            FloatDots.Dots(x, centres, fromFloat);
            FloatDots.Dots(q, centres, fromByte);
            for (int j = 0; j < k; j++)
            {
                // Centre j alone in a group of four (k = 1 repeats it), the path every centre took before Dot5.
                float[] single = new float[1];
                FloatDots.Dots(x, centres.AsSpan(j * d, d), single);
                Assert.That(fromFloat[j], Is.EqualTo(single[0]), $"float k={k} j={j}");
                FloatDots.Dots(q, centres.AsSpan(j * d, d), single);
                Assert.That(fromByte[j], Is.EqualTo(single[0]), $"byte k={k} j={j}");
            }
        }
    }

    [TestCase(784)]
    [TestCase(45)]
    [TestCase(7)]
    public void FloatDots_SubsetOfCentres_EqualsEachCentreAlone(int d)
    {
        // The bounded E-step screens only the centres its bounds leave open; their dots (and so their error bounds and
        // labels) must be exactly those of the full screen.
        Random r = new(d + 5);
        float[] x = [.. Enumerable.Range(0, d).Select(_ => (float)((r.NextDouble() * 4) - 2))];
        byte[] q = [.. Enumerable.Range(0, d).Select(_ => (byte)r.Next(0, 256))];
        const int Centres = 10;
        float[] centres = [.. Enumerable.Range(0, Centres * d).Select(_ => (float)((r.NextDouble() * 2) - 1))];
        foreach (int[] which in new[] { new[] { 3 }, [7, 0], [9, 2, 4], [1, 8, 5, 6, 0], [4, 3, 2, 1, 0, 9, 8, 7, 6] })
        {
            float[] fromFloat = new float[which.Length], fromByte = new float[which.Length], single = new float[1];
            FloatDots.Dots(x, centres, which, fromFloat);
            FloatDots.Dots(q, centres, which, fromByte);
            for (int m = 0; m < which.Length; m++)
            {
                FloatDots.Dots(x, centres.AsSpan(which[m] * d, d), single);
                Assert.That(fromFloat[m], Is.EqualTo(single[0]), $"float [{string.Join(",", which)}] m={m}");
                FloatDots.Dots(q, centres.AsSpan(which[m] * d, d), single);
                Assert.That(fromByte[m], Is.EqualTo(single[0]), $"byte [{string.Join(",", which)}] m={m}");
            }
        }
    }

    [TestCase(784)]
    [TestCase(48)]
    [TestCase(45)]
    [TestCase(32)]
    [TestCase(17)]
    [TestCase(16)]
    [TestCase(7)]
    public void FloatDots_ThreeByteCentres_EqualFourCentreGroup(int d)
    {
        // Three centres (k-means++'s candidates, k = 3, subset screens of three open centres) take a byte kernel of
        // their own; each centre's dot must equal the one it gets inside a group of four (the kernel used before).
        Random r = new(d + 17);
        byte[] q = [.. Enumerable.Range(0, d).Select(_ => (byte)r.Next(0, 256))];
        float[] centres = [.. Enumerable.Range(0, 5 * d).Select(_ => (float)((r.NextDouble() * 2) - 1))];
        float[] four = new float[4], three = new float[3];
        FloatDots.Dots(q, centres.AsSpan(0, 4 * d), four);
        FloatDots.Dots(q, centres.AsSpan(0, 3 * d), three);
        Assert.That(three, Is.EqualTo(four[..3]).AsCollection, "k=3");
        foreach (int[] which in new[] { new[] { 0, 1, 2 }, [3, 0, 2], [2, 3, 1] })
        {
            float[] fromByte = new float[3];
            FloatDots.Dots(q, centres, which, fromByte);
            for (int m = 0; m < 3; m++)
            {
                Assert.That(fromByte[m], Is.EqualTo(four[which[m]]), $"subset [{string.Join(",", which)}] m={m}");
            }
        }

        // Centres 2..4 against a group of four holding them at other positions.
        float[] shifted = new float[4];
        FloatDots.Dots(q, centres.AsSpan(d, 4 * d), shifted);
        FloatDots.Dots(q, centres.AsSpan(2 * d, 3 * d), three);
        Assert.That(three, Is.EqualTo(shifted[1..]).AsCollection, "k=3 shifted");
    }

    [TestCase(784)]
    [TestCase(100)]
    [TestCase(48)]
    [TestCase(47)]
    [TestCase(32)]
    [TestCase(17)]
    [TestCase(16)]
    [TestCase(7)]
    public void WordDots_Dots_EqualExactIntegerSums(int d)
    {
        if (!WordDots.IsSupported)
        {
            Assert.Ignore("WordDots runs only with AVX-512BW (elsewhere k-means takes the float screen).");
        }

        // Every group size (1..9 centres: groups of one to six), subsets in any order, and the extreme products
        // (a row of 255s against ±32767) must give the exact integer sums.
        Random r = new(d + 41);
        byte[] q = [.. Enumerable.Range(0, d).Select(_ => (byte)r.Next(0, 256))];
        short[] centres = [.. Enumerable.Range(0, 9 * d).Select(_ => (short)r.Next(-32767, 32768))];
        centres.AsSpan(0, d).Fill(32767);
        centres.AsSpan(d, d).Fill(-32767);
        foreach (byte[] row in new[] { q, Enumerable.Repeat((byte)255, d).ToArray() })
        {
            for (int k = 1; k <= 9; k++)
            {
                long[] sums = new long[k];
                WordDots.Dots(row, centres, d, default, sums);
                for (int j = 0; j < k; j++)
                {
                    Assert.That(sums[j], Is.EqualTo(Reference(row, centres.AsSpan(j * d, d))), $"k={k} j={j}");
                }
            }

            foreach (int[] which in new[] { new[] { 8 }, [3, 0], [2, 7, 1], [1, 0, 5, 4, 6], [8, 7, 6, 5, 4, 3, 2] })
            {
                long[] sums = new long[which.Length];
                WordDots.Dots(row, centres, d, which, sums);
                for (int m = 0; m < which.Length; m++)
                {
                    Assert.That(sums[m], Is.EqualTo(Reference(row, centres.AsSpan(which[m] * d, d))), $"[{string.Join(",", which)}] m={m}");
                }
            }
        }

        static long Reference(ReadOnlySpan<byte> q, ReadOnlySpan<short> c)
        {
            long s = 0;
            for (int l = 0; l < q.Length; l++)
            {
                s += q[l] * (long)c[l];
            }

            return s;
        }
    }

    [TestCase(1.0)]
    [TestCase(1e-200)]
    [TestCase(1e200)]
    [TestCase(0.0)]
    public void WordDots_Quantize_BoundsTheRoundingForEveryByteRow(double magnitude)
    {
        if (!WordDots.IsSupported)
        {
            Assert.Ignore("WordDots runs only with AVX-512BW (elsewhere k-means takes the float screen).");
        }

        // u ≈ s·C with Σ|u − s·C| ≤ bound, so |q·u − s·(q·C)| ≤ 255·bound for any byte row q (checked against q·u in
        // double, whose own error is ~1e-13 of the 16-bit rounding measured here); |C| ≤ 32767 keeps the kernels exact.
        Random r = new(7);
        int d = 784;
        double[] u = [.. Enumerable.Range(0, d).Select(l => l % 9 == 0 ? 0 : ((r.NextDouble() * 2) - 1) * magnitude * (l % 5 == 0 ? 1e-3 : 1))];
        short[] c = new short[d];
        double s = WordDots.Quantize(u, c, out double bound);
        Assert.That(c.All(v => v is >= -32767 and <= 32767), Is.True);
        double residual = 0;
        for (int l = 0; l < d; l++)
        {
            residual += Math.Abs(u[l] - (s * c[l]));
        }

        Assert.That(bound, Is.GreaterThanOrEqualTo(residual));
        for (int trial = 0; trial < 20; trial++)
        {
            byte[] q = [.. Enumerable.Range(0, d).Select(_ => (byte)(trial == 0 ? 255 : r.Next(0, 256)))];
            long[] sums = new long[1];
            WordDots.Dots(q, c, d, default, sums);
            double exact = 0;
            for (int l = 0; l < d; l++)
            {
                exact = Math.FusedMultiplyAdd(q[l], u[l], exact);
            }

            Assert.That(Math.Abs(exact - (s * sums[0])), Is.LessThanOrEqualTo(255 * bound), $"trial {trial}");
        }

        if (magnitude == 0)
        {
            Assert.That(bound, Is.EqualTo(0));
        }
    }

    [TestCase(784)]
    [TestCase(45)]
    [TestCase(23)]
    [TestCase(7)]
    public void FloatDots_OneOrTwoCentres_EqualFourCentreGroup(int d)
    {
        // Groups of one or two centres take their own kernel (full screens with k = 1, 2 and subset screens of one or
        // two open centres); each centre's dot must equal the one it gets inside a group of four.
        Random r = new(d + 11);
        float[] x = [.. Enumerable.Range(0, d).Select(_ => (float)((r.NextDouble() * 4) - 2))];
        byte[] q = [.. Enumerable.Range(0, d).Select(_ => (byte)r.Next(0, 256))];
        float[] centres = [.. Enumerable.Range(0, 4 * d).Select(_ => (float)((r.NextDouble() * 2) - 1))];
        float[] fourFloat = new float[4], fourByte = new float[4];
        FloatDots.Dots(x, centres, fourFloat);
        FloatDots.Dots(q, centres, fourByte);
        foreach (int[] which in new[] { new[] { 2 }, [0, 3], [3, 1] })
        {
            float[] fromFloat = new float[which.Length], fromByte = new float[which.Length];
            FloatDots.Dots(x, centres, which, fromFloat);
            FloatDots.Dots(q, centres, which, fromByte);
            for (int m = 0; m < which.Length; m++)
            {
                Assert.That(fromFloat[m], Is.EqualTo(fourFloat[which[m]]), $"float subset [{string.Join(",", which)}] m={m}");
                Assert.That(fromByte[m], Is.EqualTo(fourByte[which[m]]), $"byte subset [{string.Join(",", which)}] m={m}");
            }
        }

        for (int k = 1; k <= 2; k++)
        {
            float[] fromFloat = new float[k], fromByte = new float[k];
            FloatDots.Dots(x, centres.AsSpan(0, k * d), fromFloat);
            FloatDots.Dots(q, centres.AsSpan(0, k * d), fromByte);
            for (int j = 0; j < k; j++)
            {
                Assert.That(fromFloat[j], Is.EqualTo(fourFloat[j]), $"float k={k} j={j}");
                Assert.That(fromByte[j], Is.EqualTo(fourByte[j]), $"byte k={k} j={j}");
            }
        }
    }

    [TestCase(784)]
    [TestCase(13)]
    [TestCase(5)]
    public void SquaredDistanceCentred_FloatAndDoubleRows_EqualsLoadCentredThenSquaredDistance(int d)
    {
        Random r = new(d + 1);
        double[] xd = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 300) - 7)];
        float[] xf = [.. xd.Select(v => (float)v)];
        double[] mean = [.. Enumerable.Range(0, d).Select(_ => r.NextDouble() * 100)];
        double[] centre = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 50) - 25)];
        double[] row = new double[d];
        KMeansKernels.LoadCentred<float>(xf, mean, row);
        Assert.That(KMeansKernels.SquaredDistanceCentred<float>(xf, mean, centre), Is.EqualTo(KMeansKernels.SquaredDistance(row, centre)));
        KMeansKernels.LoadCentred<double>(xd, mean, row);
        Assert.That(KMeansKernels.SquaredDistanceCentred<double>(xd, mean, centre), Is.EqualTo(KMeansKernels.SquaredDistance(row, centre)));
    }

    [TestCase(784)]
    [TestCase(45)]
    [TestCase(24)]
    [TestCase(13)]
    [TestCase(5)]
    public void FusedCentredKernels_FloatAndDoubleRows_EqualLoadCentredThenTheGeneralKernels(int d)
    {
        // Sums, moves, first k-means++ dots and inertia terms must not change by a bit when the row is centred on the fly
        // (d covers the 16-column AVX-512 blocks alone, with 8-column and scalar tails, and without them).
        Random r = new(d + 3);
        double[] meanValues = [.. Enumerable.Range(0, d).Select(_ => r.NextDouble() * 100)];
        double[] centreA = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 50) - 25)];
        double[] centreB = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 50) - 25)];
        double[] start = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 1e4) - 5e3)];
        double[] start2 = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 1e4) - 5e3)];
        double[] ad = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 300) - 7)];
        double[] bd = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 300) - 7)];
        float[] af = [.. ad.Select(v => (float)v)];
        float[] bf = [.. bd.Select(v => (float)v)];
        Check<float>(af, bf);
        Check<double>(ad, bd);

        void Check<T>(T[] a, T[] b)
            where T : unmanaged
        {
            double[] rowA = new double[d], rowB = new double[d];
            KMeansKernels.LoadCentred<T>(a, meanValues, rowA);
            KMeansKernels.LoadCentred<T>(b, meanValues, rowB);

            double[] expected = [.. start], actual = [.. start];
            System.Numerics.Tensors.TensorPrimitives.Add(expected, rowA, expected);
            KMeansKernels.AddCentred<T>(a, meanValues, actual);
            Assert.That(actual, Is.EqualTo(expected), $"AddCentred {typeof(T).Name}");

            double[] expectedFrom = [.. start], expectedTo = [.. start2], actualFrom = [.. start], actualTo = [.. start2];
            System.Numerics.Tensors.TensorPrimitives.Subtract(expectedFrom, rowA, expectedFrom);
            System.Numerics.Tensors.TensorPrimitives.Add(expectedTo, rowA, expectedTo);
            KMeansKernels.MoveCentred<T>(a, meanValues, actualFrom, actualTo);
            Assert.That(actualFrom, Is.EqualTo(expectedFrom), $"MoveCentred from {typeof(T).Name}");
            Assert.That(actualTo, Is.EqualTo(expectedTo), $"MoveCentred to {typeof(T).Name}");

            double[] dots = new double[1];
            KMeansKernels.DotCentredPair<T>(a, b, meanValues, centreA, out double dotA, out double dotB);
            KMeansKernels.Dots(rowA, centreA, dots);
            Assert.That(dotA, Is.EqualTo(dots[0]), $"DotCentredPair first {typeof(T).Name}");
            KMeansKernels.Dots(rowB, centreA, dots);
            Assert.That(dotB, Is.EqualTo(dots[0]), $"DotCentredPair second {typeof(T).Name}");

            KMeansKernels.SquaredDistanceCentredPair<T>(a, b, meanValues, centreA, centreB, out double distA, out double distB);
            Assert.That(distA, Is.EqualTo(KMeansKernels.SquaredDistanceCentred<T>(a, meanValues, centreA)), $"SquaredDistanceCentredPair first {typeof(T).Name}");
            Assert.That(distB, Is.EqualTo(KMeansKernels.SquaredDistanceCentred<T>(b, meanValues, centreB)), $"SquaredDistanceCentredPair second {typeof(T).Name}");
        }
    }

    [TestCase(784)]
    [TestCase(45)]
    [TestCase(23)]
    [TestCase(7)]
    public void PrepareRow_WithAndWithoutFirstCentre_EqualsTheSeparateSweeps(int d)
    {
        // The setup's one-sweep form of its second pass: centred row, column squares, 8-bit levels and their sums, and
        // the first centre's dot must equal the five sweeps bit for bit (they feed the variance, the screens' error
        // bounds and k-means++'s first distances).
        if (!System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported)
        {
            Assert.Ignore("PrepareRow is the AVX-512 path.");
        }

        Random r = new(d + 11);
        float[] x = [.. Enumerable.Range(0, d).Select(_ => (float)((r.NextDouble() * 6) - 2))];
        double[] mean = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 2) - 1)];
        double[] low = [.. Enumerable.Range(0, d).Select(_ => -3 - r.NextDouble())];
        double[] step = [.. low.Select(v => (5 - v) / 255)];
        double[] inverse = [.. step.Select(v => 1 / v)];
        inverse[d / 2] = 0; // a constant column
        double[] first = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 4) - 2)];
        double[] start = [.. Enumerable.Range(0, d).Select(_ => r.NextDouble() * 50)];
        foreach (double[] centre in new[] { first, [] })
        {
            double[] row = new double[d], squares = [.. start];
            byte[] q = new byte[d];
            KMeansKernels.LoadCentred(x, mean, row);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(row, row, squares, squares);
            KMeansSolver<float>.QuantizeSums(row, low, step, inverse, q, out double n2, out double r2);
            double dot = centre.Length == 0 ? 0 : KMeansKernels.Dot(row, centre);

            double[] fusedRow = new double[d], fusedSquares = [.. start];
            byte[] fusedQ = new byte[d];
            KMeansSolver<float>.PrepareRow(x, mean, fusedRow, fusedSquares, low, step, inverse, fusedQ, centre, out double fusedN2, out double fusedR2, out double fusedDot);
            Assert.That(fusedRow, Is.EqualTo(row), "centred row");
            Assert.That(fusedSquares, Is.EqualTo(squares), "squares");
            Assert.That(fusedQ, Is.EqualTo(q), "levels");
            Assert.That((fusedN2, fusedR2), Is.EqualTo((n2, r2)), "sums of squares");
            Assert.That(fusedDot, Is.EqualTo(dot), "first dot");
        }
    }

    [TestCase(784)]
    [TestCase(45)]
    [TestCase(23)]
    [TestCase(7)]
    public void PrepareRowPair_WithAndWithoutFirstCentre_EqualsTwoPrepareRows(int d)
    {
        // The setup's two-row sweep must give each row exactly what PrepareRow gives it, and the column squares exactly
        // what the first row's call and then the second's leave (the same additions in the same order).
        if (!System.Runtime.Intrinsics.X86.Avx512F.VL.IsSupported)
        {
            Assert.Ignore("PrepareRowPair is the AVX-512 path.");
        }

        Random r = new(d + 17);
        float[] xa = [.. Enumerable.Range(0, d).Select(_ => (float)((r.NextDouble() * 6) - 2))];
        float[] xb = [.. Enumerable.Range(0, d).Select(_ => (float)((r.NextDouble() * 6) - 2))];
        double[] mean = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 2) - 1)];
        double[] low = [.. Enumerable.Range(0, d).Select(_ => -3 - r.NextDouble())];
        double[] step = [.. low.Select(v => (5 - v) / 255)];
        double[] inverse = [.. step.Select(v => 1 / v)];
        inverse[d / 2] = 0; // a constant column
        double[] first = [.. Enumerable.Range(0, d).Select(_ => (r.NextDouble() * 4) - 2)];
        double[] start = [.. Enumerable.Range(0, d).Select(_ => r.NextDouble() * 50)];
        foreach (double[] centre in new[] { first, [] })
        {
            double[] rowA = new double[d], rowB = new double[d], squares = [.. start];
            byte[] qa = new byte[d], qb = new byte[d];
            KMeansSolver<float>.PrepareRow(xa, mean, rowA, squares, low, step, inverse, qa, centre, out double n2A, out double r2A, out double dotA);
            KMeansSolver<float>.PrepareRow(xb, mean, rowB, squares, low, step, inverse, qb, centre, out double n2B, out double r2B, out double dotB);

            double[] pairA = new double[d], pairB = new double[d], pairSquares = [.. start];
            byte[] pairQa = new byte[d], pairQb = new byte[d];
            KMeansSolver<float>.PrepareRowPair(xa, xb, mean, pairA, pairB, pairSquares, low, step, inverse, pairQa, pairQb, centre, out KMeansSolver<float>.RowFacts a, out KMeansSolver<float>.RowFacts b);
            Assert.That(pairA, Is.EqualTo(rowA), "centred row a");
            Assert.That(pairB, Is.EqualTo(rowB), "centred row b");
            Assert.That(pairSquares, Is.EqualTo(squares), "squares");
            Assert.That(pairQa, Is.EqualTo(qa), "levels a");
            Assert.That(pairQb, Is.EqualTo(qb), "levels b");
            Assert.That(a, Is.EqualTo(new KMeansSolver<float>.RowFacts(n2A, r2A, dotA)), "row a's sums and dot");
            Assert.That(b, Is.EqualTo(new KMeansSolver<float>.RowFacts(n2B, r2B, dotB)), "row b's sums and dot");
        }
    }
}
