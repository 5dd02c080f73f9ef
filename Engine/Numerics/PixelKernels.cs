using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Numerics;

/// <summary>Byte-pixel to float kernels shared by the data layer and the scalers.</summary>
internal static class PixelKernels
{
    /// <summary>destination[i] = source[i] (exact: bytes are representable).</summary>
    public static void Widen(ReadOnlySpan<byte> source, Span<float> destination) => WidenCore<NoDivide>(source, destination);

    /// <summary>destination[i] = source[i] / 255f, a true IEEE division (x·(1/255) differs by 1 ulp for some bytes).</summary>
    public static void WidenDivide255(ReadOnlySpan<byte> source, Span<float> destination) => WidenCore<Divide255>(source, destination);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WidenCore<TOp>(ReadOnlySpan<byte> source, Span<float> destination)
        where TOp : struct, IPixelOp
    {
        int n = source.Length;
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // 32 bytes -> 4 × 8 floats per step.
            for (; i <= n - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                Vector256<byte> b = Vector256.LoadUnsafe(ref src, (nuint)i);
                (Vector256<ushort> lo, Vector256<ushort> hi) = Vector256.Widen(b);
                (Vector256<uint> a0, Vector256<uint> a1) = Vector256.Widen(lo);
                (Vector256<uint> a2, Vector256<uint> a3) = Vector256.Widen(hi);
                TOp.Apply(Vector256.ConvertToSingle(a0)).StoreUnsafe(ref dst, (nuint)i);
                TOp.Apply(Vector256.ConvertToSingle(a1)).StoreUnsafe(ref dst, (nuint)(i + 8));
                TOp.Apply(Vector256.ConvertToSingle(a2)).StoreUnsafe(ref dst, (nuint)(i + 16));
                TOp.Apply(Vector256.ConvertToSingle(a3)).StoreUnsafe(ref dst, (nuint)(i + 24));
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = TOp.Apply((float)Unsafe.Add(ref src, i));
        }
    }

    private interface IPixelOp
    {
        static abstract float Apply(float x);

        static abstract Vector256<float> Apply(Vector256<float> x);
    }

    private readonly struct NoDivide : IPixelOp
    {
        public static float Apply(float x) => x;

        public static Vector256<float> Apply(Vector256<float> x) => x;
    }

    private readonly struct Divide255 : IPixelOp
    {
        public static float Apply(float x) => x / 255f;

        public static Vector256<float> Apply(Vector256<float> x) => x / Vector256.Create(255f);
    }
}
