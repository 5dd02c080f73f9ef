using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features.Hog;

/// <summary>
/// Histogram-of-oriented-gradients features (scikit-image 0.19.3 <c>skimage.feature.hog</c>, Dalal–Triggs 2005) as a
/// pipeline step over rows of raw 0..255 pixels.
/// </summary>
/// <remarks>
/// HOG learns nothing from data: <see cref="Fit(ReadOnlyMemory2D{float}, CancellationToken)"/> only checks the row width
/// and returns the transform, which is built (and validated) with the estimator.
/// </remarks>
public sealed class Hog : ITransformerEstimator<HogModel>, IStatelessTransformerEstimator
{
    private readonly HogModel _model;

    /// <summary>Creates the estimator for images of the given size.</summary>
    /// <param name="options">HOG options; null for the defaults (skimage's).</param>
    /// <param name="imageHeight">Image rows; default 28.</param>
    /// <param name="imageWidth">Image columns; default 28.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range or a size is below 1.</exception>
    /// <exception cref="ArgumentException">The image is too small to hold one block.</exception>
    public Hog(HogOptions? options = null, int imageHeight = 28, int imageWidth = 28) =>
        _model = new HogModel(options ?? new HogOptions(), imageHeight, imageWidth);

    /// <summary>The options.</summary>
    public HogOptions Options => _model.Options;

    /// <summary>Image rows (lets option paths such as <c>hog.orientations</c> rebuild the estimator with the same size).</summary>
    public int ImageHeight => _model.ImageHeight;

    /// <summary>Image columns.</summary>
    public int ImageWidth => _model.ImageWidth;

    /// <summary>Returns the transform after checking that rows of <paramref name="x"/> are images of the configured size.</summary>
    /// <param name="x">n×(H·W) raw pixels (not read).</param>
    /// <param name="cancellationToken">Unused: there is nothing to fit.</param>
    /// <returns>The (immutable, shared) HOG transform.</returns>
    /// <exception cref="ArgumentException">The row width is not H·W.</exception>
    public HogModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default)
    {
        Check.Columns(x.Span, _model.InputFeatureCount, nameof(x));
        return _model;
    }

    /// <summary>Returns the transform without data (HOG has nothing to fit).</summary>
    /// <returns>The (immutable, shared) HOG transform.</returns>
    public HogModel Fit() => _model;
}
