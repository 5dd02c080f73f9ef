using System.Text.Json;
using FashionCore.Numerics;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Numerics;

/// <summary>numpy 1.24.2's argpartition(v, −m), index for index (goldens from make_argpartition_golden.py).</summary>
public class NumpyArgPartitionTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        JsonElement cases = GoldenJson.Load("numerics/argpartition.json").GetProperty("cases");
        int i = 0;
        foreach (JsonElement c in cases.EnumerateArray())
        {
            yield return new TestCaseData(i).SetName($"Select_GoldenCase{i:D3}_n{c.GetProperty("values").GetArrayLength()}_m{c.GetProperty("m").GetInt32()}_IsNumpysOrder");
            i++;
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Select_GoldenCase_IsNumpysOrder(int caseIndex)
    {
        JsonElement c = GoldenJson.Load("numerics/argpartition.json").GetProperty("cases")[caseIndex];
        double[] values = c.GetProperty("values").Doubles();
        int m = c.GetProperty("m").GetInt32();
        int[] index = [.. Enumerable.Range(0, values.Length)];

        NumpyArgPartition.Select(values, index, values.Length - m);

        Assert.That(index, Is.EqualTo(c.GetProperty("argpartition").Ints()));
    }

    [Test]
    public void Select_KthOutsideTheIndices_ThrowsNamingKth()
    {
        int[] index = [0, 1, 2];
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => NumpyArgPartition.Select([1.0, 2, 3], index, 3))!.ParamName, Is.EqualTo("kth"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => NumpyArgPartition.Select([1.0, 2, 3], index, -1))!.ParamName, Is.EqualTo("kth"));
    }
}
