using CommunityToolkit.HighPerformance;

namespace FashionCore.Abstractions;

/// <summary>A fitted, immutable classifier over float feature rows.</summary>
/// <remarks>
/// Implementations are thread-safe and allocate nothing in the span methods.
/// scikit-learn names: <c>classes_</c>, <c>predict</c>, <c>predict_proba</c>.
/// </remarks>
public interface IClassifier
{
    /// <summary>Number of feature columns the model expects.</summary>
    int FeatureCount { get; }

    /// <summary>The class labels in sorted order (sklearn <c>classes_</c>); column k of probabilities is class <c>Classes[k]</c>.</summary>
    ReadOnlySpan<int> Classes { get; }

    /// <summary>Writes the predicted class label of each row of <paramref name="x"/>.</summary>
    /// <param name="x">n×<see cref="FeatureCount"/> rows.</param>
    /// <param name="destination">n labels (values from <see cref="Classes"/>).</param>
    /// <exception cref="ArgumentException">
    /// The shapes do not match, or a row holds NaN or ±∞ (the engine's classifiers name <c>x</c>, the row and the column,
    /// as their Fit does, rather than return an arbitrary class; <paramref name="destination"/> is then partly written).
    /// </exception>
    void Predict(ReadOnlySpan2D<float> x, Span<int> destination);

    /// <summary>Writes the class probabilities of each row of <paramref name="x"/> (each row sums to 1).</summary>
    /// <param name="x">n×<see cref="FeatureCount"/> rows.</param>
    /// <param name="destination">n×<c>Classes.Length</c> probabilities.</param>
    /// <exception cref="ArgumentException">
    /// The shapes do not match, or a row holds NaN or ±∞ (as for <see cref="Predict"/>).
    /// </exception>
    void PredictProbabilities(ReadOnlySpan2D<float> x, Span2D<float> destination);
}
