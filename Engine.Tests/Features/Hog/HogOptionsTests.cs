using FashionCore.Features.Hog;
using HogEstimator = FashionCore.Features.Hog.Hog;

namespace FashionCore.Tests.Features.Hog;

public class HogOptionsTests
{
    [Test]
    public void Defaults_AreSkimages()
    {
        var options = new HogOptions();

        Assert.That(options.Orientations, Is.EqualTo(9));
        Assert.That(options.PixelsPerCell, Is.EqualTo((8, 8)));
        Assert.That(options.CellsPerBlock, Is.EqualTo((3, 3)));
        Assert.That(options.BlockNorm, Is.EqualTo(HogBlockNorm.L2Hys));
        Assert.That(options.TransformSqrt, Is.False);
    }

    [TestCase(0, 8, 8, 3, 3, HogBlockNorm.L2Hys, "Orientations")]
    [TestCase(-3, 8, 8, 3, 3, HogBlockNorm.L2Hys, "Orientations")]
    [TestCase(9, 0, 8, 3, 3, HogBlockNorm.L2Hys, "PixelsPerCell")]
    [TestCase(9, 8, -1, 3, 3, HogBlockNorm.L2Hys, "PixelsPerCell")]
    [TestCase(9, 8, 8, 0, 3, HogBlockNorm.L2Hys, "CellsPerBlock")]
    [TestCase(9, 8, 8, 3, 0, HogBlockNorm.L2Hys, "CellsPerBlock")]
    [TestCase(9, 8, 8, 3, 3, (HogBlockNorm)17, "BlockNorm")]
    public void Validate_OutOfRange_ThrowsNamingTheOption(int orientations, int ppcRows, int ppcColumns, int cpbRows, int cpbColumns, HogBlockNorm norm, string name)
    {
        var options = new HogOptions
        {
            Orientations = orientations,
            PixelsPerCell = (ppcRows, ppcColumns),
            CellsPerBlock = (cpbRows, cpbColumns),
            BlockNorm = norm,
        };

        Assert.That(options.Validate, Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(name));
        Assert.That(() => new HogModel(options), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(name));
        Assert.That(() => new HogEstimator(options), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo(name));
    }

    [TestCase(8, 8, 8, 3, 3, 28, 28, 72)]
    [TestCase(9, 8, 8, 3, 3, 28, 28, 81)]
    [TestCase(9, 4, 4, 2, 2, 28, 28, 1296)]
    [TestCase(12, 7, 7, 2, 2, 28, 28, 432)]
    [TestCase(8, 6, 6, 2, 2, 28, 28, 288)]
    [TestCase(6, 4, 7, 3, 2, 28, 28, 540)]
    [TestCase(9, 8, 8, 3, 3, 24, 40, 1 * 3 * 81)]
    public void GetOutputLength_KnownShapes_MatchesSkimage(int o, int ppcRows, int ppcColumns, int cpbRows, int cpbColumns, int height, int width, int expected)
    {
        var options = new HogOptions { Orientations = o, PixelsPerCell = (ppcRows, ppcColumns), CellsPerBlock = (cpbRows, cpbColumns) };

        Assert.That(options.GetOutputLength(height, width), Is.EqualTo(expected));
    }

    [TestCase(23, 28, "imageHeight")]
    [TestCase(28, 16, "imageWidth")]
    [TestCase(7, 7, "imageHeight")]
    public void GetOutputLength_ImageSmallerThanOneBlock_ThrowsArgumentException(int height, int width, string name)
    {
        var options = new HogOptions();

        Assert.That(() => options.GetOutputLength(height, width),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo(name).And.Message.Contains("too few for one block"));
        Assert.That(() => new HogModel(options, height, width), Throws.TypeOf<ArgumentException>());
    }

    [TestCase(65536, 65536, 65536, 65536, "imageHeight")]
    [TestCase(65536, 32769, 65536, 32768, "imageHeight")]
    [TestCase(32769, 65536, 32768, 65536, "imageWidth")]
    public void Constructor_PixelCountBeyondArray_ThrowsNamingTheImageSize(int height, int width, int cellRows, int cellColumns, string name)
    {
        // H·W wrapped around int: 65536² gave 0 input features (then IndexOutOfRange in Compute), 65536×32769 a negative count.
        var options = new HogOptions { PixelsPerCell = (cellRows, cellColumns), CellsPerBlock = (1, 1) };

        Assert.That(() => new HogEstimator(options, height, width),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo(name).And.Message.Contains("pixels, more than an array can hold"));
        Assert.That(() => options.GetOutputLength(height, width), Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo(name));
    }

    [Test]
    public void Validate_BlockBeyondArray_ThrowsNamingOrientations()
    {
        // A block of 1x1 cells holds Orientations values: int.MaxValue of them fit no array, whatever the image.
        var options = new HogOptions { Orientations = int.MaxValue, CellsPerBlock = (1, 1) };

        Assert.That(options.Validate,
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Orientations").And.Message.Contains("more than an array can"));
        Assert.That(() => new HogEstimator(options), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Orientations"));
        Assert.That(() => new HogOptions { Orientations = 1, CellsPerBlock = (50000, 50000) }.Validate(),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("CellsPerBlock"));
    }

    [Test]
    public void Validate_BlockWhoseLengthWrapsALong_ThrowsInsteadOfPassing()
    {
        // 2^22 · 2^21 · 2^21 = 2^64: a 64-bit product is 0 and looked small enough.
        var options = new HogOptions { Orientations = 1 << 22, CellsPerBlock = (1 << 21, 1 << 21) };

        Assert.That(options.Validate, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("18446744073709551616 values"));
    }

    [Test]
    public void GetOutputLength_HistogramBeyondArray_ThrowsNamingOrientations()
    {
        // 784 one-pixel cells of 3·10⁸ + 1 histogram slots: the orientations, not the 28x28 image, are out of proportion.
        var options = new HogOptions { Orientations = 300_000_000, PixelsPerCell = (1, 1), CellsPerBlock = (1, 1) };

        Assert.That(() => options.GetOutputLength(28, 28),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("Orientations").And.Message.Contains("histogram values"));
    }

    [Test]
    public void GetOutputLength_NonPositiveSize_ThrowsArgumentOutOfRange()
    {
        Assert.That(() => new HogOptions().GetOutputLength(0, 28),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("imageHeight"));
        Assert.That(() => new HogOptions().GetOutputLength(28, -1),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("imageWidth"));
    }
}
