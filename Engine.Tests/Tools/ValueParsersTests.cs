using FashionCore.Tools.Commands;

namespace FashionCore.Tests.Tools;

/// <summary>The compact option values: lists and ranges at the ends of the integers.</summary>
public class ValueParsersTests
{
    [Test]
    public void IntegerList_RangeEndingAtIntMaxValue_EndsWithoutWrappingAround()
    {
        int[] values = ValueParsers.IntegerList("--k", "2147483645-2147483647", 0, int.MaxValue);

        Assert.That(values, Is.EqualTo(new[] { 2147483645, 2147483646, 2147483647 }));
    }

    [Test]
    public void KMeans_KUpToIntMaxValue_ExitsTwoNamingKBeforeLoadingData()
    {
        (int code, string stdout, string stderr) = ToolRunner.Run("kmeans", "--k", "1-2147483647", "--n-init", "1", "--no-download", "--data", "/nonexistent-fashioncore-data");

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: --k:").And.Contain("60000"));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
    }
}
