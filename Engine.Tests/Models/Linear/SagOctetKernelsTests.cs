using System.Runtime.InteropServices;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The eight-steps-per-pass kernels of the two-thread split (<see cref="SagLaneOctetKernels"/>) against one step at a time.</summary>
public class SagOctetKernelsTests
{
    private const int Features = 300;

    // Marks buffer slots no pass may write.
    private const double Untouched = -7.0;

    // 300 features: the fused pass runs four chunks of 64 and a short one (pieces of 32 within); 0 and 1 non-zeros
    // are the edge cases. With rows ahead the pass also prefetches them (which must not change a bit). The current
    // octet's rows are read from the buffer at the union's features; the dot products leave the next octet's there,
    // at every feature of the union (what the next round's update reads) and nowhere else.
    [TestCase(0, false)]
    [TestCase(1, false)]
    [TestCase(57, false)]
    [TestCase(300, false)]
    [TestCase(0, true)]
    [TestCase(57, true)]
    [TestCase(300, true)]
    public void UpdateDotWide_RandomBlocks_UpdatesAsEightSingleStepsThenDotsOfUpdatedBlocksAndWidensNextRows(int nonZeros, bool rowsAhead)
    {
        Random random = new(11);
        float[][] rows = RandomRows(random, 16);
        RowOctet<float> y = SparseRowsTests.Octet(rows, 8);
        int[] nz = [.. Enumerable.Range(0, Features).OrderBy(_ => random.Next()).Take(nonZeros).Order()];
        double[] start = [.. Enumerable.Range(0, Features * SagLaneKernels.Block).Select(_ => random.NextDouble() - 0.5)];
        double[] factors = [.. Enumerable.Range(0, 8).Select(_ => random.NextDouble() - 0.5)];
        SagLanes[] delta = [.. Enumerable.Range(0, 8).Select(_ => RandomLanes(random))];
        SagLanes[] coef = [.. Enumerable.Range(0, 8).Select(r => factors[r] * delta[r])];
        SagLaneOctetKernels.Coefficients k = Coefficients(factors, delta);
        double[] wide = Widened(rows, 0, nz);

        // The fused pass, from accumulators that already hold a partial sum (as after the dot pass over the features
        // only the next octet has; its own widened values go to a scratch buffer here).
        double[] fused = (double[])start.Clone();
        SagLaneOctetKernels.Accumulators acc = default;
        double[] scratch = new double[8 * Features];
        SagLaneOctetKernels.DotWiden(nz, y, ref fused[0], ref acc, ref scratch[0]);
        SagLaneOctetKernels.Accumulators before = acc;
        RowOctet<float> ahead = rowsAhead ? SparseRowsTests.Octet(RandomRows(random, 8), 0) : default;
        SagLaneOctetKernels.UpdateDotWide(nz, ref wide[0], y, ahead, ref fused[0], k, ref acc, default, default);

        // Reference: step r's update alone (the one-step kernel), r = 0 … 7, which must give the same roundings.
        double[] single = (double[])start.Clone();
        for (int r = 0; r < 8; r++)
        {
            SagLaneKernels.Update<float>(nz, rows[r], ref single[0], coef[r], delta[r]);
        }

        Assert.That(fused, Is.EqualTo(single), "weights after the fused pass vs eight single steps");
        if (nonZeros > 0)
        {
            Assert.That(fused, Is.Not.EqualTo(start), "the update changed the weights");
        }

        // The dot products: the partial sums plus y_r·(updated block) per feature, against a plain double sum (summation
        // order differs: a few ulp of the sum of magnitudes).
        for (int r = 0; r < 8; r++)
        {
            (SagLanes u0, SagLanes a0) = before.Reduce(r);
            (SagLanes u, SagLanes a) = acc.Reduce(r);
            for (int lane = 0; lane < 10; lane++)
            {
                double expectedU = u0[lane];
                double expectedA = a0[lane];
                double magnitude = Math.Abs(expectedU) + Math.Abs(expectedA);
                foreach (int j in nz)
                {
                    expectedU += rows[8 + r][j] * SagLaneKernels.U(ref single[0], j, lane);
                    expectedA += rows[8 + r][j] * SagLaneKernels.A(ref single[0], j, lane);
                    magnitude += Math.Abs(rows[8 + r][j]) * (Math.Abs(SagLaneKernels.U(ref single[0], j, lane)) + Math.Abs(SagLaneKernels.A(ref single[0], j, lane)));
                }

                Assert.That(u[lane], Is.EqualTo(expectedU).Within(1e-14 * magnitude), $"y{r}·U lane {lane}");
                Assert.That(a[lane], Is.EqualTo(expectedA).Within(1e-14 * magnitude), $"y{r}·A lane {lane}");
            }

            Assert.That(u[10] == 0 && u[11] == 0 && a[10] == 0 && a[11] == 0, $"padding lanes of sample {r} stay zero");
        }

        Assert.That(wide, Is.EqualTo(Widened(rows, 8, nz)), "the buffer holds the next rows over the union, nothing elsewhere");
    }

    // The dot products over only the features where a next row is non-zero (cut by pieces of the union as
    // SparseRows.CompactOctet lists them) against all of the union: the left-out terms are ±0, so the same bits, from
    // zero accumulators and from a partial sum alike; the next rows are widened at the listed features.
    [TestCase(57, false)]
    [TestCase(300, false)]
    [TestCase(300, true)]
    public void UpdateDotWide_OverCommonFeatures_SameBitsAsOverTheWholeUnion(int nonZeros, bool partialSum)
    {
        Random random = new(14);
        float[][] rows = RandomRows(random, 16);
        for (int r = 8; r < 16; r++)
        {
            for (int j = 0; j < Features; j += 4)
            {
                rows[r][j] = r == 9 ? -0f : 0f;
            }
        }

        int[] nz = [.. Enumerable.Range(0, Features).OrderBy(_ => random.Next()).Take(nonZeros).Order()];
        int[] common = [.. nz.Where(j => rows.Skip(8).Any(r => r[j] != 0))];
        int pieces = (nz.Length + SparseRows.CommonPiece - 1) / SparseRows.CommonPiece;
        int[] starts = [.. Enumerable.Range(0, pieces + 1).Select(q => nz.Take(q * SparseRows.CommonPiece).Count(common.Contains))];
        Assert.That(common, Has.Length.LessThan(nz.Length), "some features are left out");
        double[] start = [.. Enumerable.Range(0, Features * SagLaneKernels.Block).Select(_ => random.NextDouble() - 0.5)];
        SagLaneOctetKernels.Coefficients k = Coefficients(
            [.. Enumerable.Range(0, 8).Select(_ => random.NextDouble() - 0.5)], [.. Enumerable.Range(0, 8).Select(_ => RandomLanes(random))]);

        double[] whole = (double[])start.Clone();
        double[] listed = (double[])start.Clone();
        double[] wideWhole = Widened(rows, 0, nz);
        double[] wideListed = Widened(rows, 0, nz);
        SagLaneOctetKernels.Accumulators accWhole = default;
        if (partialSum)
        {
            double[] scratch = new double[8 * Features];
            SagLaneOctetKernels.DotWiden(nz[..5], SparseRowsTests.Octet(rows, 8), ref whole[0], ref accWhole, ref scratch[0]);
        }

        SagLaneOctetKernels.Accumulators accListed = accWhole;
        RowOctet<float> ahead = SparseRowsTests.Octet(RandomRows(random, 8), 0);
        SagLaneOctetKernels.UpdateDotWide(nz, ref wideWhole[0], SparseRowsTests.Octet(rows, 8), ahead, ref whole[0], k, ref accWhole, default, default);
        SagLaneOctetKernels.UpdateDotWide(nz, ref wideListed[0], SparseRowsTests.Octet(rows, 8), ahead, ref listed[0], k, ref accListed, common, starts);

        Assert.That(listed, Is.EqualTo(whole), "weights");
        for (int r = 0; r < 8; r++)
        {
            (SagLanes u, SagLanes a) = accListed.Reduce(r);
            (SagLanes eu, SagLanes ea) = accWhole.Reduce(r);
            for (int lane = 0; lane < SagLanes.Count; lane++)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(u[lane]), Is.EqualTo(BitConverter.DoubleToInt64Bits(eu[lane])), $"y{r}·U lane {lane}");
                Assert.That(BitConverter.DoubleToInt64Bits(a[lane]), Is.EqualTo(BitConverter.DoubleToInt64Bits(ea[lane])), $"y{r}·A lane {lane}");
            }
        }

        double[] next = Widened(rows, 8, common);
        foreach (int j in common)
        {
            Assert.That(wideListed.AsSpan(8 * j, 8).ToArray(), Is.EqualTo(next.AsSpan(8 * j, 8).ToArray()), $"next rows widened at common feature {j}");
        }
    }

    // The last octet of an epoch (no next octet): its update alone from the buffer, over an odd and an even number of
    // features, against eight single steps and the fused pass.
    [TestCase(299)]
    [TestCase(300)]
    public void UpdateWide_RandomBlocks_UpdatesAsEightSingleStepsAndAsFusedPass(int nonZeros)
    {
        Random random = new(15);
        float[][] rows = RandomRows(random, 16);
        int[] nz = [.. Enumerable.Range(0, Features).Where(j => j % 7 != 3).Take(nonZeros)];
        double[] start = [.. Enumerable.Range(0, Features * SagLaneKernels.Block).Select(_ => random.NextDouble() - 0.5)];
        double[] factors = [.. Enumerable.Range(0, 8).Select(_ => random.NextDouble() - 0.5)];
        SagLanes[] delta = [.. Enumerable.Range(0, 8).Select(_ => RandomLanes(random))];
        SagLanes[] coef = [.. Enumerable.Range(0, 8).Select(r => factors[r] * delta[r])];
        SagLaneOctetKernels.Coefficients k = Coefficients(factors, delta);

        double[] alone = (double[])start.Clone();
        SagLaneOctetKernels.UpdateWide(nz, ref Widened(rows, 0, nz)[0], ref alone[0], k);
        double[] fused = (double[])start.Clone();
        SagLaneOctetKernels.Accumulators acc = default;
        SagLaneOctetKernels.UpdateDotWide(
            nz, ref Widened(rows, 0, nz)[0], SparseRowsTests.Octet(rows, 8), SparseRowsTests.Octet(rows, 8), ref fused[0], k, ref acc, default, default);
        double[] single = (double[])start.Clone();
        for (int r = 0; r < 8; r++)
        {
            SagLaneKernels.Update<float>(nz, rows[r], ref single[0], coef[r], delta[r]);
        }

        Assert.That(alone, Is.EqualTo(single), "vs eight single steps");
        Assert.That(alone, Is.EqualTo(fused), "vs the fused pass");
    }

    // The 256-bit passes (what machines without AVX-512 run; here called directly, so that every machine with AVX2
    // tests them): each accumulator lane is its start value plus x·U (x·A) per feature in union order, one FMA each,
    // exactly; the update is eight single steps exactly. 299 features: the update's pairs of features and a last one.
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(299)]
    [TestCase(300)]
    public void Passes256_RandomBlocks_SameBitsAsOneFmaPerFeatureAndEightSingleSteps(int nonZeros)
    {
        Assume.That(System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported, "needs AVX2 and FMA");
        Random random = new(16);
        float[][] rows = RandomRows(random, 16);
        int[] nz = [.. Enumerable.Range(0, Features).OrderBy(_ => random.Next()).Take(nonZeros).Order()];
        double[] start = [.. Enumerable.Range(0, Features * SagLaneKernels.Block).Select(_ => random.NextDouble() - 0.5)];
        double[] factors = [.. Enumerable.Range(0, 8).Select(_ => random.NextDouble() - 0.5)];
        SagLanes[] delta = [.. Enumerable.Range(0, 8).Select(_ => RandomLanes(random))];
        SagLanes[] coef = [.. Enumerable.Range(0, 8).Select(r => factors[r] * delta[r])];

        double[] updated = (double[])start.Clone();
        SagLaneOctetKernels.UpdateWide256(nz, ref Widened(rows, 0, nz)[0], ref updated[0], Coefficients(factors, delta));
        double[] single = (double[])start.Clone();
        for (int r = 0; r < 8; r++)
        {
            SagLaneKernels.Update<float>(nz, rows[r], ref single[0], coef[r], delta[r]);
        }

        Assert.That(updated, Is.EqualTo(single), "update vs eight single steps");
        if (nonZeros > 0)
        {
            Assert.That(updated, Is.Not.EqualTo(start), "the update changed the weights");
        }

        // Dot products from a partial sum (lanes 10 and 11 of the tail hold no lane, so they start and stay zero).
        SagLaneOctetKernels.Accumulators acc = default;
        double[] scratch = new double[8 * Features];
        SagLaneOctetKernels.DotWiden256(nz.Length > 0 ? nz[..1] : nz, SparseRowsTests.Octet(rows, 0), ref start[0], ref acc, ref scratch[0]);
        SagLaneOctetKernels.Accumulators before = acc;
        double[] wide = new double[8 * Features];
        Array.Fill(wide, Untouched);
        SagLaneOctetKernels.DotWiden256(nz, SparseRowsTests.Octet(rows, 8), ref updated[0], ref acc, ref wide[0]);
        AssertOneFmaPerFeature(8, before.Reduce, acc.Reduce, rows[8..], nz, updated);
        Assert.That(wide, Is.EqualTo(Widened(rows, 8, nz)), "the buffer holds the next rows over the union, nothing elsewhere");
    }

    /// <summary>
    /// Each sample r's accumulator lanes 0–9 are its value <paramref name="before"/> plus rows[r]·U (·A) over
    /// <paramref name="nz"/> in order, one FMA per feature, bit for bit (the 256-bit passes' contract).
    /// </summary>
    internal static void AssertOneFmaPerFeature(
        int samples, Func<int, (SagLanes U, SagLanes A)> before, Func<int, (SagLanes U, SagLanes A)> after, float[][] rows, int[] nz, double[] weights)
    {
        for (int r = 0; r < samples; r++)
        {
            (SagLanes u0, SagLanes a0) = before(r);
            (SagLanes u, SagLanes a) = after(r);
            for (int lane = 0; lane < 10; lane++)
            {
                double expectedU = u0[lane];
                double expectedA = a0[lane];
                foreach (int j in nz)
                {
                    expectedU = Math.FusedMultiplyAdd(rows[r][j], SagLaneKernels.U(ref weights[0], j, lane), expectedU);
                    expectedA = Math.FusedMultiplyAdd(rows[r][j], SagLaneKernels.A(ref weights[0], j, lane), expectedA);
                }

                Assert.That(BitConverter.DoubleToInt64Bits(u[lane]), Is.EqualTo(BitConverter.DoubleToInt64Bits(expectedU)), $"y{r}·U lane {lane}");
                Assert.That(BitConverter.DoubleToInt64Bits(a[lane]), Is.EqualTo(BitConverter.DoubleToInt64Bits(expectedA)), $"y{r}·A lane {lane}");
            }
        }
    }

    // A pixel half row (392 floats, 1568 bytes) spans 25 lines from a line boundary or 32 bytes past one, 26 from 48
    // bytes past one; an empty row none.
    [TestCase(0, 392, 25)]
    [TestCase(8, 392, 25)]
    [TestCase(12, 392, 26)]
    [TestCase(15, 1, 1)]
    [TestCase(15, 2, 2)]
    [TestCase(3, 0, 0)]
    public void Lines_RowAtOffsetFromLineBoundary_CountsLinesTouched(int offsetFloats, int length, int expected)
    {
        float[] data = GC.AllocateArray<float>(512, pinned: true);
        int aligned = Aligned(data);
        Assert.That(SagLaneOctetKernels.Lines<float>(data.AsSpan(aligned + offsetFloats, length)), Is.EqualTo(expected));
    }

    // Floats to skip so the rest of a pinned array starts on a 64-byte boundary.
    private static int Aligned(float[] pinned)
    {
        GCHandle handle = GCHandle.Alloc(pinned, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject();
        handle.Free();
        return (int)((64 - (address & 63)) & 63) / sizeof(float);
    }

    // 392: the width of a pixel half (49 whole vectors); 37: a scalar tail after four vectors.
    [TestCase(392)]
    [TestCase(37)]
    public void Gram_RandomRows_AllPairsInLayoutFloatAndDoubleAlike(int length)
    {
        Random random = new(13);
        float[][] rows = [.. Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, length).Select(_ => random.NextDouble() < 0.5 ? 0f : (float)random.NextDouble()).ToArray())];
        double[][] wide = [.. rows.Select(r => r.Select(v => (double)v).ToArray())];
        double[] g = new double[SagLaneOctetKernels.Grams];
        double[] gd = new double[SagLaneOctetKernels.Grams];

        SagLaneOctetKernels.Gram(SparseRowsTests.Octet(rows, 0), g);
        SagLaneOctetKernels.Gram(SparseRowsTests.Octet(wide, 0), gd);

        Assert.That(gd, Is.EqualTo(g), "float rows widen exactly: the same bits as double rows");
        for (int r = 1; r < 8; r++)
        {
            for (int q = 0; q < r; q++)
            {
                // Products of floats are exact in double; only the summation order differs from a plain loop.
                double expected = 0.0;
                double magnitude = 0.0;
                for (int j = 0; j < length; j++)
                {
                    expected += (double)rows[r][j] * rows[q][j];
                    magnitude += Math.Abs((double)rows[r][j] * rows[q][j]);
                }

                Assert.That(g[(r * (r - 1) / 2) + q], Is.EqualTo(expected).Within(1e-14 * magnitude), $"x{r}·x{q}");
            }
        }
    }

    // The 256-bit passes (machines without AVX-512) against the 512-bit loops (emulated where AVX-512 is missing):
    // the same bits, on double rows whose products round (so an FMA or a summation order that differs shows) and on
    // float rows; 7: the scalar tail alone.
    [TestCase(392)]
    [TestCase(37)]
    [TestCase(7)]
    public void Gram_256BitPasses_SameBitsAs512BitLoops(int length)
    {
        Assume.That(System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported, "needs AVX2 and FMA");
        Random random = new(19);
        double[][] rows = [.. Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, length).Select(_ => random.NextDouble() < 0.3 ? 0.0 : random.NextDouble() - 0.5).ToArray())];
        float[][] narrow = [.. rows.Select(r => r.Select(v => (float)v).ToArray())];
        double[] g256 = new double[SagLaneOctetKernels.Grams];
        double[] g512 = new double[SagLaneOctetKernels.Grams];

        SagLaneOctetKernels.Gram(SparseRowsTests.Octet(rows, 0), g256, use256: true);
        SagLaneOctetKernels.Gram(SparseRowsTests.Octet(rows, 0), g512, use256: false);
        Assert.That(g256.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(g512.Select(BitConverter.DoubleToInt64Bits)), "double rows");
        Assert.That(g256, Has.None.EqualTo(0.0), "every product is filled in");

        SagLaneOctetKernels.Gram(SparseRowsTests.Octet(narrow, 0), g256, use256: true);
        SagLaneOctetKernels.Gram(SparseRowsTests.Octet(narrow, 0), g512, use256: false);
        Assert.That(g256.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(g512.Select(BitConverter.DoubleToInt64Bits)), "float rows");
    }

    // Byte rows: every product exact in integers, so each vector width (512, 256, none) gives the exact products, and
    // the double passes over float rows of the same integers (exact too) the same values. 784: a pixel row; 37 and 7:
    // scalar tails; 40 000: more than one of the vector loops' chunks (the all-255 rows sum to about half the 32-bit
    // lanes' limit per chunk: a chunk twice as long would overflow).
    [TestCase(784)]
    [TestCase(392)]
    [TestCase(37)]
    [TestCase(7)]
    [TestCase(40_000)]
    public void GramBytes_EveryVectorWidth_ExactProductsAsFloatRowsOfTheSameIntegers(int length)
    {
        Random random = new(37);
        byte[][] rows = [.. Enumerable.Range(0, 8).Select(r => Enumerable.Range(0, length).Select(_ => r < 2 ? (byte)255 : random.NextDouble() < 0.5 ? (byte)0 : (byte)random.Next(1, 256)).ToArray())];
        float[][] floats = [.. rows.Select(r => r.Select(v => (float)v).ToArray())];
        double[] expected = new double[SagLaneOctetKernels.Grams];
        for (int r = 1; r < 8; r++)
        {
            for (int q = 0; q < r; q++)
            {
                long sum = 0;
                for (int j = 0; j < length; j++)
                {
                    sum += rows[r][j] * rows[q][j];
                }

                expected[(r * (r - 1) / 2) + q] = sum;
            }
        }

        foreach (int bits in new[] { 512, 256, 0 })
        {
            double[] g = new double[SagLaneOctetKernels.Grams];
            SagLaneOctetKernels.GramBytes(SparseRowsTests.Octet(rows, 0), g, bits);
            Assert.That(g, Is.EqualTo(expected), $"{bits}-bit vectors");
        }

        double[] viaGram = new double[SagLaneOctetKernels.Grams];
        SagLaneOctetKernels.Gram(SparseRowsTests.Octet(rows, 0), viaGram);
        Assert.That(viaGram, Is.EqualTo(expected), "Gram on byte rows");
        if (length < 1000)
        {
            double[] fromFloats = new double[SagLaneOctetKernels.Grams];
            SagLaneOctetKernels.Gram(SparseRowsTests.Octet(floats, 0), fromFloats);
            Assert.That(fromFloats, Is.EqualTo(expected), "float rows of the same integers");
        }
    }

    // The dot-product pass on byte rows (each value a broadcast load from a table of 0 … 255) against float rows of the
    // same integers: the same doubles, so the same bits, in the 512-bit loop and the 256-bit one.
    [TestCase(false)]
    [TestCase(true)]
    public void DotWiden_ByteRows_SameBitsAsFloatRowsOfTheSameIntegers(bool use256)
    {
        Assume.That(!use256 || (System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported), "needs AVX2 and FMA");
        Random random = new(41);
        byte[][] rows = [.. Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, Features).Select(_ => random.NextDouble() < 0.5 ? (byte)0 : (byte)random.Next(1, 256)).ToArray())];
        float[][] floats = [.. rows.Select(r => r.Select(v => (float)v).ToArray())];
        int[] nz = [.. Enumerable.Range(0, Features).Where(j => j % 3 != 1)];
        double[] weights = [.. Enumerable.Range(0, Features * SagLaneKernels.Block).Select(_ => random.NextDouble() - 0.5)];
        SagLaneOctetKernels.Accumulators fromBytes = default, fromFloats = default;
        double[] wideBytes = new double[8 * Features];
        double[] wideFloats = new double[8 * Features];

        if (use256)
        {
            SagLaneOctetKernels.DotWiden256(nz, SparseRowsTests.Octet(rows, 0), ref weights[0], ref fromBytes, ref wideBytes[0]);
            SagLaneOctetKernels.DotWiden256(nz, SparseRowsTests.Octet(floats, 0), ref weights[0], ref fromFloats, ref wideFloats[0]);
        }
        else
        {
            SagLaneOctetKernels.DotWiden(nz, SparseRowsTests.Octet(rows, 0), ref weights[0], ref fromBytes, ref wideBytes[0]);
            SagLaneOctetKernels.DotWiden(nz, SparseRowsTests.Octet(floats, 0), ref weights[0], ref fromFloats, ref wideFloats[0]);
        }

        Assert.That(wideBytes, Is.EqualTo(wideFloats), "the widened values");
        for (int r = 0; r < 8; r++)
        {
            (SagLanes ub, SagLanes ab) = fromBytes.Reduce(r);
            (SagLanes uf, SagLanes af) = fromFloats.Reduce(r);
            for (int lane = 0; lane < 10; lane++)
            {
                Assert.That(ub[lane], Is.EqualTo(uf[lane]), $"y{r}·U lane {lane}");
                Assert.That(ab[lane], Is.EqualTo(af[lane]), $"y{r}·A lane {lane}");
            }
        }

        Assert.That(wideBytes, Has.Some.Not.EqualTo(0.0), "the pass read the rows");
    }

    [Test]
    public void Gram_ShortDestination_Throws() =>
        Assert.Throws<ArgumentException>(() =>
        {
            float[][] rows = [.. Enumerable.Range(0, 8).Select(_ => new float[16])];
            SagLaneOctetKernels.Gram(SparseRowsTests.Octet(rows, 0), new double[27]);
        });

    // Rows first … first+7 as the passes keep them (feature j's eight at 8j … 8j+7) at the features listed, Untouched elsewhere.
    private static double[] Widened(float[][] rows, int first, int[] features)
    {
        double[] wide = [.. Enumerable.Repeat(Untouched, 8 * Features)];
        foreach (int j in features)
        {
            for (int r = 0; r < 8; r++)
            {
                wide[(8 * j) + r] = rows[first + r][j];
            }
        }

        return wide;
    }

    // The steps' δs and factors, each coef being factor·δ (formed by the kernels).
    private static SagLaneOctetKernels.Coefficients Coefficients(double[] factors, SagLanes[] delta)
    {
        SagLaneOctetKernels.Coefficients k = default;
        for (int r = 0; r < 8; r++)
        {
            k.Set(r, delta[r], factors[r]);
        }

        return k;
    }

    private static float[][] RandomRows(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Features).Select(_ => random.NextDouble() < 0.5 ? 0f : (float)random.NextDouble()).ToArray())];

    // Ten random lanes in [−0.5, 0.5), the padding zero.
    internal static SagLanes RandomLanes(Random random)
    {
        double[] v = new double[SagLanes.Count];
        for (int c = 0; c < 10; c++)
        {
            v[c] = random.NextDouble() - 0.5;
        }

        return SagLanes.Load(ref v[0]);
    }
}
