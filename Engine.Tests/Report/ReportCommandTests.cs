using System.Text.Json;
using FashionCore.Persistence;
using FashionCore.Selection;

namespace FashionCore.Tests.Report;

/// <summary>The files <c>fashion report</c> writes: present, complete, well-formed, self-contained.</summary>
[Category("Dataset")]
public class ReportCommandTests
{
    private static readonly byte[] s_pngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Test]
    public void Report_Json_ExitsZeroAndPrintsOnlyTheReportJsonOnStdout()
    {
        ReportRunResult run = ReportRun.Value;

        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        using JsonDocument stdout = JsonDocument.Parse(run.Stdout);
        Assert.That(run.Stdout.Trim(), Is.EqualTo(File.ReadAllText(Path.Combine(run.Directory, "report.json")).Trim()));
        Assert.That(stdout.RootElement.GetProperty("total_seconds").GetDouble(), Is.GreaterThan(0));
        Assert.That(run.Stderr, Does.Not.Contain("kmeans_elbow").And.Not.Contain(" s; report in"), "no progress or stage times on stderr with --json (they are in the JSON)");
        Assert.That(stdout.RootElement.GetProperty("stages").ToString(), Does.Contain("kmeans_elbow"));
    }

    [Test]
    public void Report_Plots_AreNonEmptyPngFiles()
    {
        ReportRunResult run = ReportRun.Value;
        string[] pngs = ["confusion_pixels.png", "confusion_hog.png", "confusion_pca.png", "confusion_mix.png", "kmeans_elbow.png", "hog_example.png"];

        foreach (string name in pngs)
        {
            string path = Path.Combine(run.Directory, name);
            Assert.That(File.Exists(path), Is.True, name);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.That(bytes, Has.Length.GreaterThan(1000), name);
            Assert.That(bytes[..8], Is.EqualTo(s_pngSignature), name);
        }

        Assert.That(Directory.GetFiles(run.Directory, "*.tmp", SearchOption.AllDirectories), Is.Empty, "no temporary files left behind");
    }

    [Test]
    public void Report_Scatter3d_IsSelfContainedAndHoldsEveryPoint()
    {
        ReportRunResult run = ReportRun.Value;
        string html = File.ReadAllText(Path.Combine(run.Directory, "kmeans_pca3.html"));
        int rows = run.Json.GetProperty("kmeans_elbow").GetProperty("rows").GetInt32();

        Assert.That(html, Does.StartWith("<!DOCTYPE html>").And.Contain("<canvas").And.Contain("mousemove"));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "works offline: nothing is fetched");
        Assert.That(html, Does.Not.Contain("<script src").And.Not.Contain("<link"));
        Assert.That(html, Does.Contain($"{rows} points"));
        string points = html[(html.IndexOf("new Float32Array([", StringComparison.Ordinal) + 18)..];
        points = points[..points.IndexOf(']', StringComparison.Ordinal)];
        Assert.That(points.Split(','), Has.Length.EqualTo(rows * 3), "three coordinates per subset row");
        Assert.That(html, Does.Contain("coloured by k-means cluster").And.Contain("coloured by true label").And.Contain("Pullover"));
    }

    [Test]
    public void Report_ModelFile_LoadsAndReproducesTheReportedTestAccuracy()
    {
        ReportRunResult run = ReportRun.Value;
        PipelineModel model = ModelFile.Load<PipelineModel>(Path.Combine(run.Directory, "model.fcm"));
        var test = TestData.FashionMnist.Test;
        int[] predicted = new int[test.Count];

        model.Predict(new CommunityToolkit.HighPerformance.ReadOnlySpan2D<float>(test.ToFloatPixels(), test.Count, test.PixelCount), predicted);

        double accuracy = FashionCore.Metrics.Accuracy.Score(test.GetLabelsInt32(), predicted);
        Assert.That(accuracy, Is.EqualTo(run.Json.GetProperty("classifiers").GetProperty("pixels").GetProperty("test_accuracy").GetDouble()));
    }

    [Test]
    public void Report_Markdown_HasEverySectionAndTheStudysNumbers()
    {
        string md = File.ReadAllText(Path.Combine(ReportRun.Value.Directory, "report.md"));

        Assert.That(md, Does.Contain("## Logistic regression on pixels").And.Contain("## Grid searches").And.Contain("## Logistic regression on HOG")
            .And.Contain("## Logistic regression on PCA-40").And.Contain("## Logistic regression on PCA-40 + HOG").And.Contain("## k-means on the 5-class subset")
            .And.Contain("## What differs from the study").And.Contain("**SIFT.**").And.Contain("## Run time"));
        Assert.That(md, Does.Contain("0.8571").And.Contain("0.8144").And.Contain("0.8208").And.Contain("0.837683"), "the study's values are printed beside ours");
        Assert.That(md, Does.Contain("kmeans_elbow.png").And.Contain("kmeans_pca3.html").And.Contain("hog_example.png"));
    }
}
