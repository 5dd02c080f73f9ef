using FashionCore.Data;

namespace FashionCore.Tests.Data;

public class IdxRoundTripTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("fashioncore-idx-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase("images.idx")]
    [TestCase("images.idx.gz")]
    public void WriteImages_ThenRead_GivesSameImages(string name)
    {
        byte[] pixels = [.. Enumerable.Range(0, 5 * 3 * 4).Select(i => (byte)(i * 37))];
        string path = Path.Combine(_dir, name);
        IdxWriter.WriteImages(path, pixels, 5, 3, 4);

        IdxImages read = IdxReader.ReadImages(path);

        Assert.That(read.Count, Is.EqualTo(5));
        Assert.That(read.Rows, Is.EqualTo(3));
        Assert.That(read.Columns, Is.EqualTo(4));
        Assert.That(read.Pixels, Is.EqualTo(pixels));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1), "no temporary file is left behind");
    }

    [TestCase("labels.idx")]
    [TestCase("labels.idx.gz")]
    public void WriteLabels_ThenRead_GivesSameLabels(string name)
    {
        byte[] labels = [9, 0, 0, 3, 0, 2, 7, 2, 5, 5];
        string path = Path.Combine(_dir, name);
        IdxWriter.WriteLabels(path, labels);

        Assert.That(IdxReader.ReadLabels(path), Is.EqualTo(labels));
    }

    [Test]
    public void WriteImages_GzipFile_StartsWithGzipMagicAndRawDoesNot()
    {
        IdxWriter.WriteImages(Path.Combine(_dir, "a.gz"), new byte[4], 1, 2, 2);
        IdxWriter.WriteImages(Path.Combine(_dir, "a"), new byte[4], 1, 2, 2);

        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "a.gz"))[..2], Is.EqualTo(new byte[] { 0x1F, 0x8B }));
        Assert.That(File.ReadAllBytes(Path.Combine(_dir, "a"))[..4], Is.EqualTo(new byte[] { 0, 0, 8, 3 }));
    }

    [Test]
    public void WriteImages_WrongPixelCount_Throws()
    {
        Assert.Throws<ArgumentException>(() => IdxWriter.WriteImages(Path.Combine(_dir, "x"), new byte[5], 1, 2, 2));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void LoadTrainFrom_OnlyTrainFiles_LoadsTrainAsLoadFromDoes()
    {
        byte[] pixels = [.. Enumerable.Range(0, 3 * 784).Select(i => (byte)(i * 13))];
        byte[] labels = [4, 0, 9];
        IdxWriter.WriteImages(Path.Combine(_dir, FashionMnist.TrainImages.GzipName), pixels, 3, 28, 28);
        IdxWriter.WriteLabels(Path.Combine(_dir, FashionMnist.TrainLabels.BaseName), labels);

        Dataset train = FashionMnist.LoadTrainFrom(_dir);

        Assert.That(train.Pixels.ToArray(), Is.EqualTo(pixels));
        Assert.That(train.Labels.ToArray(), Is.EqualTo(labels));
        Assert.That(train.ImageHeight, Is.EqualTo(28));
        Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadFrom(_dir), "the full load needs the test files");

        IdxWriter.WriteImages(Path.Combine(_dir, FashionMnist.TestImages.BaseName), pixels[..784], 1, 28, 28);
        IdxWriter.WriteLabels(Path.Combine(_dir, FashionMnist.TestLabels.BaseName), labels[..1]);
        Assert.That(FashionMnist.LoadFrom(_dir).Train.Pixels.ToArray(), Is.EqualTo(train.Pixels.ToArray()));
    }

    [Test]
    public void LoadTrainFrom_LabelsMissing_ThrowsNamingTheFile()
    {
        IdxWriter.WriteImages(Path.Combine(_dir, FashionMnist.TrainImages.BaseName), new byte[784], 1, 28, 28);

        FileNotFoundException? e = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadTrainFrom(_dir));
        Assert.That(e!.Message, Does.Contain(FashionMnist.TrainLabels.BaseName));
    }

    [Test]
    public void LoadSplit_CountsDisagree_ThrowsNamingBothFiles()
    {
        string images = Path.Combine(_dir, "img.gz");
        string labels = Path.Combine(_dir, "lbl.gz");
        IdxWriter.WriteImages(images, new byte[3 * 784], 3, 28, 28);
        IdxWriter.WriteLabels(labels, [1, 2]);

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadSplit(images, labels));
        Assert.That(e!.Message, Does.Contain(images).And.Contain(labels).And.Contain("3 images").And.Contain("2 labels"));
    }

    [Test]
    public void WriteImages_ImagePixelCountOverflowsInt_ThrowsNamingTheSize()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => IdxWriter.WriteImages(Path.Combine(_dir, "x"), [], 1, 65536, 65536))!;

        Assert.That(e.ParamName, Is.EqualTo("columns"));
        Assert.That(e.Message, Does.Contain("Images of 65536x65536 have 4294967296 pixels"));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void WriteImages_WrongPixelCount_SaysBothSizes()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => IdxWriter.WriteImages(Path.Combine(_dir, "x"), new byte[5], 65536, 32768, 1024))!;

        Assert.That(e.ParamName, Is.EqualTo("pixels"));
        Assert.That(e.Message, Does.Contain("'pixels' must have 2199023255552 bytes (65536 images of 32768x1024) but has 5"));
    }

    [Test]
    public void IdxImages_ImagePixelCountOverflowsInt_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new IdxImages([], 0, 65536, 32768))!;

        Assert.That(e.ParamName, Is.EqualTo("columns"));
        Assert.That(e.Message, Does.Contain("Images of 65536x32768 have 2147483648 pixels"));
    }

    [Test]
    public void ResolveFile_NullOrEmptyDirectory_ThrowsNamingDirectory()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => FashionMnist.ResolveFile(null!, FashionMnist.Files[0]))!.ParamName, Is.EqualTo("directory"));
        Assert.That(Assert.Throws<ArgumentException>(() => FashionMnist.ResolveFile("", FashionMnist.Files[0]))!.ParamName, Is.EqualTo("directory"));
    }
}
