using FashionCore.Tests.Serve;
using FashionCore.Tools.Imaging;
using SkiaSharp;

namespace FashionCore.Tests.Tools.Imaging;

public class FashionImageConverterTests
{
    [Test]
    public void ConvertLuminance_CentredObjectFillingHeight_ReturnsItUnchanged()
    {
        // A 10×28 bar of values 40..229 centred horizontally on black: already a "Fashion-MNIST" image, so a fixed point
        // (the brightest value is stretched to 255, so the bar's top value is 255).
        byte[] image = new byte[784];
        for (int y = 0; y < 28; y++)
        {
            for (int x = 9; x < 19; x++)
            {
                image[(y * 28) + x] = (byte)(y == 0 && x == 9 ? 255 : 40 + (7 * y));
            }
        }

        byte[] converted = FashionImageConverter.ConvertLuminance(image, 28, 28);

        Assert.That(converted, Is.EqualTo(image));
    }

    [Test]
    public void ConvertRgba_SmallDarkObjectOnWhite_IsInvertedCroppedScaledAndCentred()
    {
        // A 4×2 black rectangle at (10, 20) on a 50×40 white image: it becomes a 28×14 white block centred vertically.
        const int W = 50, H = 40;
        byte[] rgba = new byte[W * H * 4];
        Array.Fill(rgba, (byte)255);
        for (int y = 20; y < 22; y++)
        {
            for (int x = 10; x < 14; x++)
            {
                rgba.AsSpan(((y * W) + x) * 4, 3).Clear();
            }
        }

        byte[] converted = FashionImageConverter.ConvertRgba(rgba, W, H);

        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                Assert.That(converted[(y * 28) + x], Is.EqualTo(y is >= 7 and < 21 ? 255 : 0), $"pixel ({x}, {y})");
            }
        }
    }

    [Test]
    public void ConvertRgba_TransparentBackground_IsTreatedAsWhite()
    {
        // Transparent everywhere except an opaque red square: over white, the square is the (dark) object.
        const int Side = 20;
        byte[] rgba = new byte[Side * Side * 4];
        for (int y = 5; y < 15; y++)
        {
            for (int x = 5; x < 15; x++)
            {
                int o = ((y * Side) + x) * 4;
                rgba[o] = 255;
                rgba[o + 3] = 255;
            }
        }

        byte[] converted = FashionImageConverter.ConvertRgba(rgba, Side, Side);

        Assert.That(converted, Is.All.EqualTo(255), "the square fills the box and is the brightest (only) object value");
    }

    [Test]
    public void ConvertRgba_SolidColour_ThrowsNoObjectFound()
    {
        byte[] rgba = new byte[30 * 20 * 4];
        for (int i = 0; i < rgba.Length; i += 4)
        {
            (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (200, 30, 90, 255);
        }

        Assert.That(() => FashionImageConverter.ConvertRgba(rgba, 30, 20),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("no object found").And.Message.Contains("30×20"));
    }

    [Test]
    public void ConvertRgba_WrongLengthOrSize_ThrowsNamingTheParameter()
    {
        Assert.That(() => FashionImageConverter.ConvertRgba(new byte[10], 2, 2), Throws.ArgumentException.With.Property("ParamName").EqualTo("rgba"));
        Assert.That(() => FashionImageConverter.ConvertRgba([], 0, 2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("width"));
    }

    [Test]
    [Category("Dataset")]
    public void ConvertRgba_TestImagesRenderedLargeAndInverted_MatchTheirOwnConversion()
    {
        // Integer upscaling (nearest neighbour) and inversion must not change the result: the frame's median, the crop
        // and the levels scale with the image, and area averaging of constant 10×10 blocks gives back the block value.
        for (int index = 0; index < 100; index++)
        {
            ReadOnlySpan<byte> original = TestData.FashionMnist.Test.GetImage(index);
            byte[] expected = FashionImageConverter.ConvertLuminance(original, 28, 28);
            byte[] rgba = TestImages.RenderRgba(original, 10, invert: true, (255, 255, 255));

            byte[] actual = FashionImageConverter.ConvertRgba(rgba, 280, 280);

            Assert.That(actual, Is.EqualTo(expected), $"test image {index}");
        }
    }

    [Test]
    [Category("Dataset")]
    public void ConvertLuminance_TestImages_StayCloseToTheOriginalAndKeepTheirPrediction()
    {
        // Fashion-MNIST images were made by this kind of rule, so converting them again changes little: the crop
        // drops faint (< 13) rims and rescales, the level stretch brightens images whose maximum is below 255.
        const int Count = 200;
        double totalMeanAbs = 0;
        byte[] converted = new byte[Count * 784];
        for (int index = 0; index < Count; index++)
        {
            ReadOnlySpan<byte> original = TestData.FashionMnist.Test.GetImage(index);
            byte[] c = FashionImageConverter.ConvertLuminance(original, 28, 28);
            c.CopyTo(converted, index * 784);
            double meanAbs = 0;
            for (int i = 0; i < 784; i++)
            {
                meanAbs += Math.Abs(c[i] - original[i]) / 784.0;
            }

            totalMeanAbs += meanAbs / Count;
        }

        int[] before = TestModel.PredictTest(0, Count);
        int[] after = [.. FashionCore.Tools.Prediction.FashionModel.FromClassifier("test", TestModel.Model)
            .Predict(new CommunityToolkit.HighPerformance.ReadOnlySpan2D<byte>(converted, Count, 784)).Select(p => p.Label)];
        int same = before.Zip(after, (a, b) => a == b ? 1 : 0).Sum();
        TestContext.Out.WriteLine($"mean |converted - original| = {totalMeanAbs:0.00} gray levels; same prediction {same}/{Count}");
        // Measured: 7.40 gray levels and 192/200 with this rule and TestModel; the bounds leave room for nothing more
        // than a different small model's ties (predictions) and no change of the rule (levels).
        Assert.That(totalMeanAbs, Is.LessThan(7.5));
        Assert.That(same, Is.GreaterThanOrEqualTo(188));
    }

    [TestCase(SKEncodedImageFormat.Png)]
    [TestCase(SKEncodedImageFormat.Jpeg)]
    [TestCase(SKEncodedImageFormat.Webp)]
    [Category("Dataset")]
    public void LoadFashionImage_EncodedTestImage_DecodesCloseToTheOriginalConversion(SKEncodedImageFormat format)
    {
        ReadOnlySpan<byte> original = TestData.FashionMnist.Test.GetImage(0);
        byte[] expected = FashionImageConverter.ConvertLuminance(original, 28, 28);
        byte[] rgba = TestImages.RenderRgba(original, 8, invert: true, (40, 160, 255));
        string path = Path.Combine(Path.GetTempPath(), $"fashioncore-image-{Environment.ProcessId}.{format}");
        try
        {
            File.WriteAllBytes(path, TestImages.Encode(rgba, 224, 224, format, quality: 95));

            byte[] actual = ImageDecoder.LoadFashionImage(path);

            double meanAbs = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Average();
            TestContext.Out.WriteLine($"{format}: mean abs diff {meanAbs:0.000}, max {expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max()}");
            // Measured mean/max: PNG 0.21/2, JPEG 0.22/3, WebP 0.17/2. The tint lowers the contrast, so the level
            // stretch amplifies the 8-bit rounding of the luminance; lossy codecs add a little.
            Assert.That(meanAbs, Is.LessThan(0.3));
            Assert.That(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max(), Is.LessThanOrEqualTo(4));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(6, true)]
    [TestCase(1, false)]
    [Category("Dataset")]
    public void LoadFashionImage_JpegWithExifOrientation_IsTurnedUprightFirst(int orientation, bool upright)
    {
        // The camera stored the boot rotated 90° counter-clockwise and says "rotate 90° clockwise" (6): the tool must
        // see the upright boot, as a browser shows it. Without the tag (1) it sees the rotated one, a different image.
        ReadOnlySpan<byte> original = TestData.FashionMnist.Test.GetImage(0);
        byte[] display = TestImages.RenderRgba(original, 8, invert: true, (255, 255, 255));
        byte[] expected = FashionImageConverter.ConvertRgba(display, 224, 224);
        byte[] stored = TestImages.RotateCounterClockwise(display, 224, 224);
        byte[] jpeg = TestImages.WithExifOrientation(TestImages.Encode(stored, 224, 224, SKEncodedImageFormat.Jpeg, quality: 95), orientation);
        string path = Path.Combine(Path.GetTempPath(), $"fashioncore-exif-{Environment.ProcessId}-{orientation}.jpg");
        try
        {
            File.WriteAllBytes(path, jpeg);

            byte[] actual = ImageDecoder.LoadFashionImage(path);

            double meanAbs = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Average();
            Assert.That(meanAbs, upright ? Is.LessThan(0.3) : Is.GreaterThan(20), "same bound as the JPEG round trip above");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Orient_EveryExifOrientation_MapsTheCornersLikeTheSpec()
    {
        // A 3×2 image whose pixels are numbered 0..5 row by row; each orientation's upright image read row by row.
        byte[] rgba = new byte[3 * 2 * 4];
        for (int i = 0; i < 6; i++)
        {
            rgba[4 * i] = (byte)i;
        }

        int[][] expected =
        [
            [0, 1, 2, 3, 4, 5], // 1 TopLeft
            [2, 1, 0, 5, 4, 3], // 2 mirrored horizontally
            [5, 4, 3, 2, 1, 0], // 3 rotated 180°
            [3, 4, 5, 0, 1, 2], // 4 mirrored vertically
            [0, 3, 1, 4, 2, 5], // 5 transposed
            [3, 0, 4, 1, 5, 2], // 6 rotated 90° clockwise
            [5, 2, 4, 1, 3, 0], // 7 transverse
            [2, 5, 1, 4, 0, 3], // 8 rotated 90° counter-clockwise
        ];
        for (int origin = 1; origin <= 8; origin++)
        {
            (byte[] result, int width, int height) = ImageDecoder.Orient(rgba, 3, 2, (SKEncodedOrigin)origin);

            Assert.That((width, height), Is.EqualTo(origin >= 5 ? (2, 3) : (3, 2)), $"orientation {origin}");
            Assert.That(Enumerable.Range(0, 6).Select(i => (int)result[4 * i]), Is.EqualTo(expected[origin - 1]), $"orientation {origin}");
        }
    }

    [Test]
    public void LoadFashionImage_NotAnImage_ThrowsInvalidDataNamingTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"fashioncore-notimage-{Environment.ProcessId}.png");
        try
        {
            File.WriteAllText(path, "this is not a picture");
            Assert.That(() => ImageDecoder.LoadFashionImage(path),
                Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith(path).And.Message.Contains("not an image"));
            File.WriteAllBytes(path, []);
            Assert.That(() => ImageDecoder.LoadFashionImage(path), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("not an image"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadFashionImage_TruncatedPng_ThrowsInvalidData()
    {
        byte[] rgba = new byte[64 * 64 * 4];
        Random.Shared.NextBytes(rgba);
        byte[] png = TestImages.Encode(rgba, 64, 64, SKEncodedImageFormat.Png);
        string path = Path.Combine(Path.GetTempPath(), $"fashioncore-truncated-{Environment.ProcessId}.png");
        try
        {
            File.WriteAllBytes(path, png[..(png.Length / 2)]);
            Assert.That(() => ImageDecoder.LoadFashionImage(path), Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadFashionImage_SolidColourPng_ThrowsNoObjectFound()
    {
        byte[] rgba = new byte[40 * 30 * 4];
        Array.Fill(rgba, (byte)255);
        string path = Path.Combine(Path.GetTempPath(), $"fashioncore-solid-{Environment.ProcessId}.png");
        try
        {
            File.WriteAllBytes(path, TestImages.Encode(rgba, 40, 30, SKEncodedImageFormat.Png));
            Assert.That(() => ImageDecoder.LoadFashionImage(path),
                Throws.InstanceOf<InvalidDataException>().With.Message.StartsWith(path).And.Message.Contains("no object found"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadFashionImage_MissingFile_ThrowsFileNotFound()
    {
        Assert.That(() => ImageDecoder.LoadFashionImage("/nonexistent/shirt.png"), Throws.InstanceOf<FileNotFoundException>());
    }
}
