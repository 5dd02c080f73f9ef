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

    /// <summary>Writes test image <paramref name="index"/> ×<paramref name="scale"/>, inverted, as a PNG file; returns the path.</summary>
    public static string WriteInvertedPng(int index, int scale, string directory)
    {
        byte[] rgba = RenderRgba(TestData.FashionMnist.Test.GetImage(index), scale, invert: true, (255, 255, 255));
        string path = Path.Combine(directory, $"test-{index}.png");
        File.WriteAllBytes(path, Encode(rgba, 28 * scale, 28 * scale, SKEncodedImageFormat.Png));
        return path;
    }
}
