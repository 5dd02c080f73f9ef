using FashionCore.Models.Clustering;

namespace FashionCore.Tests.Models.Clustering;

/// <summary>The team that runs Lloyd's passes: every chunk of every pass exactly once, errors surfacing on the owner.</summary>
public class ChunkTeamTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void Run_ManyShortPasses_RunsEveryChunkOnceBeforeReturning(bool parallel)
    {
        using ChunkTeam team = new(parallel);
        for (int pass = 0; pass < 2000; pass++)
        {
            int count = 1 + (pass % 37);
            int[] runs = new int[count];
            team.Run(count, c => Interlocked.Increment(ref runs[c]));
            Assert.That(runs, Is.All.EqualTo(1), $"pass {pass}");
        }
    }

    [Test]
    public void Run_ChunkThrows_RethrowsOnTheOwnerAndKeepsWorking()
    {
        using ChunkTeam team = new(parallel: true);
        Assert.Throws<InvalidOperationException>(() => team.Run(64, c =>
        {
            if (c == 40)
            {
                throw new InvalidOperationException("chunk 40");
            }
        }));
        int[] runs = new int[8];
        team.Run(8, c => Interlocked.Increment(ref runs[c]));
        Assert.That(runs, Is.All.EqualTo(1));
    }
}
