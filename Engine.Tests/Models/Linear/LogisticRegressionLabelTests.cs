using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>Label encoding: any int labels, in a small range (lookup table) or spread out (sorted set).</summary>
public class LogisticRegressionLabelTests
{
    // Two well separated clusters per class pair, so every fit classifies its own training rows perfectly.
    private static readonly float[] s_x = [0f, 0f, 0.1f, 0f, 5f, 5f, 5.1f, 5f, 10f, 0f, 10.1f, 0f];

    [TestCase(-3, 7, 4)]
    [TestCase(int.MinValue, 0, int.MaxValue)]
    [TestCase(9, 2, 5)]
    public void Fit_AnyLabelValues_ClassesSortedAndPredictionsAreTheLabels(int first, int second, int third)
    {
        int[] y = [first, first, second, second, third, third];
        LogisticRegressionModel model = new LogisticRegression(new() { Solver = LogisticRegressionSolver.Lbfgs }).Fit(new ReadOnlyMemory2D<float>(s_x, 6, 2), y);

        int[] sorted = [first, second, third];
        Array.Sort(sorted);
        Assert.That(model.Classes.ToArray(), Is.EqualTo(sorted));
        int[] predicted = new int[6];
        model.Predict(new ReadOnlySpan2D<float>(s_x, 6, 2), predicted);
        Assert.That(predicted, Is.EqualTo(y));
    }
}
