using System.Text.Json;
using FashionCore.Selection;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Selection;

public class KFoldTests
{
    [Test]
    public void Split_SyntheticLabels_EqualsSklearnWithAndWithoutShuffle()
    {
        JsonElement golden = GoldenJson.Load("selection/selection_golden.json").GetProperty("folds");
        int[] y = golden.GetProperty("y").Ints();
        int checkedCases = 0;
        foreach (JsonElement c in golden.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("kind").GetString() != "kfold")
            {
                continue;
            }

            int k = c.GetProperty("k").GetInt32();
            JsonElement seed = c.GetProperty("seed");
            KFold splitter = seed.ValueKind == JsonValueKind.Null ? new(k) : new(k, shuffle: true, randomState: seed.GetUInt32());
            Assert.That(splitter.Split(y).TestFold.ToArray(), Is.EqualTo(c.GetProperty("folds").Ints()), $"k={k} seed={seed}");
            checkedCases++;
        }

        Assert.That(checkedCases, Is.EqualTo(4));
    }

    [Test]
    public void Split_TenSamplesThreeFolds_FirstFoldsOneLarger()
    {
        Folds folds = new KFold(3).Split(new int[10]);

        Assert.That(folds.TestFold.ToArray(), Is.EqualTo(new[] { 0, 0, 0, 0, 1, 1, 1, 2, 2, 2 }));
    }

    [Test]
    public void Split_FewerSamplesThanFolds_Throws()
    {
        Assert.Throws<ArgumentException>(() => new KFold(5).Split(new int[4]));
    }

    [TestCase("TestSize", 5)]
    [TestCase("TestSize", -1)]
    [TestCase("TestIndices", -1)]
    [TestCase("TrainIndices", 2)]
    public void FoldAccessors_FoldOutOfRange_ThrowNamingFoldWithItsValue(string accessor, int fold)
    {
        Folds folds = new([0, 1, 0, 1], 2);
        Action call = accessor switch
        {
            "TestSize" => () => folds.TestSize(fold),
            "TestIndices" => () => folds.TestIndices(fold),
            _ => () => folds.TrainIndices(fold),
        };

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(call)!;

        Assert.That(e.ParamName, Is.EqualTo("fold"));
        Assert.That(e.ActualValue, Is.EqualTo(fold));
        Assert.That(e.Message, Does.Contain("fold must be in 0..1").And.Contain($"Actual value was {fold}."));
    }
}
