using System.Text.Json;
using FashionCore.Numerics.Random;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Numerics;

public class NumpyShuffleTests
{
    // Golden: numpy 1.24.2 RandomState(seed).shuffle(arange(n)), which also checks Mt19937 seeding, the raw stream and
    // the masked-rejection randint (random_interval) for bounds from 2 up to 70000.
    [Test]
    public void Shuffle_NumpyRandomState_IdenticalPermutation()
    {
        JsonElement[] cases = [.. GoldenJson.Load("selection/selection_golden.json").GetProperty("numpy_shuffle").EnumerateArray()];
        Assert.That(cases, Is.Not.Empty, "golden cases");
        foreach (JsonElement c in cases)
        {
            uint seed = c.GetProperty("seed").GetUInt32();
            int n = c.GetProperty("n").GetInt32();
            int[] actual = NumpyShuffle.Permutation(new Mt19937(seed), n);
            if (c.TryGetProperty("shuffled", out JsonElement full))
            {
                Assert.That(actual, Is.EqualTo(full.Ints()), $"seed {seed}, n {n}");
            }
            else
            {
                Assert.That(actual[..50], Is.EqualTo(c.GetProperty("first").Ints()), $"seed {seed}, n {n}");
                Assert.That(actual[^50..], Is.EqualTo(c.GetProperty("last").Ints()), $"seed {seed}, n {n}");
                long weighted = 0;
                for (int i = 0; i < n; i++)
                {
                    weighted += (long)i * actual[i];
                }

                Assert.That(weighted, Is.EqualTo(c.GetProperty("sum_i_times_x").GetInt64()), $"seed {seed}, n {n}");
            }
        }
    }
}
