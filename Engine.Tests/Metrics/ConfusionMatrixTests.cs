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
}
