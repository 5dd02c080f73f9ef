using FashionCore.Internals;

namespace FashionCore.Metrics;

/// <summary>Fraction of correct predictions (scikit-learn <c>accuracy_score</c>, the default classifier score).</summary>
public static class Accuracy
{
    /// <summary>Returns <c>#{i : yTrue[i] = yPred[i]} / n</c>.</summary>
    /// <param name="yTrue">True labels.</param>
    /// <param name="yPred">Predicted labels, same length.</param>
    /// <returns>The accuracy in [0, 1]; computed as one division of two integers, so it equals sklearn's exactly.</returns>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static double Score(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred) =>
        (double)CountCorrect(yTrue, yPred) / yTrue.Length;

    /// <summary>Returns the number of positions where <paramref name="yTrue"/> equals <paramref name="yPred"/>.</summary>
    /// <param name="yTrue">True labels.</param>
    /// <param name="yPred">Predicted labels, same length.</param>
    /// <returns>The count of correct predictions.</returns>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static int CountCorrect(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred)
    {
        CheckLabels(yTrue, yPred);
        int correct = 0;
        for (int i = 0; i < yTrue.Length; i++)
        {
            if (yTrue[i] == yPred[i])
            {
                correct++;
            }
        }

        return correct;
    }

    internal static void CheckLabels(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred)
    {
        if (yTrue.IsEmpty)
        {
            ThrowHelper.ThrowArgument("'yTrue' must not be empty.", nameof(yTrue));
        }

        Check.Length(yPred, yTrue.Length);
    }
}
