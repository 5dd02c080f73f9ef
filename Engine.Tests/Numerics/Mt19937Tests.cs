using FashionCore.Numerics.Random;

namespace FashionCore.Tests.Numerics;

public class Mt19937Tests
{
    // Expected values printed by numpy 1.24.2 (the Debian /usr/bin/python3), per seed:
    //   rs = np.random.RandomState(seed)
    //   rs.randint(0, 2**32, size=4, dtype=np.uint32)          -> raw 32-bit outputs
    //   [rs.randint(n) for n in (60000, 30000, 10, 2**31-2)]
    //   rs.randint(1, np.iinfo(np.int32).max)                   -> sklearn's SAG seed draw
    //   rs.uniform(size=3)                                      -> sklearn's k-means++ draws
    //   rs.permutation(10)                                      -> sklearn's init='random'
    // (all from one stream, in this order).
    private static readonly object[] s_cases =
    [
        new object[] { 0u, new uint[] { 2357136044, 2546248239, 3071714933, 3626093760 }, new[] { 45891, 21243, 3, 1491434855 }, 1819583498, new[] { 0.6235636967859723, 0.3843817072926998, 0.2975346065444723 }, new[] { 7, 6, 3, 5, 0, 1, 2, 4, 9, 8 } },
        new object[] { 1u, new uint[] { 1791095845, 4282876139, 3093770124, 4005303368 }, new[] { 32511, 17289, 5, 630311759 }, 1013994433, new[] { 0.0923385947687978, 0.1862602113776709, 0.34556072704304774 }, new[] { 1, 7, 3, 0, 8, 5, 9, 4, 2, 6 } },
        new object[] { 42u, new uint[] { 1608637542, 3421126067, 4083286876, 787846414 }, new[] { 54343, 11964, 4, 670094950 }, 1914837114, new[] { 0.15599452033620265, 0.05808361216819946, 0.8661761457749352 }, new[] { 0, 6, 9, 1, 4, 5, 2, 8, 7, 3 } },
        new object[] { 12345u, new uint[] { 3992670690, 3823185381, 1358822685, 561383553 }, new[] { 19876, 11689, 5, 137773602 }, 410361374, new[] { 0.9563099813797661, 0.46192630867046924, 0.9237381573685007 }, new[] { 9, 4, 8, 5, 3, 1, 2, 0, 6, 7 } },
        new object[] { 4294967295u, new uint[] { 419326371, 479346978, 3918654476, 2416749639 }, new[] { 14260, 20694, 9, 1217888032 }, 2016512640, new[] { 0.5043860941616843, 0.6954989667692568, 0.6993279971880844 }, new[] { 2, 0, 3, 4, 1, 5, 9, 8, 7, 6 } },
    ];

    [TestCaseSource(nameof(s_cases))]
    public void Draws_SameSeedAsNumpyRandomState_EqualNumpyExactly(uint seed, uint[] raw, int[] randint, int sagSeed, double[] uniform, int[] permutation)
    {
        Mt19937 rng = new(seed);
        uint[] gotRaw = [.. Enumerable.Range(0, raw.Length).Select(_ => rng.NextUInt32())];
        int[] gotRandint = [rng.NextInt32(60000), rng.NextInt32(30000), rng.NextInt32(10), rng.NextInt32(int.MaxValue - 1)];
        int gotSag = rng.NextInt32(1, int.MaxValue);
        double[] gotUniform = [rng.NextDouble(), rng.NextDouble(), rng.NextDouble()];

        // numpy legacy shuffle of arange(10): for i = 9..1 swap with random_interval(i) = randint(i + 1).
        int[] gotPermutation = [.. Enumerable.Range(0, 10)];
        for (int i = 9; i > 0; i--)
        {
            int j = rng.NextInt32(i + 1);
            (gotPermutation[i], gotPermutation[j]) = (gotPermutation[j], gotPermutation[i]);
        }

        Assert.Multiple(() =>
        {
            Assert.That(gotRaw, Is.EqualTo(raw));
            Assert.That(gotRandint, Is.EqualTo(randint));
            Assert.That(gotSag, Is.EqualTo(sagSeed));
            Assert.That(gotUniform, Is.EqualTo(uniform)); // bit-exact: 53-bit construction from two outputs
            Assert.That(gotPermutation, Is.EqualTo(permutation));
        });
    }

    [Test]
    public void NextUInt32_AcrossTheFirstTwist_EqualsNumpy()
    {
        // numpy: np.random.RandomState(5).randint(0, 2**32, size=700, dtype=np.uint32)[[623, 624, 625, 699]]
        Mt19937 rng = new(5);
        uint[] all = [.. Enumerable.Range(0, 700).Select(_ => rng.NextUInt32())];
        Assert.That(new[] { all[623], all[624], all[625], all[699] }, Is.EqualTo(new uint[] { 2809743450, 164677315, 3235025989, 3020004300 }));
    }

    [Test]
    public void NextInt32_HighNotAboveLow_ThrowsNamingHigh()
    {
        Mt19937 rng = new(0);
        Assert.That(() => rng.NextInt32(0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("high"));
        Assert.That(rng.NextInt32(3, 4), Is.EqualTo(3));
    }
}
