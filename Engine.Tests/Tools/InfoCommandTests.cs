using System.Text.Json;

namespace FashionCore.Tests.Tools;

public class InfoCommandTests
{
    [Test]
    [Category("Dataset")]
    public void Info_Json_ReportsDirectoryCountsAndValidChecksumsOnlyOnStdout()
    {
        string dir = TestData.FashionMnist.Directory;

        (int code, string stdout, string stderr) = ToolRunner.Run("info", "--json", "--data", dir);

        Assert.That(code, Is.Zero, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.That(root.GetProperty("directory").GetString(), Is.EqualTo(dir));
        Assert.That(root.GetProperty("train_count").GetInt32(), Is.EqualTo(60000));
        Assert.That(root.GetProperty("test_count").GetInt32(), Is.EqualTo(10000));
        Assert.That(root.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("train").GetInt32()), Is.All.EqualTo(6000));
        Assert.That(root.GetProperty("classes")[9].GetProperty("name").GetString(), Is.EqualTo("Ankle boot"));
        Assert.That(root.GetProperty("checksums_valid").GetBoolean(), Is.True);
    }

    [Test]
    public void Info_MissingData_ExitsNonZeroWithMessageAndNoStackTrace()
    {
        string empty = Directory.CreateTempSubdirectory("fashioncore-info-").FullName;
        try
        {
            (int code, string stdout, string stderr) = ToolRunner.Run("info", "--data", empty, "--no-download");

            Assert.That(code, Is.EqualTo(2));
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Does.StartWith("fashion: Fashion-MNIST data not found").And.Contain("apt-get install dataset-fashion-mnist"));
            Assert.That(stderr, Does.Not.Contain("   at "));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
