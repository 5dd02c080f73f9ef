using FashionCore.Data;

namespace FashionCore.Tests.Data;

[Category("Dataset")]
public class FashionMnistRealDataTests
{
    [Test]
    public void Load_RealData_HasPublishedCountsAndFirstLabels()
    {
        FashionMnistData data = TestData.FashionMnist;

        Assert.That(data.Train.Count, Is.EqualTo(60000));
        Assert.That(data.Test.Count, Is.EqualTo(10000));
        Assert.That(data.Train.CountPerClass(), Is.All.EqualTo(6000));
        Assert.That(data.Test.CountPerClass(), Is.All.EqualTo(1000));
        Assert.That(data.Train.Labels.Span[..10].ToArray(), Is.EqualTo(new byte[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 }));
        Assert.That(data.Test.Labels.Span[..10].ToArray(), Is.EqualTo(new byte[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }));
        Assert.That(data.Train.ImageHeight, Is.EqualTo(28));
        Assert.That(data.Train.ImageWidth, Is.EqualTo(28));
    }
}
