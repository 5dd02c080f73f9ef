using System.Runtime.Intrinsics;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Data;
using FashionCore.Features.Hog;
using HogEstimator = FashionCore.Features.Hog.Hog;

namespace FashionCore.Tests.Features.Hog;

public class HogModelTests
{
    [Test]
    public void Compute_SingleImage_AllocatesNothing()
    {
        byte[] image = RandomImage(28, 28, seed: 1);
        float[] floatImage = image.Select(b => (float)b).ToArray();
        foreach (HogOptions options in new[]
        {
            new HogOptions { Orientations = 8 },
            new HogOptions { PixelsPerCell = (4, 4), CellsPerBlock = (2, 2), BlockNorm = HogBlockNorm.L1 },
            new HogOptions { TransformSqrt = true },
        })
        {
            var model = new HogModel(options);
            float[] destination = new float[model.OutputFeatureCount];
            double[] destinationDouble = new double[model.OutputFeatureCount];

            // Warm up (JIT, tables), then measure.
            model.Compute(image, destination);
            model.Compute(image, destinationDouble);
            model.Compute(floatImage, destination);
            model.Compute(floatImage, destinationDouble);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                model.Compute(image, destination);
                model.Compute(image, destinationDouble);
                model.Compute(floatImage, destination);
                model.Compute(floatImage, destinationDouble);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(allocated, Is.Zero, options.ToString());
        }
    }

    [Test]
    [Category("Dataset")]
    public void Transform_OneVersusManyThreads_IdenticalOutput()
    {
        Dataset test = TestData.FashionMnist.Test;
        ReadOnlySpan2D<byte> images = test.Images.Span[..3000, ..];
        var model = new HogModel(new HogOptions { Orientations = 8 });
        float[] one = new float[3000 * 72];
        float[] many = new float[3000 * 72];
        float[] all = new float[3000 * 72];
        model.Transform(images, new Span2D<float>(one, 3000, 72), maxDegreeOfParallelism: 1);
        model.Transform(images, new Span2D<float>(many, 3000, 72), maxDegreeOfParallelism: 7);
        model.Transform(images, new Span2D<float>(all, 3000, 72));

        Assert.That(many, Is.EqualTo(one));
        Assert.That(all, Is.EqualTo(one));
        Assert.That(one.Count(v => v != 0f), Is.GreaterThan(3000 * 30), "a transform that wrote nothing would also be thread-independent");

        float[] single = new float[72];
        model.Compute(test.GetImage(2999), single);
        Assert.That(one.AsSpan(2999 * 72, 72).ToArray(), Is.EqualTo(single));
    }

    [Test]
    public void Transform_PipelineStepOnFloatRows_EqualsByteBatch()
    {
        byte[] pixels = new byte[600 * 784];
        new Random(3).NextBytes(pixels);
        float[] floats = pixels.Select(b => (float)b).ToArray();
        var estimator = new HogEstimator(new HogOptions { Orientations = 8 });
        ITransformer transformer = estimator.Fit(new ReadOnlyMemory2D<float>(floats, 600, 784));
        Assert.That(transformer.InputFeatureCount, Is.EqualTo(784));
        Assert.That(transformer.OutputFeatureCount, Is.EqualTo(72));

        float[] fromFloats = new float[600 * 72];
        float[] fromBytes = new float[600 * 72];
        transformer.Transform(new ReadOnlySpan2D<float>(floats, 600, 784), new Span2D<float>(fromFloats, 600, 72));
        estimator.Fit().Transform(new ReadOnlySpan2D<byte>(pixels, 600, 784), new Span2D<float>(fromBytes, 600, 72), 1);

        Assert.That(fromFloats, Is.EqualTo(fromBytes));
    }

    [Test]
    public void Transform_StridedViews_WritesOnlyTheirRows()
    {
        // A 300-image view with row padding on both sides: the parallel path must honour both pitches.
        byte[] padded = new byte[300 * 800];
        new Random(5).NextBytes(padded);
        float[] target = new float[300 * 80];
        Array.Fill(target, -1f);
        var model = new HogModel(new HogOptions { Orientations = 8 });
        model.Transform(new ReadOnlySpan2D<byte>(padded, 0, 300, 784, 16), new Span2D<float>(target, 0, 300, 72, 8), 2);

        float[] expected = new float[72];
        for (int i = 0; i < 300; i++)
        {
            model.Compute(padded.AsSpan(i * 800, 784), expected);
            Assert.That(target.AsSpan(i * 80, 72).ToArray(), Is.EqualTo(expected), $"row {i}");
            Assert.That(target.AsSpan((i * 80) + 72, 8).ToArray(), Is.All.EqualTo(-1f), $"padding of row {i}");
        }
    }

    [Test]
    public void Fit_WrongRowWidth_ThrowsArgumentException()
    {
        var estimator = new HogEstimator();
        Assert.That(() => estimator.Fit(new ReadOnlyMemory2D<float>(new float[10 * 100], 10, 100)),
            Throws.ArgumentException.With.Message.Contains("784").And.Property("ParamName").EqualTo("x"));
    }

    [TestCase(100, float.NaN)]
    [TestCase(100, float.PositiveInfinity)]
    [TestCase(783, float.NaN)] // bottom-right: past the last whole 8x8 cell, so it never reaches a feature
    public void Compute_NonFinitePixel_ThrowsNamingThePixel(int pixel, float value)
    {
        var model = new HogModel(new HogOptions());
        float[] image = [.. RandomImage(28, 28, seed: 3).Select(b => (float)b)];
        image[pixel] = value;

        Assert.That(() => model.Compute(image, new float[81]),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("image").And.Message.Contains($"at pixel {pixel} (row {pixel / 28}, column {pixel % 28})"));
        Assert.That(() => model.Compute(image, new double[81]),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("image").And.Message.Contains($"at pixel {pixel}"));
        Assert.That(() => model.DrawHogImage(image, new double[784]),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("image").And.Message.Contains($"at pixel {pixel}"));
    }

    [Test]
    public void Compute_NegativePixelWithTransformSqrt_ThrowsNamingThePixel()
    {
        var model = new HogModel(new HogOptions { TransformSqrt = true });
        float[] image = [.. RandomImage(28, 28, seed: 4).Select(b => (float)b)];
        image[100] = -50;

        Assert.That(() => model.Compute(image, new float[81]),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("image").And.Message.Contains("-50 at pixel 100").And.Message.Contains("non-negative"));
    }

    [Test]
    public void Compute_FinitePixelsOverflowingTheHistogram_ThrowsSayingTheyAreTooLarge()
    {
        // Columns +3e38, +3e38, −3e38, −3e38, …: each column gradient (x[c+1] − x[c−1]) is ±6e38, finite in double but
        // +Inf in the float32 cell totals.
        var model = new HogModel(new HogOptions());
        float[] image = [.. Enumerable.Range(0, 784).Select(i => i % 4 < 2 ? 3e38f : -3e38f)];

        Assert.That(() => model.Compute(image, new float[81]),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("image").And.Message.Contains("too large"));
    }

    [TestCase(1)]
    [TestCase(-1)]
    public void Transform_NaNPixels_ThrowsNamingTheFirstImage(int maxDegreeOfParallelism)
    {
        // 300 images: more than one 256-image chunk, so −1 takes the parallel path and must still name image 5, not 290.
        var model = new HogModel(new HogOptions());
        float[] x = [.. Enumerable.Range(0, 300).SelectMany(i => RandomImage(28, 28, i)).Select(b => (float)b)];
        x[(290 * 784) + 10] = float.NaN;
        x[(5 * 784) + 100] = float.NaN;

        Assert.That(() => model.Transform(new ReadOnlySpan2D<float>(x, 300, 784), new Span2D<float>(new float[300 * 81], 300, 81), maxDegreeOfParallelism),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("x").And.Message.Contains("'x' image 5 has NaN at pixel 100"));
    }

    [Test]
    public void Transform_ResultBeyondArray_ThrowsNamingImages()
    {
        // 28 images of 784·10⁵ features: 2.2·10⁹ values, which wrapped around int (a bare OverflowException).
        var model = new HogModel(new HogOptions { Orientations = 100_000, PixelsPerCell = (1, 1), CellsPerBlock = (1, 1) });

        Assert.That(() => model.Transform(new ReadOnlySpan2D<byte>(new byte[28 * 784], 28, 784)),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("images").And.Message.Contains("more than an array can hold"));
    }

    [Test]
    public void Compute_WrongLengths_ThrowArgumentException()
    {
        var model = new HogModel(new HogOptions());
        Assert.That(() => model.Compute(new byte[783], new double[81]), Throws.ArgumentException.With.Property("ParamName").EqualTo("image"));
        Assert.That(() => model.Compute(new byte[784], new float[80]), Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
        Assert.That(() => model.Transform(new ReadOnlySpan2D<byte>(new byte[2 * 784], 2, 784), new Span2D<float>(new float[3 * 81], 3, 81)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
        Assert.That(() => model.Transform(new ReadOnlySpan2D<byte>(new byte[2 * 784], 2, 784), new Span2D<float>(new float[2 * 81], 2, 81), 0),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("maxDegreeOfParallelism"));
    }

    [TestCase(1)]
    [TestCase(8)]
    [TestCase(39)]
    [TestCase(78)]
    [TestCase(180)]
    [TestCase(254)]
    public void HistogramFromBytes_AnyOrientationCount_EqualsHypotAtan2Path(int orientations)
    {
        // The tables are a cache of the per-pixel path; they must agree on every bin, including counts whose last
        // bin edge rounds below 180 (39, 78).
        Assume.That(Vector256.IsHardwareAccelerated, "the table path needs 256-bit SIMD; without it HogModel never takes it");
        var model = new HogModel(new HogOptions { Orientations = orientations, PixelsPerCell = (3, 5), CellsPerBlock = (1, 1) }, 31, 29);
        var geometry = HogGeometryFor(model);
        Assert.That(HogKernel.CanUseTables(geometry), Is.True);
        float[] fromTable = new float[geometry.HistogramLength];
        float[] fromMath = new float[geometry.HistogramLength];
        for (int seed = 0; seed < 5; seed++)
        {
            byte[] image = RandomImage(31, 29, seed);
            HogKernel.HistogramFromBytes(image, geometry, HogTables.GetEntries(orientations)!, fromTable);
            HogKernel.Histogram<byte, BytePixels>(image, geometry, HogMath.CreateBinEdges(orientations), fromMath);
            Assert.That(fromTable, Is.EqualTo(fromMath));
        }
    }

    [TestCase(28, 28, 8, 8, 8)]
    [TestCase(28, 28, 6, 6, 9)]
    [TestCase(24, 28, 8, 6, 39)]
    [TestCase(23, 50, 4, 9, 8)]
    public void HistogramFromBytes_RowsReadInPlaceWithFlatRegions_EqualsHypotAtan2Path(int height, int width, int cellRows, int cellColumns, int orientations)
    {
        // Geometries whose 8-wide loads fit inside the rows, so the kernel reads the image in place (no padded copy),
        // including cells that straddle 8-column chunks (6, 9 wide) and a last used row that is the image's last row
        // (24 = 3·8). The image is a slice of a larger buffer with non-zero bytes around it, and has flat regions so
        // that whole cell rows are skipped by the vote loop.
        Assume.That(Vector256.IsHardwareAccelerated, "the table path needs 256-bit SIMD; without it HogModel never takes it");
        var model = new HogModel(new HogOptions { Orientations = orientations, PixelsPerCell = (cellRows, cellColumns), CellsPerBlock = (1, 1) }, height, width);
        var geometry = HogGeometryFor(model);
        Assert.That(((geometry.CellsAcross * cellColumns) + 7) & ~7, Is.LessThan(width), "the in-place condition of HistogramFromBytes");
        float[] fromTable = new float[geometry.HistogramLength];
        float[] fromMath = new float[geometry.HistogramLength];
        for (int seed = 0; seed < 4; seed++)
        {
            byte[] buffer = RandomImage(height + 2, width, seed + 100);
            Span<byte> image = buffer.AsSpan(width, height * width);
            for (int r = 0; r < height; r++)
            {
                for (int c = 0; c < width; c++)
                {
                    // Seed 0 stays random; the others get a flat band of rows, a flat block and a constant column band.
                    bool flat = seed > 0 && (r < (seed * 3) || (r >= 12 && c < 13) || (c >= width - 10 && r % 2 == 0));
                    if (flat)
                    {
                        image[(r * width) + c] = seed == 3 ? (byte)255 : (byte)0;
                    }
                }
            }

            HogKernel.HistogramFromBytes(image, geometry, HogTables.GetEntries(orientations)!, fromTable);
            HogKernel.Histogram<byte, BytePixels>(image, geometry, HogMath.CreateBinEdges(orientations), fromMath);
            Assert.That(fromTable, Is.EqualTo(fromMath), $"seed {seed}");
        }
    }

    [Test]
    public void Compute_OrientationsBeyondTable_UsesPerPixelPath()
    {
        var model = new HogModel(new HogOptions { Orientations = 300, PixelsPerCell = (14, 14), CellsPerBlock = (2, 2) });
        double[] features = new double[model.OutputFeatureCount];
        model.Compute(RandomImage(28, 28, 9), features);
        Assert.That(features, Has.Length.EqualTo(4 * 300));

        // L2-Hys leaves each block with unit L2 norm (ε² = 1e-10 is negligible against 0..255 gradients).
        double sumOfSquares = features.Sum(v => v * v);
        Assert.That(sumOfSquares, Is.EqualTo(1.0).Within(1e-9));
    }

    private static HogGeometry HogGeometryFor(HogModel model) => HogGeometry.Create(model.Options, model.ImageHeight, model.ImageWidth);

    private static byte[] RandomImage(int height, int width, int seed)
    {
        byte[] image = new byte[height * width];
        new Random(seed).NextBytes(image);
        return image;
    }
}
