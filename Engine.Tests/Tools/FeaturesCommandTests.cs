using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Tools;

/// <summary><c>fashion features</c>: the written files re-read and compared with the engine's transforms of the same rows.</summary>
[Category("Dataset")]
public class FeaturesCommandTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("fashioncore-features-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Features_PixelsCsvOfTestRows_HoldsLabelsAndExactX255Values()
    {
        string path = Path.Combine(_directory, "pixels.csv");

        JsonElement json = ToolJson.Run("features", "pixels", "--split", "test", "--range", "3:8", "--out", path);

        string[] lines = File.ReadAllText(path).TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(6));
        Assert.That(lines[0], Does.StartWith("label,pixel1,pixel2,").And.EndWith(",pixel784"));
        float[] expected = new float[5 * 784];
        PixelScaler.Scale(TestData.FashionMnist.Test.Images.Span.Slice(3, 0, 5, 784), new Span2D<float>(expected, 5, 784));
        for (int i = 0; i < 5; i++)
        {
            string[] cells = lines[i + 1].Split(',');
            Assert.That(int.Parse(cells[0], CultureInfo.InvariantCulture), Is.EqualTo(TestData.FashionMnist.Test.Labels.Span[3 + i]));
            Assert.That(cells.Skip(1).Select(c => float.Parse(c, CultureInfo.InvariantCulture)), Is.EqualTo(expected.AsSpan(i * 784, 784).ToArray()));
        }

        Assert.That(json.GetProperty("rows").GetInt32(), Is.EqualTo(5));
        Assert.That(json.GetProperty("columns").GetInt32(), Is.EqualTo(784));
        Assert.That(json.GetProperty("scale").GetString(), Is.EqualTo("x255"));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1), "no temporary file left behind");
    }

    [Test]
    public void Features_HogNpyAcrossTheSplitBoundary_HasNumpyV1HeaderAndTheHogRows()
    {
        string path = Path.Combine(_directory, "hog.npy");

        JsonElement json = ToolJson.Run("features", "hog", "--split", "all", "--range", "59998:60002", "--orientations", "9", "--out", path);

        byte[] bytes = File.ReadAllBytes(path);
        // NPY 1.0: magic, version 1.0, little-endian uint16 header length, a dict padded to a 64-byte boundary, '\n'.
        Assert.That(bytes.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.That((10 + headerLength) % 64, Is.Zero);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.That(header.TrimEnd(' ', '\n'), Is.EqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 81), }"));
        Assert.That(header, Does.EndWith("\n"));
        Assert.That(bytes, Has.Length.EqualTo(10 + headerLength + (4 * 81 * 4)));

        var hog = new HogModel(new HogOptions { Orientations = 9 });
        float[] expected = new float[4 * 81];
        for (int i = 0; i < 4; i++)
        {
            ReadOnlySpan<byte> image = i < 2 ? TestData.FashionMnist.Train.GetImage(59998 + i) : TestData.FashionMnist.Test.GetImage(i - 2);
            hog.Compute(image, expected.AsSpan(i * 81, 81));
        }

        float[] written = new float[4 * 81];
        for (int i = 0; i < written.Length; i++)
        {
            written[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength + (4 * i)));
        }

        Assert.That(written, Is.EqualTo(expected));
        Assert.That(json.GetProperty("transform").GetProperty("hog").GetProperty("feature_count").GetInt32(), Is.EqualTo(81));
    }

    [Test]
    public void Features_PcaJson_ReportsTheVarianceRatiosOfPcaOnTheStandardizedTrainSet()
    {
        string path = Path.Combine(_directory, "pca.csv");

        JsonElement json = ToolJson.Run("features", "pca", "--range", "0:3", "--components", "5", "--out", path);

        ReadOnlyMemory2D<float> x = TrainCommandTests.Train(60000);
        StandardScalerModel scaler = new StandardScaler().Fit(x);
        float[] z = new float[x.Height * x.Width];
        scaler.Transform(x.Span, new Span2D<float>(z, x.Height, x.Width));
        PcaModel pca = new Pca(new PcaOptions { Components = 5 }).Fit(new ReadOnlyMemory2D<float>(z, x.Height, x.Width));
        JsonElement summary = json.GetProperty("transform").GetProperty("pca");
        Assert.That(summary.GetProperty("explained_variance_ratio").Doubles(), Is.EqualTo(pca.ExplainedVarianceRatio.ToArray()));
        Assert.That(json.GetProperty("transform").GetProperty("steps").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "scale", "pca" }));

        float[] rows = new float[3 * 5];
        pca.Transform(new ReadOnlySpan2D<float>(z, 3, 784), new Span2D<float>(rows, 3, 5));
        string[] lines = File.ReadAllText(path).TrimEnd('\n').Split('\n');
        Assert.That(lines[0], Is.EqualTo("label,pc1,pc2,pc3,pc4,pc5"));
        Assert.That(lines.Skip(1).SelectMany(l => l.Split(',').Skip(1)).Select(c => float.Parse(c, CultureInfo.InvariantCulture)), Is.EqualTo(rows));
    }
}
