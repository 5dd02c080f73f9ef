using System.Text.Json;
using FashionCore.Data;
using FashionCore.Tools.Commands;
using FashionCore.Tools.Study;

namespace FashionCore.Tests.Tools;

public class KMeansRehearsalTests
{
    [Test]
    public void Synthetic_Classes_EveryRowLabelledInTurnWithVariedPixels()
    {
        Dataset tiny = KMeansRehearsal.Synthetic([2, 5, 7]);

        Assert.That(tiny.Count, Is.EqualTo(KMeansRehearsal.Rows));
        Assert.That(tiny.PixelCount, Is.EqualTo(FashionMnist.PixelCount));
        byte[] labels = tiny.Labels.ToArray();
        Assert.That(labels.Take(6), Is.EqualTo(new byte[] { 2, 5, 7, 2, 5, 7 }));
        Assert.That(labels.Distinct().Order(), Is.EqualTo(new byte[] { 2, 5, 7 }));
        Assert.That(tiny.Pixels.ToArray().Distinct().Count(), Is.GreaterThan(200), "k-means needs distinct rows to work on");
        Assert.That(KMeansRehearsal.Synthetic([2, 5, 7]).Pixels.ToArray(), Is.EqualTo(tiny.Pixels.ToArray()), "deterministic");
    }

    [Test]
    public void Synthetic_NoClasses_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeansRehearsal.Synthetic([]));
    }

    [TestCase(1, new[] { 1 }, 1)]
    [TestCase(100, new[] { 1, 2, 3 }, 2)]
    public void WhileLoading_TwoThreads_RehearsesOnAnotherThreadOnceAndReturnsTheLoad(int runs, int[] expectedCounts, int expectedInits)
    {
        var loaded = KMeansRehearsal.Synthetic([1]);
        int caller = Environment.CurrentManagedThreadId;
        int calls = 0, rehearsalThread = -1;
        int[]? counts = null;
        int inits = 0;

        Dataset result = KMeansRehearsal.WhileLoading(
            2,
            () => loaded,
            (tiny, c, i) =>
            {
                Interlocked.Increment(ref calls);
                rehearsalThread = Environment.CurrentManagedThreadId;
                Assert.That(tiny.Labels.ToArray().Distinct(), Is.EqualTo(new byte[] { 0, 3 }).AsCollection);
                (counts, inits) = (c, i);
                return 0;
            },
            [0, 3],
            runs);

        Assert.That(result, Is.SameAs(loaded));
        Assert.That(calls, Is.EqualTo(1), "the rehearsal has finished when the load returns");
        Assert.That(rehearsalThread, Is.Not.EqualTo(caller));
        Assert.That(counts, Is.EqualTo(expectedCounts));
        Assert.That(inits, Is.EqualTo(expectedInits));
    }

    [Test]
    public void WhileLoading_OneThread_OnlyLoads()
    {
        int calls = 0;

        KMeansRehearsal.WhileLoading(1, () => KMeansRehearsal.Synthetic([1]), (_, _, _) => ++calls, [1], 10);

        Assert.That(calls, Is.Zero, "no core to spare");
    }

    [Test]
    public void WhileLoading_LoadFails_RethrowsTheLoadsExceptionAfterTheRehearsal()
    {
        int calls = 0;

        Assert.Throws<FileNotFoundException>(() => KMeansRehearsal.WhileLoading(
            2, () => throw new FileNotFoundException("no data"), (_, _, _) => Interlocked.Increment(ref calls), [1], 10));
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public void WhileLoading_RehearsalFails_StillReturnsTheLoad()
    {
        Dataset loaded = KMeansRehearsal.Synthetic([1]);

        Dataset result = KMeansRehearsal.WhileLoading(2, () => loaded, (_, _, _) => throw new InvalidOperationException("bug"), [1], 10);

        Assert.That(result, Is.SameAs(loaded));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void RunQuietly_SyntheticSet_RunsTheWholeCommandToItsWriter(bool json)
    {
        // What the rehearsal runs: it must get through the command's whole path (a failure there is dropped silently and
        // would only show as lost time).
        using var writer = new StringWriter();
        Dataset tiny = KMeansRehearsal.Synthetic([0, 1, 2, 3, 4]);

        int exit = KMeansCommand.RunQuietly(new StudySettings(), tiny, [0, 1, 2, 3, 4], [1, 2, 3], 2, json, writer);

        Assert.That(exit, Is.Zero);
        if (json)
        {
            JsonElement result = JsonDocument.Parse(writer.ToString()).RootElement;
            Assert.That(result.GetProperty("rows").GetInt32(), Is.EqualTo(KMeansRehearsal.Rows));
            Assert.That(result.GetProperty("results").GetArrayLength(), Is.EqualTo(3));
        }
        else
        {
            Assert.That(writer.ToString(), Does.Contain($"on {KMeansRehearsal.Rows} training images of classes 0,1,2,3,4"));
        }
    }
}
