using SkiaSharp;

namespace FashionCore.Tools.Imaging;

/// <summary>Decodes PNG, JPEG, WebP (and the other formats Skia reads: GIF, BMP, ICO) into RGBA pixels with SkiaSharp.</summary>
public static class ImageDecoder
{
    /// <summary>Largest image accepted (width × height): 50 megapixels, 200 MB of RGBA.</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>Reads an image file and converts it to a Fashion-MNIST-like 28×28 image (<see cref="FashionImageConverter"/>).</summary>
    /// <param name="path">The image file.</param>
    /// <returns>784 pixels, row-major.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a decodable image, too large, or a flat colour with no object.</exception>
    public static byte[] LoadFashionImage(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such image file.", path);
        }

        (byte[] rgba, int width, int height) = DecodeRgba(File.ReadAllBytes(path), path);
        try
        {
            return FashionImageConverter.ConvertRgba(rgba, width, height);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Decodes encoded image bytes to unpremultiplied RGBA (8 bits per channel), upright: an EXIF orientation is applied, as browsers do.</summary>
    /// <param name="encoded">The file content.</param>
    /// <param name="source">Name for error messages.</param>
    /// <returns>The pixels and the size.</returns>
    /// <exception cref="InvalidDataException">Not a decodable image, or larger than <see cref="MaxPixels"/>.</exception>
    public static (byte[] Rgba, int Width, int Height) DecodeRgba(byte[] encoded, string source)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var data = SKData.CreateCopy(encoded);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null)
        {
            throw new InvalidDataException($"{source}: not an image SkiaSharp can decode (PNG, JPEG, WebP, GIF or BMP expected).");
        }

        int width = codec.Info.Width;
        int height = codec.Info.Height;
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
        {
            throw new InvalidDataException($"{source}: a {width}×{height} image is outside the supported size (1 to {MaxPixels / 1_000_000} megapixels).");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        byte[] rgba = new byte[info.BytesSize];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* p = rgba)
            {
                result = codec.GetPixels(info, (IntPtr)p);
            }
        }

        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"{source}: the image could not be decoded ({result}; truncated or corrupt file?).");
        }

        return Orient(rgba, width, height, codec.EncodedOrigin);
    }

    /// <summary>Turns the stored pixels upright for the EXIF orientation <paramref name="origin"/> (1..8; others are left as they are).</summary>
    /// <param name="rgba">width×height×4 stored pixels.</param>
    /// <param name="width">Stored width.</param>
    /// <param name="height">Stored height.</param>
    /// <param name="origin">The EXIF orientation.</param>
    /// <returns>The upright pixels and their size (width and height swap for orientations 5..8).</returns>
    public static (byte[] Rgba, int Width, int Height) Orient(byte[] rgba, int width, int height, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or < SKEncodedOrigin.TopLeft or > SKEncodedOrigin.LeftBottom)
        {
            return (rgba, width, height);
        }

        // Orientations 5..8 swap the axes.
        bool swap = origin >= SKEncodedOrigin.LeftTop;
        int outWidth = swap ? height : width;
        int outHeight = swap ? width : height;
        byte[] result = new byte[rgba.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (int ox, int oy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (height - 1 - y, x),
                    SKEncodedOrigin.RightBottom => (height - 1 - y, width - 1 - x),
                    _ => (y, width - 1 - x), // LeftBottom
                };
                rgba.AsSpan(((y * width) + x) * 4, 4).CopyTo(result.AsSpan(((oy * outWidth) + ox) * 4));
            }
        }

        return (result, outWidth, outHeight);
    }
}
