using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Features.Hog;

internal static partial class HogKernel
{
    /// <summary>
    /// Copies float pixels to bytes when every one is an integer in 0..255, so float rows of raw pixels (the pipeline's
    /// input) take the uint8 table path; returns false, with <paramref name="destination"/> partly written, otherwise.
    /// </summary>
    public static bool TryNarrowToBytes(ReadOnlySpan<float> source, Span<byte> destination)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float source0 = ref MemoryMarshal.GetReference(source);
            Vector256<float> max = Vector256.Create(255f);
            for (; i <= source.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> x = Vector256.LoadUnsafe(ref source0, (nuint)i);
                Vector256<int> asInt = Vector256.ConvertToInt32(x);

                // Integer-valued and in range; NaN fails the equality.
                Vector256<float> ok = Vector256.Equals(Vector256.ConvertToSingle(asInt), x)
                    & Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero)
                    & Vector256.LessThanOrEqual(x, max);
                if (!Vector256.EqualsAll(ok.AsInt32(), Vector256<int>.AllBitsSet))
                {
                    return false;
                }

                // 0..255 survives the truncating narrows; the low 8 bytes are the 8 pixels.
                Vector128<short> shorts = Vector128.Narrow(asInt.GetLower(), asInt.GetUpper());
                Vector128<sbyte> bytes = Vector128.Narrow(shorts, shorts);
                Unsafe.WriteUnaligned(ref destination[i], bytes.AsUInt64().ToScalar());
            }
        }

        for (; i < source.Length; i++)
        {
            float x = source[i];
            if (!(x >= 0f && x <= 255f) || x != MathF.Floor(x))
            {
                return false;
            }

            destination[i] = (byte)x;
        }

        return true;
    }
}
