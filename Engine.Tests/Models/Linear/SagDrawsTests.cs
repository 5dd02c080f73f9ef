using FashionCore.Models.Linear;
using FashionCore.Numerics.Random;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The SAG/SAGA sample order (<see cref="SagDraws"/>): sklearn's draws with replacement, or shuffled epochs.</summary>
public class SagDrawsTests
{
    [Test]
    public void Next_WithReplacement_IsSklearnsXorShiftStream()
    {
        uint seed = SeedOf(0);
        SagDraws draws = new(Problem(seed, shuffled: false), 60_000);
        XorShift32 sklearn = new(seed);
        for (int t = 0; t < 5000; t++)
        {
            Assert.That(draws.Next(), Is.EqualTo(sklearn.NextIndex(60_000)), $"draw {t}");
        }
    }

    // The golden draws come from an independent Python implementation of the shuffle (make_shuffled_golden.py).
    [Test]
    public void Next_Shuffled_MatchesTheReferenceSampler()
    {
        foreach (System.Text.Json.JsonElement golden in GoldenJson.Load("logreg/shuffled.json").GetProperty("draws").EnumerateArray())
        {
            int n = golden.GetProperty("n").GetInt32();
            SagDraws draws = new(Problem(SeedOf(golden.GetProperty("random_state").GetUInt32()), shuffled: true), n);
            int[] actual = [.. Enumerable.Range(0, 3 * n).Select(_ => draws.Next())];
            Assert.That(actual, Is.EqualTo(golden.GetProperty("draws").Ints()), $"n = {n}");
        }
    }

    [Test]
    public void Next_Shuffled_EveryEpochVisitsEachSampleOnceInAnotherOrder()
    {
        const int N = 1000;
        SagDraws draws = new(Problem(SeedOf(3), shuffled: true), N);
        List<int[]> epochs = [];
        for (int e = 0; e < 4; e++)
        {
            int[] epoch = [.. Enumerable.Range(0, N).Select(_ => draws.Next())];
            Assert.That(epoch.Order(), Is.EqualTo(Enumerable.Range(0, N)), $"epoch {e} is a permutation");
            Assert.That(epoch, Is.Not.EqualTo(Enumerable.Range(0, N)), $"epoch {e} is shuffled");
            Assert.That(epochs, Has.None.EqualTo(epoch), $"epoch {e} repeats an earlier one");
            epochs.Add(epoch);
        }
    }

    // Each epoch shuffles the previous one's order: where each position's sample stood in that order is the shuffle
    // itself, and Fisher–Yates with the partner drawn from [0, i] makes all 24 shuffles of four equally likely (each
    // expected 1000 times in 24 000 epochs, sd ≈ 31). Partners from [0, i) (Sattolo's cycles) would only give the 6
    // cyclic ones, and a biased or off-by-one draw would skew the counts far beyond ±200.
    [Test]
    public void Next_Shuffled_AllShufflesOfFourEquallyLikely()
    {
        SagDraws draws = new(Problem(SeedOf(11), shuffled: true), 4);
        int[] previous = [0, 1, 2, 3];
        Dictionary<int, int> counts = [];
        for (int e = 0; e < 24_000; e++)
        {
            int[] epoch = [draws.Next(), draws.Next(), draws.Next(), draws.Next()];
            int key = epoch.Aggregate(0, (k, sample) => (k * 4) + Array.IndexOf(previous, sample));
            counts[key] = counts.GetValueOrDefault(key) + 1;
            previous = epoch;
        }

        Assert.That(counts, Has.Count.EqualTo(24));
        Assert.That(counts.Values, Has.All.InRange(800, 1200));
    }

    [Test]
    public void Next_Shuffled_NoAllocationAfterSetup()
    {
        SagDraws draws = new(Problem(SeedOf(5), shuffled: true), 10_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int t = 0; t < 50_000; t++)
        {
            sum += draws.Next();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(sum, Is.EqualTo(5L * 10_000 * 9_999 / 2), "five whole epochs");
    }

    private static uint SeedOf(uint randomState) => (uint)new Mt19937(randomState).NextInt32(1, int.MaxValue);

    private static SagProblem Problem(uint seed, bool shuffled) =>
        new(10, true, true, 1e-3, 0.0, 0.1, 3, 0.0, seed, true) { Shuffled = shuffled };
}
