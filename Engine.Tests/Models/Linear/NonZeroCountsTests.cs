using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The vectorised non-zero counts (<see cref="NonZeroCounts"/>) against the scalar definition.</summary>
public class NonZeroCountsTests
{
    // Lengths around the 8-value vector steps (tails of 0–7), values mixing zeros, −0, NaN, ±∞ and ordinary numbers.
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(8)]
    [TestCase(29)]
    [TestCase(784)]
    public void AddNonZerosAndCountNonZeros_MixedValues_AsScalarDefinition(int length)
    {
        Random random = new(length);
        float[] candidates = [0f, -0f, 0f, 1.5f, float.NaN, float.PositiveInfinity, -3f, float.Epsilon, 0f];
        for (int trial = 0; trial < 20; trial++)
        {
            float[] f = new float[length];
            double[] d = new double[length];
            for (int j = 0; j < length; j++)
            {
                f[j] = candidates[random.Next(candidates.Length)];
                d[j] = f[j];
            }

            int[] expectedColumns = new int[length];
            int expected = 0;
            for (int j = 0; j < length; j++)
            {
                int nz = f[j] != 0 ? 1 : 0;
                expectedColumns[j] = 2 + nz;
                expected += nz;
            }

            int[] floatColumns = new int[length + 3];
            int[] doubleColumns = new int[length + 3];
            floatColumns.AsSpan().Fill(2);
            doubleColumns.AsSpan().Fill(2);

            Assert.That(NonZeroCounts.AddNonZeros<float>(f, floatColumns), Is.EqualTo(expected), "float count");
            Assert.That(NonZeroCounts.AddNonZeros<double>(d, doubleColumns), Is.EqualTo(expected), "double count");
            Assert.That(floatColumns.AsSpan(0, length).ToArray(), Is.EqualTo(expectedColumns), "float columns");
            Assert.That(doubleColumns.AsSpan(0, length).ToArray(), Is.EqualTo(expectedColumns), "double columns");
            Assert.That(floatColumns.AsSpan(length).ToArray(), Is.All.EqualTo(2), "float counts past the row untouched");
            Assert.That(NonZeroCounts.CountNonZeros<float>(f), Is.EqualTo(expected), "float CountNonZeros");
            Assert.That(NonZeroCounts.CountNonZeros<double>(d), Is.EqualTo(expected), "double CountNonZeros");
        }
    }
}
