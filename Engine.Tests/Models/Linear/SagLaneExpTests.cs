using System.Runtime.Intrinsics;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The softmax's exp (<see cref="SagLaneExp"/>): within 1 ulp of <see cref="Math.Exp"/> over the whole double range,
/// the IEEE special cases, and every width (Vector512, Vector256, the lanes of <see cref="SagLanes"/>) giving the
/// scalar version's bits, whichever path (|x| ≤ 708 or the clamped one) a vector takes.
/// </summary>
public class SagLaneExpTests
{
    // Distance in representable doubles (both finite and of one sign, or equal).
    private static long UlpDistance(double a, double b) =>
        a.Equals(b) ? 0 : Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    [TestCase(-745.2, 709.8, 1_000_000, 1)]
    [TestCase(-40.0, 0.0, 1_000_000, 2)]
    [TestCase(-0.75, 0.75, 1_000_000, 3)]
    public void Exp_SeededRandomArguments_WithinOneUlpOfMathExp(double low, double high, int count, int seed)
    {
        Random random = new(seed);
        long worst = 0;
        int off = 0;
        double worstAt = 0;
        for (int n = 0; n < count; n++)
        {
            double x = low + ((high - low) * random.NextDouble());
            long d = UlpDistance(SagLaneExp.Exp(x), Math.Exp(x));
            off += d == 0 ? 0 : 1;
            if (d > worst)
            {
                worst = d;
                worstAt = x;
            }
        }

        TestContext.Out.WriteLine($"[{low}, {high}]: max {worst} ulp (at {worstAt:R}), {off} of {count} differ from Math.Exp");
        Assert.That(worst, Is.LessThanOrEqualTo(1), $"at {worstAt:R}");
    }

    [TestCase(0.0, 1.0)]
    [TestCase(-0.0, 1.0)]
    [TestCase(double.Epsilon, 1.0)]
    [TestCase(-double.Epsilon, 1.0)]
    [TestCase(1e-300, 1.0)]
    [TestCase(-1e-300, 1.0)]
    [TestCase(double.NegativeInfinity, 0.0)]
    [TestCase(double.PositiveInfinity, double.PositiveInfinity)]
    [TestCase(710.0, double.PositiveInfinity)]
    [TestCase(1e300, double.PositiveInfinity)]
    [TestCase(double.MaxValue, double.PositiveInfinity)]
    [TestCase(-746.0, 0.0)]
    [TestCase(-1e300, 0.0)]
    [TestCase(double.MinValue, 0.0)]
    public void Exp_SpecialArguments_ExactResult(double x, double expected)
    {
        Assert.That(Bits(SagLaneExp.Exp(x)), Is.EqualTo(Bits(expected)), $"exp({x:R})");
        AssertWidthsAgree([x]);
    }

    [Test]
    public void Exp_NaN_IsNaN()
    {
        Assert.That(double.IsNaN(SagLaneExp.Exp(double.NaN)), Is.True);
        double[] lanes = [double.NaN, 0, -1, 1, double.NaN, -800, 800, 2];
        double[] v512 = Width512(lanes);
        double[] v256 = Width256(lanes);
        Assert.That(double.IsNaN(v512[0]) && double.IsNaN(v512[4]) && double.IsNaN(v256[0]) && double.IsNaN(v256[4]), Is.True);
        AssertWidthsAgree([0, -1, 1, -800, 800, 2, 0.5, -0.5]);
    }

    [Test]
    public void Exp_NearOverflowUnderflowAndSubnormalResults_WithinOneUlpOfMathExp()
    {
        // The largest finite result, the first infinite one, the subnormal range down to the smallest subnormal
        // (exp(−745.13…)) and the first +0, and both sides of the ±708 switch between the two paths.
        double[] xs =
        [
            709.782712893384, 709.7827128933841, 709.78271289338397, 709.79, 708.0, Math.BitIncrement(708.0),
            -708.0, Math.BitDecrement(-708.0), -708.3964185322641, -708.4, -709.0, -710.0, -720.0, -730.0, -740.0,
            -744.0, -745.0, -745.1332191019411, -745.1332191019412, -745.13321910194122, -745.14,
        ];
        foreach (double x in xs)
        {
            Assert.That(UlpDistance(SagLaneExp.Exp(x), Math.Exp(x)), Is.LessThanOrEqualTo(1), $"exp({x:R}) = {SagLaneExp.Exp(x):R}, Math.Exp {Math.Exp(x):R}");
        }

        Random random = new(5);
        for (int n = 0; n < 100_000; n++)
        {
            double x = -745.2 + (37.0 * random.NextDouble());
            Assert.That(UlpDistance(SagLaneExp.Exp(x), Math.Exp(x)), Is.LessThanOrEqualTo(1), $"exp({x:R})");
        }

        AssertWidthsAgree(xs);
    }

    [Test]
    public void Exp_MixedLanes_EveryWidthGivesScalarBits()
    {
        // Vectors with and without out-of-range lanes (one such lane sends the whole vector down the clamped path).
        Random random = new(9);
        double[] lanes = new double[SagLanes.Count];
        for (int trial = 0; trial < 20_000; trial++)
        {
            bool wide = random.Next(4) == 0;
            for (int c = 0; c < lanes.Length; c++)
            {
                lanes[c] = wide && random.Next(6) == 0 ? (random.NextDouble() - 0.5) * 1600 : (random.NextDouble() - 0.75) * 60;
            }

            AssertWidthsAgree(lanes);
        }
    }

    private static double[] Width512(double[] lanes)
    {
        double[] padded = new double[Vector512<double>.Count];
        lanes.AsSpan(0, Math.Min(lanes.Length, padded.Length)).CopyTo(padded);
        double[] result = new double[padded.Length];
        SagLaneExp.Exp(Vector512.Create(padded)).CopyTo(result);
        return result;
    }

    private static double[] Width256(double[] lanes)
    {
        double[] padded = new double[Vector256<double>.Count * 2];
        lanes.AsSpan(0, Math.Min(lanes.Length, padded.Length)).CopyTo(padded);
        double[] result = new double[padded.Length];
        SagLaneExp.Exp(Vector256.Create(padded)).CopyTo(result);
        SagLaneExp.Exp(Vector256.Create(padded, 4)).CopyTo(result, 4);
        return result;
    }

    private static void AssertWidthsAgree(double[] lanes)
    {
        double[] padded = new double[SagLanes.Count];
        lanes.AsSpan(0, Math.Min(lanes.Length, padded.Length)).CopyTo(padded);
        double[] sagLanes = new double[SagLanes.Count];
        SagLanes.Exp(SagLanes.Load(ref padded[0])).Store(ref sagLanes[0]);
        double[] v512 = Width512(padded);
        double[] v256 = Width256(padded);
        for (int c = 0; c < padded.Length; c++)
        {
            long expected = Bits(SagLaneExp.Exp(padded[c]));
            Assert.That(Bits(sagLanes[c]), Is.EqualTo(expected), $"SagLanes, lane {c}, x = {padded[c]:R}");
            if (c < v512.Length)
            {
                Assert.That(Bits(v512[c]), Is.EqualTo(expected), $"Vector512, lane {c}, x = {padded[c]:R}");
                Assert.That(Bits(v256[c]), Is.EqualTo(expected), $"Vector256, lane {c}, x = {padded[c]:R}");
            }
        }
    }
}
