using System.Text.Json;
using FashionCore.Selection;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Selection;

public class StratifiedKFoldTests
{
    [TestCase(3)]
    [TestCase(5)]
    [TestCase(6)]
    [Category("Dataset")]
    public void Split_RealTrainLabels_EqualsSklearnFoldsExactly(int k)
    {
        JsonElement golden = GoldenJson.Load("selection/skf_folds.json");
        string expected = golden.GetProperty($"folds_k{k}").GetString()!;
        Folds folds = new StratifiedKFold(k).Split(TestData.FashionMnist.Train.GetLabelsInt32());

        Assert.That(string.Concat(folds.TestFold.ToArray()), Is.EqualTo(expected));
        Assert.That(Enumerable.Range(0, k).Select(folds.TestSize), Is.All.EqualTo(60000 / k));
    }

    [Test]
    public void Split_SyntheticLabels_EqualsSklearnWithAndWithoutShuffle()
    {
        JsonElement golden = GoldenJson.Load("selection/selection_golden.json").GetProperty("folds");
        int[] y = golden.GetProperty("y").Ints();
        int checkedCases = 0;
        foreach (JsonElement c in golden.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("kind").GetString() != "stratified")
            {
                continue;
            }

            int k = c.GetProperty("k").GetInt32();
            JsonElement seed = c.GetProperty("seed");
            StratifiedKFold splitter = seed.ValueKind == JsonValueKind.Null ? new(k) : new(k, shuffle: true, randomState: seed.GetUInt32());
            Assert.That(splitter.Split(y).TestFold.ToArray(), Is.EqualTo(c.GetProperty("folds").Ints()), $"k={k} seed={seed}");
            checkedCases++;
        }

        Assert.That(checkedCases, Is.EqualTo(8));
    }

    [Test]
    public void TrainIndices_AnyFold_AscendingComplementOfTest()
    {
        Folds folds = new StratifiedKFold(3).Split([1, 0, 1, 0, 1, 0, 2, 2, 2, 1]);
        for (int f = 0; f < 3; f++)
        {
            int[] train = folds.TrainIndices(f);
            int[] test = folds.TestIndices(f);
            Assert.That(train, Is.Ordered.Ascending);
            Assert.That(train.Concat(test).Order(), Is.EqualTo(Enumerable.Range(0, 10)));
        }
    }

    [Test]
    public void Split_EveryClassSmallerThanK_Throws()
    {
        Assert.Throws<ArgumentException>(() => new StratifiedKFold(3).Split([0, 0, 1, 1, 2, 2]));
    }

    [Test]
    public void Constructor_BadArguments_Throw()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new StratifiedKFold(1))!.ParamName, Is.EqualTo("splitCount"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StratifiedKFold(3, shuffle: true))!.ParamName, Is.EqualTo("randomState"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StratifiedKFold(3, randomState: 1))!.ParamName, Is.EqualTo("randomState"));
    }
}
