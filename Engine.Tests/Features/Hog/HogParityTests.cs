using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Hog;

namespace FashionCore.Tests.Features.Hog;

/// <summary>
/// Bit-exact parity with scikit-image 0.19.3 on real Fashion-MNIST images: every comparison is on the float64 bits
/// (no tolerance), and the float32 outputs must equal (float) of those doubles.
/// </summary>
[Category("Dataset")]
public class HogParityTests
{
    [Test]
    public void Compute_SharedGoldenO8Train100_BitExact()
    {
        using JsonDocument golden = HogGolden.Load("hog_o8.json.gz");
        var model = new HogModel(new HogOptions { Orientations = 8 });
        double[] actual = new double[model.OutputFeatureCount];
        float[] actualFloat = new float[model.OutputFeatureCount];
        int checkedImages = 0;
        foreach (JsonElement entry in golden.RootElement.GetProperty("images").EnumerateArray())
        {
            int index = entry.GetProperty("index").GetInt32();
            double[] expected = HogGolden.Doubles(entry.GetProperty("hog"));
            model.Compute(HogGolden.Image(index), actual);
            model.Compute(HogGolden.Image(index), actualFloat);
            Assert.That(actual, Is.EqualTo(expected), $"train {index}: {HogGolden.FirstDifference(expected, actual)}");
            Assert.That(actualFloat, Is.EqualTo(expected.Select(v => (float)v).ToArray()), $"train {index} float output");
            checkedImages++;
        }

        Assert.That(checkedImages, Is.EqualTo(100));
    }

    [Test]
    public void Transform_O8Random200TrainAndTest_BitExactAsFloat()
    {
        using JsonDocument golden = HogGolden.Load("hog_o8_random200.json.gz");
        var model = new HogModel(HogGolden.Options(golden.RootElement.GetProperty("options")));
        int[] indices = golden.RootElement.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.That(indices, Has.Length.EqualTo(200).And.Some.GreaterThanOrEqualTo(60000));

        byte[] pixels = new byte[indices.Length * 784];
        for (int i = 0; i < indices.Length; i++)
        {
            HogGolden.Image(indices[i]).CopyTo(pixels.AsSpan(i * 784));
        }

        // The batch path (parallel, two threads or more) and the double single-image path against the same golden.
        float[] batch = new float[indices.Length * 72];
        model.Transform(new ReadOnlySpan2D<byte>(pixels, indices.Length, 784), new Span2D<float>(batch, indices.Length, 72), maxDegreeOfParallelism: 4);
        double[] single = new double[72];
        int i2 = 0;
        foreach (JsonElement row in golden.RootElement.GetProperty("hog").EnumerateArray())
        {
            double[] expected = HogGolden.Doubles(row);
            model.Compute(pixels.AsSpan(i2 * 784, 784), single);
            Assert.That(single, Is.EqualTo(expected), $"image {indices[i2]}: {HogGolden.FirstDifference(expected, single)}");
            Assert.That(batch.AsSpan(i2 * 72, 72).ToArray(), Is.EqualTo(expected.Select(v => (float)v).ToArray()), $"image {indices[i2]} batch");
            i2++;
        }

        Assert.That(i2, Is.EqualTo(indices.Length), "golden rows checked");
    }

    [Test]
    public void Compute_IntegerGradientVariants_BitExact()
    {
        // uint8 input without transform_sqrt: every block norm, cell and block shape of hog_variants.json.gz.
        using JsonDocument golden = HogGolden.Load("hog_variants.json.gz");
        int variants = 0;
        foreach (JsonElement variant in golden.RootElement.GetProperty("variants").EnumerateArray())
        {
            if (!HasIntegerGradients(variant))
            {
                continue;
            }

            int mismatches = CompareVariant(variant, assertExact: true, out _);
            Assert.That(mismatches, Is.Zero);
            variants++;
        }

        Assert.That(variants, Is.EqualTo(10));
    }

    [Test]
    public void Compute_SqrtAndFloatVariantsAgainstLibmAtan2Numpy_BitExact()
    {
        // transform_sqrt and non-integer float pixels, against skimage with numpy's arctan2 = glibc's atan2
        // (NPY_DISABLE_CPU_FEATURES=AVX512..., see make_hog_golden.py): bit-exact.
        using JsonDocument golden = HogGolden.Load("hog_variants_libm_atan2.json.gz");
        int variants = 0;
        foreach (JsonElement variant in golden.RootElement.GetProperty("variants").EnumerateArray())
        {
            Assert.That(HasIntegerGradients(variant), Is.False);
            int mismatches = CompareVariant(variant, assertExact: true, out _);
            Assert.That(mismatches, Is.Zero);
            variants++;
        }

        Assert.That(variants, Is.EqualTo(4));
    }

    [Test]
    public void Compute_SqrtAndFloatVariantsAgainstAvx512Numpy_DifferOnlyWhereAnAngleIsOnABinEdge()
    {
        // numpy as installed uses an AVX-512 (SVML) arctan2 on this CPU. It and glibc's atan2 round some angles that
        // lie exactly on a bin edge (e.g. atan2(-1, 1 - sqrt(2)) = -5π/8, 67.5° after the modulo) to different
        // sides of the edge, so skimage's own output depends on the CPU there. Every image we do not match bit for
        // bit must contain such an angle; all others must be identical.
        using JsonDocument golden = HogGolden.Load("hog_variants.json.gz");
        int images = 0;
        int different = 0;
        foreach (JsonElement variant in golden.RootElement.GetProperty("variants").EnumerateArray())
        {
            if (HasIntegerGradients(variant))
            {
                continue;
            }

            different += CompareVariant(variant, assertExact: false, out int count);
            images += count;
        }

        Assert.That(images, Is.EqualTo(66));
        Assert.That(different, Is.LessThan(images / 4), "edge angles are rare");
        TestContext.Out.WriteLine($"{different} of {images} transform_sqrt/float images differ from AVX-512 numpy, each on a bin-edge angle.");
    }

    private static bool HasIntegerGradients(JsonElement variant) =>
        variant.GetProperty("input").GetString() == "uint8" && !variant.GetProperty("options").GetProperty("transform_sqrt").GetBoolean();

    /// <summary>Compares one golden variant; returns the number of images that differ (each checked for an on-edge angle).</summary>
    private static int CompareVariant(JsonElement variant, bool assertExact, out int count)
    {
        string name = variant.GetProperty("name").GetString()!;
        HogOptions options = HogGolden.Options(variant.GetProperty("options"));
        var model = new HogModel(options);
        bool floatInput = variant.GetProperty("input").GetString() == "float32/255";
        int[] indices = variant.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        double[] actual = new double[model.OutputFeatureCount];
        float[] actualFloat = new float[model.OutputFeatureCount];
        float[] floatImage = new float[784];
        int k = 0;
        int mismatches = 0;
        foreach (JsonElement row in variant.GetProperty("hog").EnumerateArray())
        {
            double[] expected = HogGolden.Doubles(row);
            ReadOnlySpan<byte> image = HogGolden.Image(indices[k]);
            if (floatInput)
            {
                // numpy: img.astype(float32) / float32(255), then widened to float64 for hog.
                for (int p = 0; p < 784; p++)
                {
                    floatImage[p] = image[p] / 255f;
                }

                model.Compute(floatImage, actual);
                model.Compute(floatImage, actualFloat);
            }
            else
            {
                model.Compute(image, actual);
                model.Compute(image, actualFloat);
            }

            Assert.That(actualFloat, Is.EqualTo(actual.Select(v => (float)v).ToArray()), $"{name}, image {indices[k]}: float output is (float) of the double");
            if (assertExact)
            {
                Assert.That(actual, Is.EqualTo(expected), $"{name}, image {indices[k]}: {HogGolden.FirstDifference(expected, actual)}");
            }
            else if (!actual.AsSpan().SequenceEqual(expected))
            {
                mismatches++;
                double[] pixels = new double[784];
                for (int p = 0; p < 784; p++)
                {
                    pixels[p] = floatInput ? (double)(image[p] / 255f) : image[p];
                }

                Assert.That(HasAngleOnBinEdge(pixels, options), Is.True, $"{name}, image {indices[k]} differs without an on-edge angle: {HogGolden.FirstDifference(expected, actual)}");
            }

            k++;
        }

        count = k;
        return mismatches;
    }

    /// <summary>Whether a counted pixel's orientation lies within 4 ulps of a bin edge (where libm and SVML atan2 may disagree).</summary>
    private static bool HasAngleOnBinEdge(double[] pixels, HogOptions options)
    {
        const int Size = 28;
        double[] value = options.TransformSqrt ? pixels.Select(Math.Sqrt).ToArray() : pixels;
        double width = 180.0 / options.Orientations;
        int rows = Size / options.PixelsPerCell.Rows * options.PixelsPerCell.Rows;
        int columns = Size / options.PixelsPerCell.Columns * options.PixelsPerCell.Columns;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double gRow = r > 0 && r < Size - 1 ? value[((r + 1) * Size) + c] - value[((r - 1) * Size) + c] : 0.0;
                double gCol = c > 0 && c < Size - 1 ? value[(r * Size) + c + 1] - value[(r * Size) + c - 1] : 0.0;
                double theta = Math.Atan2(gRow, gCol) * (180.0 / Math.PI) % 180.0;
                theta = theta < 0 ? theta + 180.0 : theta;
                for (int b = 0; b <= options.Orientations; b++)
                {
                    double edge = width * b;
                    double ulp = Math.BitIncrement(edge) - edge;
                    if (Math.Abs(theta - edge) <= 4 * ulp && (gRow != 0 || gCol != 0))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    [Test]
    public void Compute_FloatPixelsOfUint8Image_EqualsUint8Path()
    {
        // Float rows of raw pixels (the pipeline input) go through the uint8 tables; with transform_sqrt they go
        // through hypot/atan2 per pixel. Both must equal the uint8 result.
        foreach (HogOptions options in new[] { new HogOptions(), new HogOptions { TransformSqrt = true, PixelsPerCell = (4, 4), CellsPerBlock = (2, 2) } })
        {
            var model = new HogModel(options);
            double[] fromBytes = new double[model.OutputFeatureCount];
            double[] fromFloats = new double[model.OutputFeatureCount];
            for (int index = 0; index < 20; index++)
            {
                ReadOnlySpan<byte> image = HogGolden.Image(index);
                float[] floats = new float[784];
                for (int p = 0; p < 784; p++)
                {
                    floats[p] = image[p];
                }

                model.Compute(image, fromBytes);
                model.Compute(floats, fromFloats);
                Assert.That(fromFloats, Is.EqualTo(fromBytes), $"{options}, image {index}");
            }
        }
    }
}
