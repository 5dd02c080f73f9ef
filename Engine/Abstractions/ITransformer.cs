using CommunityToolkit.HighPerformance;

namespace FashionCore.Abstractions;

/// <summary>
/// A fitted, immutable feature transform (scaler, HOG, PCA, feature union): maps an n×<see cref="InputFeatureCount"/>
/// matrix to an n×<see cref="OutputFeatureCount"/> matrix.
/// </summary>
/// <remarks>
/// Implementations are thread-safe and allocate nothing in <see cref="Transform"/>: callers own the destination.
/// This is the fitted half of a scikit-learn transformer (what <c>fit</c> returns, <c>transform</c> applies).
/// </remarks>
public interface ITransformer
{
    /// <summary>Number of columns the transform expects.</summary>
    int InputFeatureCount { get; }

    /// <summary>Number of columns the transform writes.</summary>
    int OutputFeatureCount { get; }

    /// <summary>Transforms the rows of <paramref name="x"/> into <paramref name="destination"/>.</summary>
    /// <param name="x">n×<see cref="InputFeatureCount"/> input rows.</param>
    /// <param name="destination">n×<see cref="OutputFeatureCount"/> output rows; must not overlap <paramref name="x"/> unless the implementation documents in-place support.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination);
}
