using System.Text.Json;
using FashionCore.Numerics.Random;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Numerics;

public class RandomGeneratorTests
{
    private static JsonElement[] Cases()
    {
        JsonElement[] cases = [.. GoldenJson.Load("logreg/logreg.json").GetProperty("rng").EnumerateArray()];
        Assert.That(cases, Is.Not.Empty, "golden cases");
        return cases;
    }

    [Test]
    public void Mt19937_SeededLikeRandomState_MatchesNumpyDrawForDraw()
    {
        foreach (JsonElement c in Cases())
        {
            uint seed = c.GetProperty("random_state").GetUInt32();
            Mt19937 raw = new(seed);
            uint[] expectedRaw = [.. c.GetProperty("raw").EnumerateArray().Select(e => e.GetUInt32())];
            Assert.That(Enumerable.Range(0, 5).Select(_ => raw.NextUInt32()).ToArray(), Is.EqualTo(expectedRaw), $"raw, seed {seed}");

            // One stream, in numpy's call order: randint(60000)×5, randint(1, 2^31−1), uniform(size=3).
            Mt19937 rs = new(seed);
            Assert.That(Enumerable.Range(0, 5).Select(_ => rs.NextInt32(60000)).ToArray(), Is.EqualTo(c.GetProperty("randint_60000").Ints()), $"randint, seed {seed}");
            Assert.That(rs.NextInt32(1, int.MaxValue), Is.EqualTo(c.GetProperty("randint_1_2pow31m1").GetInt32()), $"randint(1, 2^31-1), seed {seed}");
            Assert.That(Enumerable.Range(0, 3).Select(_ => rs.NextDouble()).ToArray(), Is.EqualTo(c.GetProperty("uniform").Doubles()), $"uniform, seed {seed}");
        }
    }

    [Test]
    public void XorShift32_FromRandomState_MatchesSklearnSagSeedAndDraws()
    {
        foreach (JsonElement c in Cases())
        {
            uint seed = c.GetProperty("random_state").GetUInt32();
            Assert.That((long)new Mt19937(seed).NextInt32(1, int.MaxValue), Is.EqualTo(c.GetProperty("sag_seed").GetInt64()));
            XorShift32 rng = XorShift32.FromRandomState(seed);
            Assert.That(Enumerable.Range(0, 5).Select(_ => rng.NextIndex(60000)).ToArray(), Is.EqualTo(c.GetProperty("sag_first_indices_60000").Ints()), $"seed {seed}");
        }
    }
}
