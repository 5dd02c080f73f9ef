using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Models.Linear;

/// <summary>
/// Per-lane <c>exp</c> for the SAGA softmax (<see cref="SagLanes.Exp"/>), inlined into the scalar step chain: the
/// runtime's vector exp is a call, around which the JIT spilled every live vector of the step (the x64 ABI has no
/// callee-saved vector registers). Within 1 ulp of <see cref="Math.Exp"/> over the whole double range (pinned by
/// SagLaneExpTests); every width gives the scalar <see cref="Exp(double)"/>'s bits.
/// </summary>
/// <remarks>
/// The textbook method: x = k·ln2 + r with k = round(x/ln2) and |r| ≤ ln2/2, exp(x) = 2^k·exp(r).
/// <list type="bullet">
/// <item>Reduction (Cody–Waite, ln2 = Ln2Hi + Ln2Lo): with an FMA, r = x − k·Ln2Hi is exact (Ln2Hi, ln2 rounded to
/// double, is a multiple of 2^-53; x is a multiple of 2^-54 whenever k ≠ 0, and |r| &lt; 0.35), so the reduced argument
/// is r + rl with rl = −k·Ln2Lo (|rl| ≤ 2.5e-14) kept apart: e^(r + rl) = e^r + rl·e^r, the second term taken as
/// rl·(1 + r + r²/2 + r³/6) (left out: rl·r⁴/24 ≤ 1.5e-17). Not rounding r + rl saves an FMA level on the chain.</item>
/// <item>e^r = 1 + r + r²·g(r), g a degree-10 polynomial (Chebyshev fit of (e^r − 1 − r)/r² on [−ln2/2, ln2/2],
/// coefficients rounded to double: error ≤ 3.4e-19 relative to e^r, 0.003 ulp), evaluated as r²·(C0 + … + C3·r³) +
/// r⁶·(C4 + … + C10·r⁶) with pairs in Estrin form: from r, four FMA levels to the tail instead of twelve in Horner
/// form. 1 + r is split exactly (Fast2Sum) into hi + lo, the small terms summed first (lo + rl·… + r²·… + r⁶·…, all
/// below 0.07) and added to hi last. Measured against 40-digit mpmath on 300 000 seeded arguments: at most 0.61 ulp
/// for x in [−40, 0.75], 0.66 ulp over the normal range (larger k, larger rl), 0.74 ulp for subnormal results (rounded
/// twice: to 53 bits, then to the subnormal grid); 1.2–1.6 % of results differ from Math.Exp, by 1 ulp. The runtime's
/// Vector256.Exp, for comparison: 39 % differ from Math.Exp, by up to 2 ulp.</item>
/// <item>2^k by exponent arithmetic: k comes out of the rounding itself (x/ln2 + 1.5·2^52 leaves k in the low bits).
/// For |x| ≤ 708 (every softmax argument in practice) 2^k is a normal double and one FMA scales exactly; beyond it
/// (overflow, subnormal or zero results, ±∞, NaN) x is clamped to [−746, 710] and 2^k applied as two normal factors,
/// so only the last product rounds (into the subnormals, to 0 or to +∞), the same bits as one correctly rounded
/// scaling.</item>
/// </list>
/// </remarks>
internal static class SagLaneExp
{
    // 1/ln2, ln2 = Ln2Hi + Ln2Lo (both to double), and 1.5·2^52: adding it rounds to an integer kept in the low bits.
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.6931471805599453;
    private const double Ln2Lo = 2.3190468138462996e-17;
    private const double Shifter = 6755399441055744.0;
    private const long ShifterBits = 0x4338_0000_0000_0000;
    private const long ExponentBias = 1023;

    // |x| ≤ FastLimit: k ∈ [−1021, 1021], 2^k and the result normal. Otherwise x in [Low, High] already gives 0 / +∞.
    private const double FastLimit = 708.0;
    private const double Low = -746.0;
    private const double High = 710.0;

    // g(r) ≈ (e^r − 1 − r)/r² = Σ C_i·r^i on [−ln2/2 − 1e-6, ln2/2 + 1e-6] (mpmath chebyfit, degree 10, 50 digits).
    private const double C0 = 0.5;
    private const double C1 = 0.1666666666666667;
    private const double C2 = 0.04166666666666667;
    private const double C3 = 0.008333333333326141;
    private const double C4 = 0.0013888888888883752;
    private const double C5 = 0.00019841269874801073;
    private const double C6 = 2.480158732553378e-05;
    private const double C7 = 2.7557255425009614e-06;
    private const double C8 = 2.7557273660822466e-07;
    private const double C9 = 2.510520668068106e-08;
    private const double C10 = 2.0914679595617734e-09;

    /// <summary>e^x per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        if (Vector512.LessThanOrEqualAll(Vector512.Abs(x), Vector512.Create(FastLimit)))
        {
            Vector512<double> hi = Reduced(x, out Vector512<double> tail, out Vector512<long> k);
            Vector512<double> scale = Power(k);
            return Vector512.FusedMultiplyAdd(tail, scale, hi * scale);
        }

        return Wide(x);
    }

    /// <summary>e^x per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        if (Vector256.LessThanOrEqualAll(Vector256.Abs(x), Vector256.Create(FastLimit)))
        {
            Vector256<double> hi = Reduced(x, out Vector256<double> tail, out Vector256<long> k);
            Vector256<double> scale = Power(k);
            return Vector256.FusedMultiplyAdd(tail, scale, hi * scale);
        }

        return Wide(x);
    }

    /// <summary>e^x, with the vector versions' arithmetic (their bits).</summary>
    public static double Exp(double x)
    {
        double xc = Math.Min(Math.Max(x, Low), High);
        double t = Math.FusedMultiplyAdd(xc, Log2E, Shifter);
        double kd = t - Shifter;
        double r = Math.FusedMultiplyAdd(kd, -Ln2Hi, xc);
        double rl = kd * -Ln2Lo;
        double r2 = r * r;
        double r4 = r2 * r2;
        double r6 = r2 * r4;
        double g03 = Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(C3, r, C2), r2, Math.FusedMultiplyAdd(C1, r, C0));
        double g47 = Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(C7, r, C6), r2, Math.FusedMultiplyAdd(C5, r, C4));
        double g810 = Math.FusedMultiplyAdd(C10, r2, Math.FusedMultiplyAdd(C9, r, C8));
        double u = Math.FusedMultiplyAdd(g810, r4, g47);
        double hi = 1.0 + r;
        double lo = (1.0 - hi) + r;
        double h = Math.FusedMultiplyAdd(r2, Math.FusedMultiplyAdd(r, 1.0 / 6, 0.5), hi);
        double tail = Math.FusedMultiplyAdd(r6, u, Math.FusedMultiplyAdd(r2, g03, Math.FusedMultiplyAdd(rl, h, lo)));
        long k = BitConverter.DoubleToInt64Bits(t) - ShifterBits;
        long k1 = k >> 1;
        double s1 = BitConverter.Int64BitsToDouble((k1 + ExponentBias) << 52);
        double s2 = BitConverter.Int64BitsToDouble((k - k1 + ExponentBias) << 52);
        double e = Math.FusedMultiplyAdd(tail, s1, hi * s1) * s2;
        return double.IsNaN(x) ? x + x : e;
    }

    // e^r as hi + tail (hi = 1 + r rounded; see the remarks) and k, for x = k·ln2 + r.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Reduced(Vector512<double> x, out Vector512<double> tail, out Vector512<long> k)
    {
        Vector512<double> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(Shifter));
        Vector512<double> kd = t - Vector512.Create(Shifter);
        Vector512<double> r = Vector512.FusedMultiplyAdd(kd, Vector512.Create(-Ln2Hi), x);
        Vector512<double> rl = kd * Vector512.Create(-Ln2Lo);
        Vector512<double> r2 = r * r;
        Vector512<double> r4 = r2 * r2;
        Vector512<double> r6 = r2 * r4;
        Vector512<double> g01 = Vector512.FusedMultiplyAdd(Vector512.Create(C1), r, Vector512.Create(C0));
        Vector512<double> g23 = Vector512.FusedMultiplyAdd(Vector512.Create(C3), r, Vector512.Create(C2));
        Vector512<double> g45 = Vector512.FusedMultiplyAdd(Vector512.Create(C5), r, Vector512.Create(C4));
        Vector512<double> g67 = Vector512.FusedMultiplyAdd(Vector512.Create(C7), r, Vector512.Create(C6));
        Vector512<double> g89 = Vector512.FusedMultiplyAdd(Vector512.Create(C9), r, Vector512.Create(C8));
        Vector512<double> g03 = Vector512.FusedMultiplyAdd(g23, r2, g01);
        Vector512<double> g47 = Vector512.FusedMultiplyAdd(g67, r2, g45);
        Vector512<double> g810 = Vector512.FusedMultiplyAdd(Vector512.Create(C10), r2, g89);
        Vector512<double> u = Vector512.FusedMultiplyAdd(g810, r4, g47);
        Vector512<double> hi = Vector512.Create(1.0) + r;
        Vector512<double> lo = (Vector512.Create(1.0) - hi) + r;
        Vector512<double> h = Vector512.FusedMultiplyAdd(r2, Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 6), Vector512.Create(0.5)), hi);
        tail = Vector512.FusedMultiplyAdd(r6, u, Vector512.FusedMultiplyAdd(r2, g03, Vector512.FusedMultiplyAdd(rl, h, lo)));
        k = t.AsInt64() - Vector512.Create(ShifterBits);
        return hi;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Reduced(Vector256<double> x, out Vector256<double> tail, out Vector256<long> k)
    {
        Vector256<double> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(Shifter));
        Vector256<double> kd = t - Vector256.Create(Shifter);
        Vector256<double> r = Vector256.FusedMultiplyAdd(kd, Vector256.Create(-Ln2Hi), x);
        Vector256<double> rl = kd * Vector256.Create(-Ln2Lo);
        Vector256<double> r2 = r * r;
        Vector256<double> r4 = r2 * r2;
        Vector256<double> r6 = r2 * r4;
        Vector256<double> g01 = Vector256.FusedMultiplyAdd(Vector256.Create(C1), r, Vector256.Create(C0));
        Vector256<double> g23 = Vector256.FusedMultiplyAdd(Vector256.Create(C3), r, Vector256.Create(C2));
        Vector256<double> g45 = Vector256.FusedMultiplyAdd(Vector256.Create(C5), r, Vector256.Create(C4));
        Vector256<double> g67 = Vector256.FusedMultiplyAdd(Vector256.Create(C7), r, Vector256.Create(C6));
        Vector256<double> g89 = Vector256.FusedMultiplyAdd(Vector256.Create(C9), r, Vector256.Create(C8));
        Vector256<double> g03 = Vector256.FusedMultiplyAdd(g23, r2, g01);
        Vector256<double> g47 = Vector256.FusedMultiplyAdd(g67, r2, g45);
        Vector256<double> g810 = Vector256.FusedMultiplyAdd(Vector256.Create(C10), r2, g89);
        Vector256<double> u = Vector256.FusedMultiplyAdd(g810, r4, g47);
        Vector256<double> hi = Vector256.Create(1.0) + r;
        Vector256<double> lo = (Vector256.Create(1.0) - hi) + r;
        Vector256<double> h = Vector256.FusedMultiplyAdd(r2, Vector256.FusedMultiplyAdd(r, Vector256.Create(1.0 / 6), Vector256.Create(0.5)), hi);
        tail = Vector256.FusedMultiplyAdd(r6, u, Vector256.FusedMultiplyAdd(r2, g03, Vector256.FusedMultiplyAdd(rl, h, lo)));
        k = t.AsInt64() - Vector256.Create(ShifterBits);
        return hi;
    }

    // 2^k for k in the normal exponent range.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Power(Vector512<long> k) => Vector512.ShiftLeft(k + Vector512.Create(ExponentBias), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Power(Vector256<long> k) => Vector256.ShiftLeft(k + Vector256.Create(ExponentBias), 52).AsDouble();

    // Any lane beyond ±708 (or NaN): the clamped, two-factor path of Exp(double). Not a call (see the class summary).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Wide(Vector512<double> x)
    {
        Vector512<double> xc = Vector512.Min(Vector512.Max(x, Vector512.Create(Low)), Vector512.Create(High));
        Vector512<double> hi = Reduced(xc, out Vector512<double> tail, out Vector512<long> k);
        Vector512<long> k1 = Vector512.ShiftRightArithmetic(k, 1);
        Vector512<double> s1 = Power(k1);
        Vector512<double> e = Vector512.FusedMultiplyAdd(tail, s1, hi * s1) * Power(k - k1);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), e, x + x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Wide(Vector256<double> x)
    {
        Vector256<double> xc = Vector256.Min(Vector256.Max(x, Vector256.Create(Low)), Vector256.Create(High));
        Vector256<double> hi = Reduced(xc, out Vector256<double> tail, out Vector256<long> k);
        Vector256<long> k1 = Vector256.ShiftRightArithmetic(k, 1);
        Vector256<double> s1 = Power(k1);
        Vector256<double> e = Vector256.FusedMultiplyAdd(tail, s1, hi * s1) * Power(k - k1);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), e, x + x);
    }
}
