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
        uint seed = XorShift32.SeedFromRandomState(0);
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
            SagDraws draws = new(Problem(XorShift32.SeedFromRandomState(golden.GetProperty("random_state").GetUInt32()), shuffled: true), n);
            int[] actual = [.. Enumerable.Range(0, 3 * n).Select(_ => draws.Next())];
            Assert.That(actual, Is.EqualTo(golden.GetProperty("draws").Ints()), $"n = {n}");
        }
    }

    // 13 epochs of 60 000: the bounded draw's rejection step (rare at this n) first runs in epoch 11, and every later
    // draw depends on it, so the hash and the last draws pin it as well.
    [Test]
    public void Next_Shuffled_LongStreamMatchesTheReferenceSampler()
    {
        System.Text.Json.JsonElement golden = GoldenJson.Load("logreg/shuffled.json").GetProperty("long_stream");
        int n = golden.GetProperty("n").GetInt32();
        int total = n * golden.GetProperty("epochs").GetInt32();
        SagDraws draws = new(Problem(XorShift32.SeedFromRandomState(golden.GetProperty("random_state").GetUInt32()), shuffled: true), n);
        ulong hash = 0xCBF29CE484222325;
        int[] tail = new int[64];
        for (int t = 0; t < total; t++)
        {
            int v = draws.Next();
            hash = (hash ^ (ulong)v) * 0x100000001B3;
            if (t >= total - 64)
            {
                tail[t - (total - 64)] = v;
            }
        }

        Assert.That(tail, Is.EqualTo(golden.GetProperty("tail").Ints()), "the last 64 draws");
        Assert.That(hash.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(golden.GetProperty("fnv1a64").GetString()), "FNV-1a of every draw");
    }

    [Test]
    public void Next_Shuffled_EveryEpochVisitsEachSampleOnceInAnotherOrder()
    {
        const int N = 1000;
        SagDraws draws = new(Problem(XorShift32.SeedFromRandomState(3), shuffled: true), N);
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
    // cyclic ones, and partners from [0, i + 1] or [1, i] would skew the counts far beyond ±200. (A draw's modulo bias at
    // ranges this small, ~1e-9, is beyond any count; the long golden stream pins the bounded draw itself.)
    [Test]
    public void Next_Shuffled_AllShufflesOfFourEquallyLikely()
    {
        SagDraws draws = new(Problem(XorShift32.SeedFromRandomState(11), shuffled: true), 4);
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
        SagDraws draws = new(Problem(XorShift32.SeedFromRandomState(5), shuffled: true), 10_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (int t = 0; t < 50_000; t++)
        {
            sum += draws.Next();
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(sum, Is.EqualTo(5L * 10_000 * 9_999 / 2), "five whole epochs");
    }

    private static SagProblem Problem(uint seed, bool shuffled) =>
        new(10, true, true, 1e-3, 0.0, 0.1, 3, 0.0, seed, true) { Shuffled = shuffled };
}
