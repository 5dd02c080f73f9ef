using FashionCore.Data;

namespace FashionCore.Tests.Readme;

/// <summary>
/// The README's C# snippets are copies of the regions below: each test runs its region, and checks that the README
/// contains it verbatim, so the documentation cannot go stale.
/// </summary>
public class ReadmeTests
{
    [Test]
    [Category("Dataset")]
    public void DataSnippet_RunsAndIsInReadme()
    {
        // README:data
        FashionMnistData data = FashionMnist.Load();            // or FashionMnist.Load("/path/to/dir")
        Dataset train = data.Train;                             // train.Images: ReadOnlyMemory2D<byte>, 60000×784
        byte label = train.Labels.Span[0];                      // 9 = "Ankle boot"
        string name = train.ClassNames[label];
        // README:end

        Assert.That(label, Is.EqualTo(9));
        Assert.That(name, Is.EqualTo("Ankle boot"));
        Assert.That(train.Images.Height, Is.EqualTo(60000));
        AssertReadmeContains("data");
    }

    private static void AssertReadmeContains(string region)
    {
        string directory = Path.Combine(TestContext.CurrentContext.TestDirectory, "Readme");
        string source = File.ReadAllText(Path.Combine(directory, "ReadmeTests.cs.txt"));
        int start = source.IndexOf($"// README:{region}\n", StringComparison.Ordinal);
        int end = source.IndexOf("// README:end", start, StringComparison.Ordinal);
        string[] lines = source[(start + $"// README:{region}\n".Length)..end].Split('\n');
        // Dedent by the snippet's indentation inside the method.
        string snippet = string.Join('\n', lines.Select(l => l.Length >= 8 ? l[8..] : l.TrimStart())).TrimEnd();
        string readme = File.ReadAllText(Path.Combine(directory, "README.md"));
        Assert.That(readme, Does.Contain(snippet), $"README.md must contain the '{region}' snippet verbatim");
    }
}
