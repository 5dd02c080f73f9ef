using SkiaSharp;

namespace FashionCore.Tests.Serve;

/// <summary>Renders Fashion-MNIST images as image files, the way a user's photo of a garment might look.</summary>
public static class TestImages
{
    /// <summary>
    /// Scales a 28×28 image up by <paramref name="scale"/> (nearest neighbour), optionally inverted (dark object on a light
    /// background) and tinted, as RGBA.
    /// </summary>
    public static byte[] RenderRgba(ReadOnlySpan<byte> pixels, int scale, bool invert, (byte R, byte G, byte B) tint)
    {
        int side = 28 * scale;
        byte[] rgba = new byte[side * side * 4];
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                int v = pixels[((y / scale) * 28) + (x / scale)];
                if (invert)
                {
                    v = 255 - v;
                }

                int o = ((y * side) + x) * 4;
                rgba[o] = (byte)(v * tint.R / 255);
                rgba[o + 1] = (byte)(v * tint.G / 255);
                rgba[o + 2] = (byte)(v * tint.B / 255);
                rgba[o + 3] = 255;
            }
        }

        return rgba;
    }

    /// <summary>Encodes RGBA pixels as PNG, JPEG or WebP.</summary>
    public static byte[] Encode(byte[] rgba, int width, int height, SKEncodedImageFormat format, int quality = 100)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using SKImage image = SKImage.FromPixelCopy(info, rgba);
        using SKData data = image.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>Inserts an EXIF APP1 segment holding only the orientation tag (1..8) right after the JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        // "Exif\0\0", big-endian TIFF header, one IFD with one entry: tag 0x0112 (Orientation), SHORT, count 1, value.
        byte[] payload = [(byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, 0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8,
            0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, 0, 0, 0, 0];
        int length = payload.Length + 2;
        return [.. jpeg.AsSpan(0, 2), 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg.AsSpan(2)];
    }

    /// <summary>Rotates an RGBA image 90° counter-clockwise (what a camera stores when EXIF orientation 6 says "rotate 90° clockwise to display").</summary>
    public static byte[] RotateCounterClockwise(byte[] rgba, int width, int height)
    {
        byte[] result = new byte[rgba.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // Source (x, y) goes to (y, width − 1 − x) in the height×width result.
                rgba.AsSpan(((y * width) + x) * 4, 4).CopyTo(result.AsSpan((((width - 1 - x) * height) + y) * 4));
            }
        }

        return result;
    }

    /// <summary>Writes test image <paramref name="index"/> ×<paramref name="scale"/>, inverted, as a PNG file; returns the path.</summary>
    public static string WriteInvertedPng(int index, int scale, string directory)
    {
        byte[] rgba = RenderRgba(TestData.FashionMnist.Test.GetImage(index), scale, invert: true, (255, 255, 255));
        string path = Path.Combine(directory, $"test-{index}.png");
        File.WriteAllBytes(path, Encode(rgba, 28 * scale, 28 * scale, SKEncodedImageFormat.Png));
        return path;
    }
}
