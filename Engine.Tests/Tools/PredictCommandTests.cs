using System.Text.Json;
using FashionCore.Tests.Serve;

namespace FashionCore.Tests.Tools;

[Category("Dataset")]
public class PredictCommandTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("fashioncore-predict-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Predict_TestIndexRangeJson_ListsTheEnginesPredictionsAndProbabilities()
    {
        (int code, string stdout, string stderr) = ToolRunner.Run(
            "predict", "--model", TestModel.Path, "--test-index", "5-14", "--json", "--data", TestData.FashionMnist.Directory);

        Assert.That(code, Is.Zero, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement[] rows = [.. json.RootElement.EnumerateArray()];
        int[] expected = TestModel.PredictTest(5, 10);
        float[] probabilities = new float[10 * 10];
        FashionCore.Data.Dataset test = TestData.FashionMnist.Test.Slice(5, 10);
        TestModel.Model.PredictProbabilities(
            new CommunityToolkit.HighPerformance.ReadOnlySpan2D<float>(test.ToFloatPixels(), 10, 784),
            new CommunityToolkit.HighPerformance.Span2D<float>(probabilities, 10, 10));
        Assert.That(rows, Has.Length.EqualTo(10));
        for (int i = 0; i < 10; i++)
        {
            Assert.That(rows[i].GetProperty("index").GetInt32(), Is.EqualTo(5 + i));
            Assert.That(rows[i].GetProperty("label").GetInt32(), Is.EqualTo(expected[i]));
            Assert.That(rows[i].GetProperty("name").GetString(), Is.EqualTo(FashionCore.Data.FashionMnist.ClassNames[expected[i]]));
            Assert.That(rows[i].GetProperty("true_label").GetInt32(), Is.EqualTo(test.Labels.Span[i]));
            float[] p = [.. rows[i].GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle())];
            Assert.That(p, Is.EqualTo(probabilities.AsSpan(i * 10, 10).ToArray()), "floats survive the JSON round trip exactly");
        }
    }

    [Test]
    public void Predict_InvertedLargePngOfATestImage_GivesTheSamePredictionAsTheTestImage()
    {
        for (int index = 0; index < 5; index++)
        {
            string png = TestImages.WriteInvertedPng(index, 12, _directory);

            (int code, string stdout, string stderr) = ToolRunner.Run("predict", "--model", TestModel.Path, "--image", png, "--json");

            Assert.That(code, Is.Zero, stderr);
            using JsonDocument json = JsonDocument.Parse(stdout);
            JsonElement row = json.RootElement[0];
            Assert.That(row.GetProperty("index").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(row.GetProperty("label").GetInt32(), Is.EqualTo(TestModel.PredictTest(index, 1)[0]), $"test image {index}");
            Assert.That(row.GetProperty("probabilities").GetArrayLength(), Is.EqualTo(10));
        }
    }

    [Test]
    public void Predict_SingleTestIndexText_PrintsClassTruthAndProbabilityBars()
    {
        (int code, string stdout, string stderr) = ToolRunner.Run(
            "predict", "--model", TestModel.Path, "--test-index", "0", "--data", TestData.FashionMnist.Directory);

        Assert.That(code, Is.Zero, stderr);
        string name = FashionCore.Data.FashionMnist.ClassNames[TestModel.PredictTest(0, 1)[0]];
        Assert.That(stdout, Does.StartWith($"test[0]: {TestModel.PredictTest(0, 1)[0]} {name} (").And.Contain("true 9 Ankle boot"));
        Assert.That(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(11));
    }

    [Test]
    public void Predict_CorruptModelFile_ExitsTwoWithOneLineMessage()
    {
        string model = Path.Combine(_directory, "bad.fcm");
        byte[] bytes = File.ReadAllBytes(TestModel.Path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(model, bytes);

        AssertUserError(["predict", "--model", model, "--test-index", "0"], model);
        File.WriteAllText(model, "hello");
        AssertUserError(["predict", "--model", model, "--test-index", "0"], "not a FashionCore model file");
        AssertUserError(["predict", "--model", Path.Combine(_directory, "missing.fcm"), "--test-index", "0"], "no such model file");
    }

    [Test]
    public void Predict_BadImageOrArguments_ExitsTwoWithOneLineMessage()
    {
        string text = Path.Combine(_directory, "notes.png");
        File.WriteAllText(text, "not an image");
        AssertUserError(["predict", "--model", TestModel.Path, "--image", text], "not an image");
        AssertUserError(["predict", "--model", TestModel.Path], "exactly one of --test-index");
        AssertUserError(["predict", "--model", TestModel.Path, "--test-index", "1", "--image", text], "exactly one of --test-index");
        AssertUserError(["predict", "--model", TestModel.Path, "--test-index", "9-3"], "before its start");
        AssertUserError(["predict", "--model", TestModel.Path, "--test-index", "x"], "expected I or I-J");
        AssertUserError(["predict", "--model", TestModel.Path, "--test-index", "9990-10000", "--data", TestData.FashionMnist.Directory], "0..9999");
    }

    private static void AssertUserError(string[] args, string message)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run(args);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: ").And.Contain(message));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
    }
}
