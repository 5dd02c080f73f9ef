using System.Runtime.Intrinsics;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The lane reductions of the softmax in the SAGA scalar chain (<see cref="SagLanes"/>) and the row-value broadcast of the
/// quad kernels (<see cref="SagLaneKernels.Broadcast{T}"/>).
/// </summary>
public class SagLanesTests
{
    [Test]
    public void MaxBroadcast_RandomLanesWithMaskedOnes_LargestInEveryLane()
    {
        Random random = new(7);
        double[] values = new double[SagLanes.Count];
        for (int trial = 0; trial < 2000; trial++)
        {
            for (int c = 0; c < values.Length; c++)
            {
                // Unused lanes are −∞ (as MultinomialGradient masks them), the others any finite value.
                values[c] = random.Next(4) == 0 ? double.NegativeInfinity : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4));
            }

            values[random.Next(values.Length)] = (random.NextDouble() - 0.5) * 100;
            SagLanes max = SagLanes.Load(ref values[0]).MaxBroadcast();
            double expected = values.Max();
            for (int c = 0; c < SagLanes.Count; c++)
            {
                Assert.That(max[c], Is.EqualTo(expected), $"trial {trial}, lane {c}");
            }
        }
    }

    [Test]
    public void SumBroadcast_RandomLanes_BitsOfVectorSumInEveryLane()
    {
        // The softmax divides by this sum: it must keep the bits of the scalar reduction it replaced.
        Random random = new(11);
        double[] values = new double[SagLanes.Count];
        for (int trial = 0; trial < 2000; trial++)
        {
            for (int c = 0; c < values.Length; c++)
            {
                values[c] = random.NextDouble() * Math.Pow(10, random.Next(-8, 3));
            }

            SagLanes lanes = SagLanes.Load(ref values[0]);
            double expected = Vector256.Sum(lanes.V0 + lanes.V1 + lanes.V2);
            SagLanes sum = lanes.SumBroadcast();
            for (int c = 0; c < SagLanes.Count; c++)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(sum[c]), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)), $"trial {trial}, lane {c}");
            }
        }
    }

    [Test]
    public void Broadcast_FloatAndDoubleRows_ExactValueInEveryLane()
    {
        float[] floats = [0.5f, -0f, 1e-40f, 3.4e38f, 1f / 255, -7.25f];
        for (int j = 0; j < floats.Length; j++)
        {
            Vector512<double> v = SagLaneKernels.Broadcast(ref floats[0], j);
            double[] doubles = [floats[j]];
            Vector512<double> w = SagLaneKernels.Broadcast(ref doubles[0], 0);
            for (int lane = 0; lane < Vector512<double>.Count; lane++)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(v[lane]), Is.EqualTo(BitConverter.DoubleToInt64Bits(floats[j])), $"float {j}, lane {lane}");
                Assert.That(BitConverter.DoubleToInt64Bits(w[lane]), Is.EqualTo(BitConverter.DoubleToInt64Bits(floats[j])), $"double {j}, lane {lane}");
            }
        }
    }
}
