using FashionCore.Internals;

namespace FashionCore.Tests.Internals;

/// <summary>Moving a thread off a CPU (<see cref="CpuPlacement"/>), as the two-thread SAGA's partner does.</summary>
[NonParallelizable]
public class CpuPlacementTests
{
    [Test]
    public void LeaveCpu_ThreadOnThatCpu_MovesOffAndRestoresAffinity()
    {
        Assume.That(OperatingSystem.IsLinux() && CpuPlacement.AllowedCount() >= 2, "needs Linux and at least two allowed CPUs");

        // On a thread of its own, so the test runner's threads keep their affinity whatever happens.
        int allowed = 0, before = -1, after = -1, allowedAfter = 0;
        bool moved = false;
        Thread thread = new(() =>
        {
            allowed = CpuPlacement.AllowedCount();
            before = CpuPlacement.Current();
            moved = CpuPlacement.LeaveCpu(before);
            after = CpuPlacement.Current();
            allowedAfter = CpuPlacement.AllowedCount();
        });
        thread.Start();
        thread.Join();

        Assert.That(before, Is.GreaterThanOrEqualTo(0), "CPU before");
        Assert.That(moved, Is.True, "moved");
        Assert.That(after, Is.Not.EqualTo(before), "CPU after the move");
        Assert.That(allowedAfter, Is.EqualTo(allowed), "CPUs allowed after the move (the affinity is restored)");
    }

    [Test]
    public void LeaveCpu_OtherOrNoCpu_StaysAndReturnsFalse()
    {
        Assume.That(OperatingSystem.IsLinux() && CpuPlacement.AllowedCount() >= 1, "needs Linux");

        Assert.That(CpuPlacement.LeaveCpu(-1), Is.False, "no CPU");
        Assert.That(CpuPlacement.LeaveCpu(100_000), Is.False, "a CPU beyond any mask");
        int allowed = CpuPlacement.AllowedCount();

        // Not on that CPU (any CPU but the current one: the thread may move between the two calls, so retry).
        bool movedFromOther = true;
        for (int attempt = 0; attempt < 10 && movedFromOther; attempt++)
        {
            int cpu = CpuPlacement.Current();
            movedFromOther = CpuPlacement.LeaveCpu(cpu + 1);
        }

        Assert.That(movedFromOther, Is.False, "a CPU the thread is not on");
        Assert.That(CpuPlacement.AllowedCount(), Is.EqualTo(allowed), "CPUs allowed");
    }
}
