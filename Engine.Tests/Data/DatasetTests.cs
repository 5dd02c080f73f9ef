using FashionCore.Data;

namespace FashionCore.Tests.Data;

public class DatasetTests
{
    private static readonly string[] s_names = ["a", "b", "c"];

    [Test]
    public void Constructor_PixelCountDisagreesWithLabels_Throws()
    {
        ArgumentException? e = Assert.Throws<ArgumentException>(() => new Dataset(new byte[7], [0, 1], 2, 2, s_names));
        Assert.That(e!.Message, Does.Contain("2 labels need 8 pixel bytes"));
    }

    [Test]
    public void Constructor_LabelWithoutClassName_Throws()
    {
        ArgumentException? e = Assert.Throws<ArgumentException>(() => new Dataset(new byte[8], [0, 3], 2, 2, s_names));
        Assert.That(e!.Message, Does.Contain("label 3 at index 1"));
    }

    [Test]
    public void SelectAndSlice_CopyTheRightImagesAndLabels()
    {
        byte[] pixels = [.. Enumerable.Range(0, 4 * 4).Select(i => (byte)i)];
        var data = new Dataset(pixels, [0, 1, 2, 1], 2, 2, s_names);

        Dataset selected = data.Select([3, 0, 3]);
        Dataset sliced = data.Slice(1, 2);

        Assert.That(selected.Labels.ToArray(), Is.EqualTo(new byte[] { 1, 0, 1 }));
        Assert.That(selected.GetImage(0).ToArray(), Is.EqualTo(new byte[] { 12, 13, 14, 15 }));
        Assert.That(selected.GetImage(1).ToArray(), Is.EqualTo(new byte[] { 0, 1, 2, 3 }));
        Assert.That(sliced.Labels.ToArray(), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(sliced.Pixels.ToArray(), Is.EqualTo(pixels[4..12]));
        Assert.That(data.CountPerClass(), Is.EqualTo(new[] { 1, 2, 1 }));
        Assert.That(data.GetLabelsInt32(), Is.EqualTo(new[] { 0, 1, 2, 1 }));
        Assert.That(data.ToFloatPixels(), Is.EqualTo(pixels.Select(b => (float)b).ToArray()));
    }

    [Test]
    public void Select_IndexOutOfRange_ThrowsNamingPosition()
    {
        var data = new Dataset(new byte[8], [0, 1], 2, 2, s_names);
        ArgumentOutOfRangeException? e = Assert.Throws<ArgumentOutOfRangeException>(() => data.Select([1, 2]));
        Assert.That(e!.Message, Does.Contain("position 1"));
    }

    [Test]
    [Category("Dataset")]
    public void Images_RealTrainSet_IsContiguousMatrixOfFlattenedImages()
    {
        Dataset train = TestData.FashionMnist.Train;

        Assert.That(train.Images.Height, Is.EqualTo(60000));
        Assert.That(train.Images.Width, Is.EqualTo(784));
        Assert.That(train.Images.Span.GetRowSpan(59999).ToArray(), Is.EqualTo(train.GetImage(59999).ToArray()));
        Assert.That(train.ClassNames[9], Is.EqualTo("Ankle boot"));
    }

    [Test]
    public void Constructor_ImagePixelCountOverflowsInt_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new Dataset([], [], 65536, 65536, s_names))!;

        Assert.That(e.ParamName, Is.EqualTo("imageWidth"));
        Assert.That(e.Message, Does.Contain("Images of 65536x65536 have 4294967296 pixels"));
    }
}
