namespace FashionCore.Tests.Tools;

/// <summary><c>fashion bench</c>: the peer's stage names and positive medians (the quality figures are the engine's own tests' business).</summary>
[Category("Dataset")]
public class BenchCommandTests
{
    [Test]
    public void Bench_Json_ReportsExactlyTheRequestedStagesWithPeerNames()
    {
        System.Text.Json.JsonElement json = ToolJson.Run("bench", "--reps", "2", "--stages", "load,standardize,hog_70k");

        string[] names = [.. json.EnumerateObject().Select(p => p.Name)];
        Assert.That(names, Is.EquivalentTo(new[] { "load", "standardize", "hog_70k" }));
        Assert.That(names.Select(n => json.GetProperty(n).GetDouble()), Is.All.GreaterThan(0));
    }

    [Test]
    public void Bench_HandOverStage_ReportsSecondsPerHandOver()
    {
        System.Text.Json.JsonElement json = ToolJson.Run("bench", "--reps", "1", "--stages", "handover");

        Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "handover" }));
        double seconds = json.GetProperty("handover").GetDouble();
        Assert.That(double.IsFinite(seconds), Is.True);
        Assert.That(seconds, Is.GreaterThan(0));
    }

    [Test]
    public void Bench_Text_ShowsTheHandOverInScientificNotationNotAsZero()
    {
        (int exitCode, string stdout, _) = ToolRunner.Run("bench", "--no-download", "--data", TestData.FashionMnist.Directory, "--reps", "1", "--stages", "handover");

        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(stdout, Does.Match(@"handover\s+[1-9](\.\d+)?e-\d"));
    }
}
