using System.Globalization;
using System.Numerics;
using System.Text;

namespace FashionCore.Metrics;

/// <summary>Python's <c>format(value, '.Nf')</c>: the exact binary value rounded half-to-even to N decimals.</summary>
/// <remarks>
/// .NET's "F" format rounds midpoints away from zero (0.125 → "0.13", Python "0.12"), so the digits are computed here
/// from the double's exact mantissa and exponent with integer arithmetic.
/// </remarks>
internal static class ReportFormatting
{
    public static string Fixed(double value, int digits)
    {
        if (!double.IsFinite(value))
        {
            return double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }

        bool negative = value < 0 || (value == 0 && double.IsNegative(value));
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int exponentBits = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        BigInteger mantissa = exponentBits == 0 ? fraction : fraction | (1L << 52);
        int exponent = (exponentBits == 0 ? 1 : exponentBits) - 1075;

        // value·10^digits = mantissa·10^digits·2^exponent; round to an integer, ties to even.
        BigInteger scaled = mantissa * BigInteger.Pow(10, digits);
        BigInteger rounded;
        if (exponent >= 0)
        {
            rounded = scaled << exponent;
        }
        else
        {
            BigInteger denominator = BigInteger.One << -exponent;
            BigInteger quotient = BigInteger.DivRem(scaled, denominator, out BigInteger remainder);
            int cmp = (remainder * 2).CompareTo(denominator);
            rounded = cmp > 0 || (cmp == 0 && !quotient.IsEven) ? quotient + 1 : quotient;
        }

        string text = rounded.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        StringBuilder sb = new();
        if (negative)
        {
            sb.Append('-');
        }

        sb.Append(text, 0, text.Length - digits);
        if (digits > 0)
        {
            sb.Append('.').Append(text, text.Length - digits, digits);
        }

        return sb.ToString();
    }
}
