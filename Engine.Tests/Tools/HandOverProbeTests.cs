using FashionCore.Tools.Bench;

namespace FashionCore.Tests.Tools;

/// <summary>The <c>handover</c> bench stage's probe: a time per one-way hand-over, and clear errors for bad arguments.</summary>
public class HandOverProbeTests
{
    [Test]
    public void Measure_SmallRun_ReturnsAPositiveFiniteTime()
    {
        // Only the sign and finiteness: how long a hand-over takes is the benchmarks' business (a descheduled partner on
        // a busy machine can stretch one batch arbitrarily).
        double seconds = HandOverProbe.Measure(lines: 4, roundTrips: 500, batches: 1);

        Assert.That(double.IsFinite(seconds), Is.True);
        Assert.That(seconds, Is.GreaterThan(0));
    }

    [TestCase(0, 10, 1, "lines")]
    [TestCase(65, 10, 1, "lines")]
    [TestCase(4, 0, 1, "roundTrips")]
    [TestCase(4, 10, 0, "batches")]
    public void Measure_ArgumentOutOfRange_ThrowsNamingIt(int lines, int roundTrips, int batches, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => HandOverProbe.Measure(lines, roundTrips, batches));

        Assert.That(e!.ParamName, Is.EqualTo(name));
    }
}
