using FashionCore.Tests.Tools;
using FashionCore.Tools.Output;
using FashionCore.Tools.Report;
using FashionCore.Tools.Report.Plots;

namespace FashionCore.Tests.Report;

/// <summary>The report's reusable pieces on small inputs (no dataset): plots, the 3-D page, atomic writes, option checks.</summary>
public class ReportPiecesTests
{
    private static readonly byte[] s_pngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Test]
    public void ElbowPlot_Render_ReturnsPng()
    {
        byte[] png = ElbowPlot.Render([1, 2, 3, 4], [100.0, 40.0, 30.0, 25.0], kneeIndex: 1);

        Assert.That(png[..8], Is.EqualTo(s_pngSignature));
    }

    [Test]
    public void ElbowPlot_Render_MismatchedLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => ElbowPlot.Render([1, 2, 3], [1.0, 2.0], kneeIndex: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ElbowPlot.Render([1, 2], [2.0, 1.0], kneeIndex: 2));
    }

    [Test]
    public void Scatter3dPage_Render_InlinesEveryPointAndNoUrl()
    {
        float[] points = [0f, 1f, 2f, 3.25f, -4f, 5f, 6f, 7f, 8.5f];
        var colouring = new Scatter3dColouring("by group", [0, 1, 1], ["a</script>", "b"]);

        string html = Scatter3dPage.Render("t <b>", points, [colouring]);

        Assert.That(html, Does.Contain("new Float32Array([0,1,2,3.25,-4,5,6,7,8.5])"));
        Assert.That(html, Does.Contain("3 points").And.Contain("t &lt;b&gt;"));
        Assert.That(html, Does.Not.Contain("a</script>"), "names are escaped inside the script");
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"));
    }

    [Test]
    public void Scatter3dPage_Render_BadInput_ThrowsNamingTheProblem()
    {
        Assert.That(() => Scatter3dPage.Render("t", [1f, 2f], [new Scatter3dColouring("c", [0], ["a"])]), Throws.ArgumentException.With.Message.Contains("n×3"));
        Assert.That(() => Scatter3dPage.Render("t", [1f, 2f, 3f], [new Scatter3dColouring("c", [0, 0], ["a"])]), Throws.ArgumentException.With.Message.Contains("2 groups for 1 points"));
        Assert.That(() => Scatter3dPage.Render("t", [1f, 2f, 3f], [new Scatter3dColouring("c", [1], ["a"])]), Throws.ArgumentException.With.Message.Contains("outside 0..0"));
        Assert.That(() => Scatter3dPage.Render("t", [1f, float.NaN, 3f], [new Scatter3dColouring("c", [0], ["a"])]), Throws.ArgumentException.With.Message.Contains("non-finite"));
    }

    [Test]
    public void OutputFile_WriteFails_LeavesNeitherTargetNorTemporaryFile()
    {
        string dir = Directory.CreateTempSubdirectory("fashioncore-out-").FullName;
        try
        {
            string target = Path.Combine(dir, "a.txt");

            Assert.Throws<InvalidOperationException>(() => OutputFile.Write(target, temp =>
            {
                File.WriteAllText(temp, "half");
                throw new InvalidOperationException("crash mid-write");
            }));
            OutputFile.WriteAllText(Path.Combine(dir, "b.txt"), "whole");

            Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "b.txt" }));
            Assert.That(File.ReadAllText(Path.Combine(dir, "b.txt")), Is.EqualTo("whole"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Report_BadThreads_ExitsTwoWithMessageAndNoStackTrace()
    {
        (int code, string stdout, string stderr) = ToolRunner.Run("report", "--threads", "0", "--out", Path.GetTempPath());

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: --threads: ").And.Not.Contain("   at "));
    }

    [Test]
    public void ReportOptions_Validate_RejectsOutOfRangeValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReportOptions { Seed = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReportOptions { NoiseSeeds = 21 }.Validate());
        Assert.Throws<ArgumentException>(() => new ReportOptions { OutputDirectory = " " }.Validate());
    }
}
