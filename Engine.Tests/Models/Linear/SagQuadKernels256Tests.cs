using System.Runtime.Intrinsics.X86;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The quad passes for machines without AVX-512 (<c>SagLaneQuadKernels.Avx2.cs</c>), called directly so that every
/// machine with AVX2 tests them, against one step and one FMA at a time.
/// </summary>
public class SagQuadKernels256Tests
{
    private const int Features = 300;

    // 0 and 1 non-zeros are the edge cases; 201 ends the update's pairs of features with a last one.
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(200)]
    [TestCase(201)]
    public void Passes256_RandomBlocks_FourSingleStepsThenOneFmaPerFeature(int nonZeros)
    {
        Assume.That(Avx2.IsSupported && Fma.IsSupported, "needs AVX2 and FMA");
        Random random = new(nonZeros + 3);
        float[][] rows = [.. Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, Features).Select(_ => random.Next(2) == 0 ? 0f : (float)random.NextDouble()).ToArray())];
        RowQuad<float> x = new(rows[0], rows[1], rows[2], rows[3]);
        RowQuad<float> y = new(rows[4], rows[5], rows[6], rows[7]);
        int[] nz = [.. Enumerable.Range(0, Features).OrderBy(_ => random.Next()).Take(nonZeros).Order()];
        double[] start = [.. Enumerable.Range(0, Features * SagLaneKernels.Block).Select(_ => random.NextDouble() - 0.5)];
        SagLanes[] coef = [.. Enumerable.Range(0, 4).Select(_ => SagOctetKernelsTests.RandomLanes(random))];
        SagLanes[] delta = [.. Enumerable.Range(0, 4).Select(_ => SagOctetKernelsTests.RandomLanes(random))];
        SagLaneQuadKernels.Steps steps = new()
        {
            Coef0 = coef[0],
            Delta0 = delta[0],
            Coef1 = coef[1],
            Delta1 = delta[1],
            Coef2 = coef[2],
            Delta2 = delta[2],
            Coef3 = coef[3],
            Delta3 = delta[3],
        };

        // Reference: the one-step kernel four times, then x·U and x·A one FMA per feature in union order, per lane.
        double[] single = (double[])start.Clone();
        for (int r = 0; r < 4; r++)
        {
            SagLaneKernels.Update<float>(nz, rows[r], ref single[0], coef[r], delta[r]);
        }

        // A partial sum first (the dot pass over the features only the next quad has), from the start weights.
        SagLaneQuadKernels.Accumulators partial = default;
        SagLaneQuadKernels.Dot256(nz.Length > 0 ? nz[..1] : nz, y, ref start[0], ref partial);

        double[] fused = (double[])start.Clone();
        SagLaneQuadKernels.Accumulators acc = partial;
        SagLaneQuadKernels.UpdateDot256(nz, x, y, ref fused[0], steps, ref acc);
        double[] alone = (double[])start.Clone();
        SagLaneQuadKernels.Update256(nz, x, ref alone[0], steps);

        Assert.That(fused, Is.EqualTo(single), "fused pass's weights vs four single steps");
        Assert.That(alone, Is.EqualTo(single), "update's weights vs four single steps");
        if (nonZeros > 0)
        {
            Assert.That(fused, Is.Not.EqualTo(start), "the update changed the weights");
        }

        SagOctetKernelsTests.AssertOneFmaPerFeature(4, partial.Reduce, acc.Reduce, rows[4..], nz, single);
    }
}
