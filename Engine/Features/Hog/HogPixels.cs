namespace FashionCore.Features.Hog;

/// <summary>Reads one pixel as the float64 value skimage works on (a struct per input kind, so the JIT specialises the kernel).</summary>
internal interface IHogPixelReader<TPixel>
{
    static abstract double Read(TPixel pixel);
}

/// <summary>uint8 → float64, no rescaling.</summary>
internal readonly struct BytePixels : IHogPixelReader<byte>
{
    public static double Read(byte pixel) => pixel;
}

/// <summary>uint8 → float64 → sqrt (<c>transform_sqrt</c>).</summary>
internal readonly struct ByteSqrtPixels : IHogPixelReader<byte>
{
    public static double Read(byte pixel) => Math.Sqrt(pixel);
}

/// <summary>float32 → float64, as skimage on <c>image.astype(np.float64)</c>.</summary>
internal readonly struct FloatPixels : IHogPixelReader<float>
{
    public static double Read(float pixel) => pixel;
}

/// <summary>float32 → float64 → sqrt.</summary>
internal readonly struct FloatSqrtPixels : IHogPixelReader<float>
{
    public static double Read(float pixel) => Math.Sqrt(pixel);
}
