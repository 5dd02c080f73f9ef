using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features.Scaling;

/// <summary>The fitted x/255 transform (see <see cref="PixelScaler"/>).</summary>
public sealed class PixelScalerModel : ITransformer
{
    /// <summary>Creates the transform for rows of <paramref name="featureCount"/> columns.</summary>
    /// <param name="featureCount">Number of columns, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is below 1.</exception>
    public PixelScalerModel(int featureCount)
    {
        if (featureCount < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(featureCount), featureCount, "The feature count must be at least 1.");
        }

        InputFeatureCount = featureCount;
    }

    /// <inheritdoc />
    public int InputFeatureCount { get; }

    /// <inheritdoc />
    public int OutputFeatureCount => InputFeatureCount;

    /// <summary>Divides every value by 255. In place (<paramref name="destination"/> over the same memory as <paramref name="x"/>) is allowed.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, InputFeatureCount);
        for (int i = 0; i < x.Height; i++)
        {
            TensorPrimitives.Divide(x.GetRowSpan(i), PixelScaler.Divisor, destination.GetRowSpan(i));
        }
    }
}
