using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

public class SparseRowsTests
{
    // 6 000 × 784 values: above the size from which the scan is split across threads.
    private const int Rows = 6000;

    [Test]
    [Category("Dataset")]
    public void ScanMaxSquaredSum_ParallelOnPixels_EqualsSequentialExactly()
    {
        float[] x = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(Rows));
        double sequential = SparseRows.ScanMaxSquaredSum(new ReadOnlySpan2D<float>(x, Rows, 784), "x");

        double parallel = SparseRows.ScanMaxSquaredSum(new ReadOnlyMemory2D<float>(x, Rows, 784), "x");

        Assert.That(parallel, Is.EqualTo(sequential));
        Assert.That(parallel, Is.GreaterThan(100.0), "pixels/255 rows have squared norms of a few hundred");
    }

    [Test]
    [Category("Dataset")]
    public void ScanMaxSquaredSum_DoubleCopyOfPixels_SameBitsAsFloat()
    {
        float[] x = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(Rows));
        double[] wide = [.. x.Select(v => (double)v)];

        double fromFloat = SparseRows.ScanMaxSquaredSum(new ReadOnlyMemory2D<float>(x, Rows, 784), "x");
        double fromDouble = SparseRows.ScanMaxSquaredSum(new ReadOnlyMemory2D<double>(wide, Rows, 784), "x");

        Assert.That(fromDouble, Is.EqualTo(fromFloat));
    }

    // A bad value in the vector part (column 7) and in the scalar tail (column 9 of 10) of double rows.
    [TestCase(7, double.NaN)]
    [TestCase(7, double.NegativeInfinity)]
    [TestCase(9, double.PositiveInfinity)]
    public void ScanMaxSquaredSum_DoubleRowWithBadValue_ThrowsNamingRowAndColumn(int column, double bad)
    {
        double[] x = new double[3 * 10];
        x[(2 * 10) + column] = bad;

        ArgumentException e = Assert.Throws<ArgumentException>(() => SparseRows.ScanMaxSquaredSum(new ReadOnlySpan2D<double>(x, 3, 10), "x"))!;

        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain($"at row 2, column {column}"));
    }

    [Test]
    public void ScanMaxSquaredSum_ParallelWithTwoBadRows_NamesTheFirst()
    {
        float[] x = new float[Rows * 784];
        x[(5000 * 784) + 3] = float.NaN;
        x[(4000 * 784) + 7] = float.PositiveInfinity;

        ArgumentException e = Assert.Throws<ArgumentException>(() => SparseRows.ScanMaxSquaredSum(new ReadOnlyMemory2D<float>(x, Rows, 784), "x"))!;

        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at row 4000, column 7"));
    }

    [Test]
    public void ScanMaxSquaredSum_UnderOneThreadLimit_SameResult()
    {
        float[] x = new float[Rows * 784];
        x[(123 * 784) + 5] = 3f;
        x[(5999 * 784) + 783] = -4f;
        var pair = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, 1);

        double result = Task.Factory.StartNew(
            () => SparseRows.ScanMaxSquaredSum(new ReadOnlyMemory2D<float>(x, Rows, 784), "x"),
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            pair.ConcurrentScheduler).GetAwaiter().GetResult();
        pair.Complete();

        Assert.That(result, Is.EqualTo(16.0));
    }

    // Rows ~70% zeros (−0 among them): float rows through the vector chunks and the scalar tail, double rows (scalar).
    [TestCase(5)]
    [TestCase(8)]
    [TestCase(37)]
    [TestCase(784)]
    public void Compact_RandomSparseRow_NonZeroColumnsAsScalarDefinition(int length)
    {
        float[] row = RandomSparseValues(length);
        int[] expected = [.. Enumerable.Range(0, length).Where(j => row[j] != 0)];
        int[] nonZero = new int[length + 8];

        int count = SparseRows.Compact<float>(row, nonZero);
        Assert.That(nonZero[..count], Is.EqualTo(expected), "float");

        count = SparseRows.Compact<double>([.. row.Select(v => (double)v)], nonZero);
        Assert.That(nonZero[..count], Is.EqualTo(expected), "double");
    }

    [TestCase(5)]
    [TestCase(8)]
    [TestCase(37)]
    [TestCase(784)]
    public void CompactPair_RandomSparseRows_NonZeroAndOnlyNextAsScalarDefinition(int length)
    {
        float[] both = RandomSparseValues(2 * length);
        float[] current = both[..length];
        float[] next = both[length..];
        int[] expected = [.. Enumerable.Range(0, length).Where(j => next[j] != 0)];
        int[] expectedOnly = [.. expected.Where(j => current[j] == 0)];
        int[] nonZero = new int[length + 16];
        int[] only = new int[length + 16];

        (int c, int o) = SparseRows.CompactPair<float>(current, next, nonZero, only);
        Assert.That(nonZero[..c], Is.EqualTo(expected), "non-zero (float)");
        Assert.That(only[..o], Is.EqualTo(expectedOnly), "only next (float)");

        (c, o) = SparseRows.CompactPair<double>([.. current.Select(v => (double)v)], [.. next.Select(v => (double)v)], nonZero, only);
        Assert.That(nonZero[..c], Is.EqualTo(expected), "non-zero (double)");
        Assert.That(only[..o], Is.EqualTo(expectedOnly), "only next (double)");
    }

    [TestCase(37)]
    [TestCase(784)]
    public void CompactQuad_RandomSparseRows_UnionAndOnlyNextAsScalarDefinition(int length)
    {
        // Random rows ~70% zeros, float (the vector path for whole 16-column chunks, then the scalar tail) and double.
        Random random = new(5);
        float[][] rows = [.. Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, length).Select(_ => random.NextDouble() < 0.7 ? 0f : (float)random.NextDouble()).ToArray())];
        int[] expectedUnion = [.. Enumerable.Range(0, length).Where(j => rows.Skip(4).Any(r => r[j] != 0))];
        int[] expectedOnly = [.. expectedUnion.Where(j => rows.Take(4).All(r => r[j] == 0))];
        int[] union = new int[length + 16];
        int[] only = new int[length + 16];

        RowQuad<float> current = new(rows[0], rows[1], rows[2], rows[3]);
        RowQuad<float> next = new(rows[4], rows[5], rows[6], rows[7]);
        (int u, int o) = SparseRows.CompactQuad(current, next, union, only);
        Assert.That(union[..u], Is.EqualTo(expectedUnion), "union (float)");
        Assert.That(only[..o], Is.EqualTo(expectedOnly), "only next (float)");

        double[][] wide = [.. rows.Select(r => r.Select(v => (double)v).ToArray())];
        (u, o) = SparseRows.CompactQuad(new RowQuad<double>(wide[0], wide[1], wide[2], wide[3]), new RowQuad<double>(wide[4], wide[5], wide[6], wide[7]), union, only);
        Assert.That(union[..u], Is.EqualTo(expectedUnion), "union (double)");
        Assert.That(only[..o], Is.EqualTo(expectedOnly), "only next (double)");
    }

    [TestCase(37)]
    [TestCase(392)]
    [TestCase(784)]
    public void CompactOctet_RandomSparseRows_UnionAndOnlyNextAsScalarDefinition(int length)
    {
        // Random rows ~85% zeros (a column's union over eight rows is then often empty), some of the zeros negative (a
        // zero is a zero whatever its sign); float and double rows. With AVX-512 the scan takes 16-column chunks, then
        // at most one 8-column chunk (392 ends in one), then the scalar tail; without, 8-column chunks and the tail.
        Random random = new(7);
        float[][] rows = [.. Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, length).Select(_ => random.NextDouble() switch
        {
            < 0.8 => 0f,
            < 0.85 => -0f,
            double v => (float)v,
        }).ToArray())];
        int[] expectedUnion = [.. Enumerable.Range(0, length).Where(j => rows.Skip(8).Any(r => r[j] != 0))];
        int[] expectedOnly = [.. expectedUnion.Where(j => rows.Take(8).All(r => r[j] == 0))];
        Assert.That(expectedOnly, Is.Not.Empty, "some columns are new to the next octet");
        Assert.That(expectedUnion, Has.Length.LessThan(length), "some columns are zero in all eight next rows");
        int[] union = new int[length + 16];
        int[] only = new int[length + 16];

        (int u, int o) = SparseRows.CompactOctet(Octet(rows, 0), Octet(rows, 8), union, only);
        Assert.That(union[..u], Is.EqualTo(expectedUnion), "union (float)");
        Assert.That(only[..o], Is.EqualTo(expectedOnly), "only next (float)");

        double[][] wide = [.. rows.Select(r => r.Select(v => (double)v).ToArray())];
        (u, o) = SparseRows.CompactOctet(Octet(wide, 0), Octet(wide, 8), union, only);
        Assert.That(union[..u], Is.EqualTo(expectedUnion), "union (double)");
        Assert.That(only[..o], Is.EqualTo(expectedOnly), "only next (double)");
    }

    [TestCase(37)]
    [TestCase(392)]
    public void CompactOctet_FlagsKeptByThePreviousScan_SameListsAsReadingTheCurrentRows(int length)
    {
        // Five octets scanned in sequence as the split solver does: each scan keeps its next rows' flags, the scan after
        // reads them in place of its current rows (the vector chunks; the scalar tail reads the rows).
        Random random = new(11);
        float[][] rows = [.. Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, length).Select(_ => random.NextDouble() switch
        {
            < 0.8 => 0f,
            < 0.85 => -0f,
            double v => (float)v,
        }).ToArray())];
        int[] union = new int[length + 16];
        int[] only = new int[length + 16];
        int[] expectedUnion = new int[length + 16];
        int[] expectedOnly = new int[length + 16];
        int[] kept = new int[length];
        int[] next = new int[length];
        SparseRows.CompactOctet(Octet(rows, 0), default, Octet(rows, 0), kept, union, only);
        for (int k = 1; k < 5; k++)
        {
            (int u, int o) = SparseRows.CompactOctet(Octet(rows, 8 * (k - 1)), kept, Octet(rows, 8 * k), next, union, only);
            (int eu, int eo) = SparseRows.CompactOctet(Octet(rows, 8 * (k - 1)), Octet(rows, 8 * k), expectedUnion, expectedOnly);
            Assert.That(eo, Is.GreaterThan(0).And.LessThan(eu), "some of the next columns are new, some visited already");
            Assert.That(union[..u], Is.EqualTo(expectedUnion[..eu]), $"union of octet {k}");
            Assert.That(only[..o], Is.EqualTo(expectedOnly[..eo]), $"only next of octet {k}");
            (kept, next) = (next, kept);
        }
    }

    // 37: two pieces on the vector path plus a scalar tail; 64 with a dense current row: a union of exactly two pieces
    // (the last start set inside the scan); 392 and 784: pixel halves and rows. Every fifth column is zero in all the
    // next rows (the columns to leave out); float rows read, float flags kept, double rows.
    [TestCase(37, false)]
    [TestCase(64, true)]
    [TestCase(392, false)]
    [TestCase(784, false)]
    public void CompactOctet_CommonColumns_ListedAndCutByPiecesOfTheCurrentUnionAsScalarDefinition(int length, bool denseCurrentRow)
    {
        Random random = new(17);
        float[][] rows = [.. Enumerable.Range(0, 16).Select(r => Enumerable.Range(0, length).Select(j => random.NextDouble() switch
        {
            _ when r == 0 && denseCurrentRow => 1f,
            _ when r >= 8 && j % 5 == 1 => 0f,
            < 0.7 => 0f,
            < 0.75 => -0f,
            double v => (float)v,
        }).ToArray())];
        int[] currentUnion = [.. Enumerable.Range(0, length).Where(j => rows.Take(8).Any(r => r[j] != 0))];
        int[] expectedCommon = [.. currentUnion.Where(j => rows.Skip(8).Any(r => r[j] != 0))];
        int pieces = (currentUnion.Length + SparseRows.CommonPiece - 1) / SparseRows.CommonPiece;
        int[] expectedStarts = [.. Enumerable.Range(0, pieces + 1).Select(q => currentUnion.Take(q * SparseRows.CommonPiece).Count(expectedCommon.Contains))];
        Assert.That(pieces, Is.GreaterThanOrEqualTo(2), "the union spans several pieces");
        Assert.That(expectedCommon, Has.Length.LessThan(currentUnion.Length), "some current columns are zero in all next rows");
        int[] expectedUnion = new int[length + 16];
        int[] expectedOnly = new int[length + 16];
        (int eu, int eo) = SparseRows.CompactOctet(Octet(rows, 0), Octet(rows, 8), expectedUnion, expectedOnly);

        void Check(string what, Func<int[], int[], int[], int[], (int U, int O)> scan)
        {
            int[] union = new int[length + 16];
            int[] only = new int[length + 16];
            int[] common = new int[length + 16];
            int[] starts = new int[(length / SparseRows.CommonPiece) + 2];
            (int u, int o) = scan(union, only, common, starts);
            Assert.That(union[..u], Is.EqualTo(expectedUnion[..eu]), $"union ({what})");
            Assert.That(only[..o], Is.EqualTo(expectedOnly[..eo]), $"only next ({what})");
            Assert.That(starts[..(pieces + 1)], Is.EqualTo(expectedStarts), $"piece starts ({what})");
            Assert.That(common[..starts[pieces]], Is.EqualTo(expectedCommon), $"common columns ({what})");
        }

        Check("float rows", (union, only, common, starts) =>
            SparseRows.CompactOctet(Octet(rows, 0), default, Octet(rows, 8), default, union, only, common, starts));
        Check("float kept flags", (union, only, common, starts) =>
        {
            int[] kept = new int[length];
            SparseRows.CompactOctet(Octet(rows, 0), default, Octet(rows, 0), kept, union, only);
            return SparseRows.CompactOctet(Octet(rows, 0), kept, Octet(rows, 8), new int[length], union, only, common, starts);
        });
        double[][] wide = [.. rows.Select(r => r.Select(v => (double)v).ToArray())];
        Check("double rows", (union, only, common, starts) =>
            SparseRows.CompactOctet(Octet(wide, 0), default, Octet(wide, 8), default, union, only, common, starts));
    }

    // Rows laid out in one array (as a matrix's are), their first column at each of the 16 float offsets within a cache
    // line, and lengths below, at and around whole vectors: three octets in sequence with kept flags (vector chunks,
    // scalar tail) against the scalar definition of all four lists.
    [TestCase(15)]
    [TestCase(16)]
    [TestCase(21)]
    [TestCase(37)]
    [TestCase(392)]
    public void CompactOctet_RowsAtEveryOffsetWithinALine_SameListsAsScalarDefinition(int length) =>
        AssertCompactOctetAtEveryOffset(RandomSparseValues(24 * (length + 16)), length);

    [TestCase(15)]
    [TestCase(16)]
    [TestCase(21)]
    [TestCase(37)]
    [TestCase(392)]
    public void CompactOctet_DoubleRowsAtEveryOffset_SameListsAsScalarDefinition(int length) =>
        AssertCompactOctetAtEveryOffset([.. RandomSparseValues(24 * (length + 16)).Select(v => (double)v)], length);

    [TestCase(15)]
    [TestCase(16)]
    [TestCase(21)]
    [TestCase(37)]
    [TestCase(392)]
    public void CompactOctet_ByteRowsAtEveryOffset_SameListsAsScalarDefinition(int length)
    {
        Random random = new(29);
        byte[] values = [.. Enumerable.Range(0, 24 * (length + 16)).Select(_ => random.NextDouble() < 0.7 ? (byte)0 : (byte)random.Next(1, 256))];
        AssertCompactOctetAtEveryOffset(values, length);
    }

    // Byte rows: the squares of integers up to 255 summed exactly (in integers), whatever the row's length (vector
    // steps, 64-bit totals every 2 048 steps, scalar tail); equal to the float scan of the same integers (exact too).
    [TestCase(7)]
    [TestCase(784)]
    [TestCase(70_001)]
    public void ScanMaxSquaredSum_ByteRows_ExactSumOfSquares(int length)
    {
        Random random = new(31);
        byte[] values = [.. Enumerable.Range(0, 3 * length).Select(_ => (byte)random.Next(0, 256))];
        values.AsSpan(length, length).Fill(255);
        long expected = 0;
        for (int j = 0; j < length; j++)
        {
            expected += 255 * 255;
        }

        double bytes = SparseRows.ScanMaxSquaredSum(new ReadOnlySpan2D<byte>(values, 3, length), "x");
        double floats = SparseRows.ScanMaxSquaredSum(new ReadOnlySpan2D<float>([.. values.Select(v => (float)v)], 3, length), "x");

        Assert.That(bytes, Is.EqualTo((double)expected), "the all-255 row is the largest");
        Assert.That(floats, Is.EqualTo(bytes), "float rows of the same integers");
    }

    // 70% +0, 5% −0 (zero too), the rest non-zero.
    private static float[] RandomSparseValues(int count)
    {
        Random random = new(23);
        return [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() switch
        {
            < 0.7 => 0f,
            < 0.75 => -0f,
            double v => (float)v,
        })];
    }

    // Three octets of rows cut from one array at each of 16 element offsets (every position within a 64-byte line for
    // floats), their lists checked against the definitions, the kept flags carried from octet to octet.
    private static void AssertCompactOctetAtEveryOffset<T>(T[] values, int length)
        where T : unmanaged, IEquatable<T>
    {
        for (int offset = 0; offset < 16; offset++)
        {
            int stride = length + 16;
            T[] Row(int r) => values.AsSpan((r * stride) + offset, length).ToArray();
            RowOctet<T> InPlace(int first) => new(
                values.AsSpan((first * stride) + offset, length), values.AsSpan(((first + 1) * stride) + offset, length),
                values.AsSpan(((first + 2) * stride) + offset, length), values.AsSpan(((first + 3) * stride) + offset, length),
                values.AsSpan(((first + 4) * stride) + offset, length), values.AsSpan(((first + 5) * stride) + offset, length),
                values.AsSpan(((first + 6) * stride) + offset, length), values.AsSpan(((first + 7) * stride) + offset, length));
            bool NonZero(T v) => SagKernels.Value<T>([v], 0) != 0;
            int[] kept = new int[length];
            int[] next = new int[length];
            int[] union = new int[length + 16];
            int[] only = new int[length + 16];
            SparseRows.CompactOctet(InPlace(0), default, InPlace(0), kept, union, only);
            for (int k = 1; k < 3; k++)
            {
                T[][] current = [.. Enumerable.Range(8 * (k - 1), 8).Select(Row)];
                T[][] coming = [.. Enumerable.Range(8 * k, 8).Select(Row)];
                int[] currentUnion = [.. Enumerable.Range(0, length).Where(j => current.Any(r => NonZero(r[j])))];
                int[] expectedUnion = [.. Enumerable.Range(0, length).Where(j => coming.Any(r => NonZero(r[j])))];
                int[] expectedOnly = [.. expectedUnion.Where(j => !currentUnion.Contains(j))];
                int[] expectedCommon = [.. currentUnion.Where(expectedUnion.Contains)];
                int pieces = (currentUnion.Length + SparseRows.CommonPiece - 1) / SparseRows.CommonPiece;
                int[] expectedStarts = [.. Enumerable.Range(0, pieces + 1).Select(q => currentUnion.Take(q * SparseRows.CommonPiece).Count(expectedCommon.Contains))];
                int[] common = new int[length + 16];
                int[] starts = new int[(length / SparseRows.CommonPiece) + 2];

                (int u, int o) = SparseRows.CompactOctet(InPlace(8 * (k - 1)), kept, InPlace(8 * k), next, union, only, common, starts);

                string at = $"offset {offset}, octet {k}";
                Assert.That(union[..u], Is.EqualTo(expectedUnion), $"union ({at})");
                Assert.That(only[..o], Is.EqualTo(expectedOnly), $"only next ({at})");
                Assert.That(starts[..(pieces + 1)], Is.EqualTo(expectedStarts), $"piece starts ({at})");
                Assert.That(common[..starts[pieces]], Is.EqualTo(expectedCommon), $"common columns ({at})");
                (kept, next) = (next, kept);
            }
        }
    }

    [Test]
    public void CompactOctet_FlagsShorterThanTheRows_ThrowsNamingTheFlags()
    {
        float[][] rows = [.. Enumerable.Range(0, 8).Select(_ => new float[32])];
        int[] union = new int[48];
        int[] only = new int[48];
        int[] flags = new int[31];

        ArgumentException e = Assert.Throws<ArgumentException>(() => SparseRows.CompactOctet(Octet(rows, 0), default, Octet(rows, 0), flags, union, only))!;
        Assert.That(e.ParamName, Is.EqualTo("nextPresent"));
    }

    internal static RowOctet<T> Octet<T>(T[][] rows, int first)
        where T : unmanaged =>
        new(rows[first], rows[first + 1], rows[first + 2], rows[first + 3], rows[first + 4], rows[first + 5], rows[first + 6], rows[first + 7]);
}
