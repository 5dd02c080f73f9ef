using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;
using FashionCore.Numerics;

namespace FashionCore.Features.Scaling;

/// <summary>
/// The study's "x/255" scaling: every value divided by 255, mapping 0..255 pixels to [0, 1]. Nothing is learned;
/// <see cref="Fit"/> only records the column count.
/// </summary>
/// <remarks>
/// Computed as a true float division <c>x / 255f</c> everywhere (for bytes and floats alike), so byte and float
/// inputs give identical results. Not scikit-learn's <c>MinMaxScaler</c>, which uses per-column extremes
/// (see <see cref="MinMaxScaler"/>).
/// </remarks>
public sealed class PixelScaler : ITransformerEstimator<PixelScalerModel>, IStatelessTransformerEstimator
{
    /// <summary>The divisor (255).</summary>
    public const float Divisor = 255f;

    /// <summary>Returns the /255 transform for <paramref name="x"/>'s column count.</summary>
    /// <param name="x">n×d rows (only the width is used).</param>
    /// <param name="cancellationToken">Unused: nothing to compute.</param>
    /// <returns>The transform.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no columns.</exception>
    public PixelScalerModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default)
    {
        if (x.Width == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one column.", nameof(x));
        }

        return new(x.Width);
    }

    /// <summary>Scales bytes: <c>destination[i] = source[i] / 255f</c>. SIMD, no allocation.</summary>
    /// <param name="source">Pixels.</param>
    /// <param name="destination">Output, at least as long as <paramref name="source"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void Scale(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            ThrowHelper.ThrowArgument($"destination has {destination.Length} elements, fewer than the {source.Length} of source.", nameof(destination));
        }

        PixelKernels.WidenDivide255(source, destination);
    }

    /// <summary>Scales a byte matrix (e.g. <c>Dataset.Images</c>) into a float matrix of the same shape.</summary>
    /// <param name="x">n×d pixels.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static void Scale(ReadOnlySpan2D<byte> x, Span2D<float> destination)
    {
        Check.Shape(destination, x.Height, x.Width);
        if (x.TryGetSpan(out ReadOnlySpan<byte> all) && destination.TryGetSpan(out Span<float> allOut))
        {
            PixelKernels.WidenDivide255(all, allOut);
            return;
        }

        for (int i = 0; i < x.Height; i++)
        {
            PixelKernels.WidenDivide255(x.GetRowSpan(i), destination.GetRowSpan(i));
        }
    }

    /// <summary>Widens bytes to floats without scaling (the raw 0..255 values the feature transforms take).</summary>
    /// <param name="x">n×d pixels.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static void ToFloat(ReadOnlySpan2D<byte> x, Span2D<float> destination)
    {
        Check.Shape(destination, x.Height, x.Width);
        for (int i = 0; i < x.Height; i++)
        {
            PixelKernels.Widen(x.GetRowSpan(i), destination.GetRowSpan(i));
        }
    }
}
