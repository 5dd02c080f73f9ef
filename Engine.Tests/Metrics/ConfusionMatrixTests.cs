using System.Text.Json;
using FashionCore.Metrics;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Metrics;

public class ConfusionMatrixTests
{
    [TestCase("noisy")]
    [TestCase("named")]
    public void Compute_SklearnPredictionVector_EqualsSklearn(string name)
    {
        JsonElement g = GoldenJson.Load("selection/selection_golden.json").GetProperty("metrics").GetProperty(name);
        int[] yTrue = g.GetProperty("y_true").Ints();
        int[] yPred = g.GetProperty("y_pred").Ints();
        ConfusionMatrix matrix = ConfusionMatrix.Compute(yTrue, yPred);

        Assert.That(matrix.Labels.ToArray(), Is.EqualTo(g.GetProperty("labels").Ints()));
        Assert.That(matrix.Counts.ToArray().Select(c => (int)c), Is.EqualTo(g.GetProperty("confusion").Ints()));
        Assert.That(Accuracy.Score(yTrue, yPred), Is.EqualTo(g.GetProperty("micro").Doubles()[0]));
    }

    [Test]
    public void Compute_GivenLabelOrder_IndexesRowsAndColumnsInThatOrder()
    {
        ConfusionMatrix matrix = ConfusionMatrix.Compute([5, 5, 3, 9], [5, 3, 3, 5], [5, 3]);

        Assert.That(matrix.Labels.ToArray(), Is.EqualTo(new[] { 5, 3 }));
        Assert.That(matrix[0, 0], Is.EqualTo(1));
        Assert.That(matrix[0, 1], Is.EqualTo(1));
        Assert.That(matrix[1, 1], Is.EqualTo(1));
        Assert.That(matrix.Counts.ToArray().Sum(), Is.EqualTo(3), "the pair with true label 9 is outside the labels");
    }

    [Test]
    public void Compute_DuplicateLabels_ThrowsNamingLabels()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute([1, 2], [1, 2], [1, 1]))!;
        Assert.That(e.ParamName, Is.EqualTo("labels"));
    }

    // sklearn 1.2.1: ValueError "At least one label specified must be in y_true", even when the labels are predicted.
    [TestCase(new[] { 5, 7 })]
    [TestCase(new[] { 3 })]
    public void Compute_LabelsNoneOfWhichIsTrue_ThrowsNamingLabels(int[] labels)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute([1, 2, 2], [1, 3, 2], labels))!;

        Assert.That(e.ParamName, Is.EqualTo("labels"));
        Assert.That(e.Message, Does.Contain("At least one label specified must be in yTrue"));
    }

    [TestCase(0, 5, "predictedIndex", 5)]
    [TestCase(2, -1, "predictedIndex", -1)]
    [TestCase(3, 0, "trueIndex", 3)]
    [TestCase(-1, 0, "trueIndex", -1)]
    public void Indexer_IndexOutsideSize_ThrowsNamingThatIndex(int trueIndex, int predictedIndex, string paramName, int actual)
    {
        ConfusionMatrix matrix = ConfusionMatrix.Compute([0, 1, 2], [1, 2, 2]);

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = matrix[trueIndex, predictedIndex])!;

        Assert.That(e.ParamName, Is.EqualTo(paramName));
        Assert.That(e.ActualValue, Is.EqualTo(actual));
        Assert.That(e.Message, Does.Contain($"{paramName} must be in 0..2"));
    }

    [Test]
    public void Compute_EmptyLabels_MeansTheSortedUnion()
    {
        ConfusionMatrix matrix = ConfusionMatrix.Compute([3, 1], [1, 2], []);

        Assert.That(matrix.Labels.ToArray(), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void Compute_MoreLabelsThanOneArrayHolds_ThrowsNamingTheSize()
    {
        int[] y = [.. Enumerable.Range(0, 46_341)];

        ArgumentException union = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(y, y))!;
        ArgumentException given = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute([0], [0], y))!;

        Assert.That(union.ParamName, Is.EqualTo("yTrue"));
        Assert.That(union.Message, Does.Contain("46341 labels need a 46341x46341 matrix").And.Contain("at most 46340 labels"));
        Assert.That(given.ParamName, Is.EqualTo("labels"));
    }
}
