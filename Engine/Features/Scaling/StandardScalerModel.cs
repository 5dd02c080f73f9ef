using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features.Scaling;

/// <summary>A fitted <see cref="StandardScaler"/>: per-column mean, variance and scale.</summary>
public sealed class StandardScalerModel : ITransformer
{
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double[] _scale;
    private readonly double[] _shift; // mean, or zeros when WithMean is off
    private readonly double[] _divisor; // scale, or ones when WithStd is off

    /// <summary>Creates a model from statistics (used by <see cref="StandardScaler.Fit(ReadOnlySpan2D{float}, CancellationToken)"/> and model loading).</summary>
    /// <param name="options">The options it was fitted with.</param>
    /// <param name="sampleCount">Rows seen in fit (sklearn <c>n_samples_seen_</c>).</param>
    /// <param name="mean">Column means (sklearn <c>mean_</c>).</param>
    /// <param name="variance">Column population variances (sklearn <c>var_</c>).</param>
    /// <param name="scale">Column scales, positive (sklearn <c>scale_</c>).</param>
    /// <remarks>The model keeps copies of the arrays.</remarks>
    /// <exception cref="ArgumentException">The arrays are empty or differ in length, a mean is not finite, a variance is not
    /// finite or negative, a scale is not positive and finite, or the count is negative.</exception>
    public StandardScalerModel(StandardScalerOptions options, int sampleCount, double[] mean, double[] variance, double[] scale)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(variance);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);

        // Copied before they are checked: the model is immutable, whatever the caller later does with its arrays.
        mean = (double[])mean.Clone();
        variance = (double[])variance.Clone();
        scale = (double[])scale.Clone();
        if (mean.Length == 0)
        {
            ThrowHelper.ThrowArgument("'mean' must have at least one column.", nameof(mean));
        }

        Check.Length<double>(variance, mean.Length);
        Check.Length<double>(scale, mean.Length);
        for (int j = 0; j < scale.Length; j++)
        {
            // The statistics come from Fit or from a model file; either way a NaN here would only surface as NaN output.
            if (!double.IsFinite(mean[j]))
            {
                ThrowHelper.ThrowArgument($"mean[{j}] = {mean[j]} must be finite.", nameof(mean));
            }

            if (!double.IsFinite(variance[j]) || variance[j] < 0)
            {
                ThrowHelper.ThrowArgument($"variance[{j}] = {variance[j]} must be finite and at least 0.", nameof(variance));
            }

            if (!(scale[j] > 0) || !double.IsFinite(scale[j]))
            {
                ThrowHelper.ThrowArgument($"scale[{j}] = {scale[j]} must be positive and finite.", nameof(scale));
            }
        }

        Options = options;
        SampleCount = sampleCount;
        _mean = mean;
        _variance = variance;
        _scale = scale;
        _shift = options.WithMean ? mean : new double[mean.Length];
        _divisor = options.WithStd ? scale : Enumerable.Repeat(1.0, mean.Length).ToArray();
    }

    /// <summary>The options it was fitted with.</summary>
    public StandardScalerOptions Options { get; }

    /// <summary>Rows seen in fit (sklearn <c>n_samples_seen_</c>).</summary>
    public int SampleCount { get; }

    /// <summary>Column means (sklearn <c>mean_</c>).</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Column population variances, ddof = 0 (sklearn <c>var_</c>).</summary>
    public ReadOnlySpan<double> Variance => _variance;

    /// <summary>Column scales: sqrt(var), or 1 for constant columns (sklearn <c>scale_</c>).</summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <inheritdoc />
    public int InputFeatureCount => _mean.Length;

    /// <inheritdoc />
    public int OutputFeatureCount => _mean.Length;

    /// <summary>Writes <c>(x − mean) / scale</c> (computed in double, rounded to float). In place is allowed. Allocates nothing.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, InputFeatureCount);
        for (int i = 0; i < x.Height; i++)
        {
            ColumnKernels.SubtractDivide(x.GetRowSpan(i), _shift, _divisor, destination.GetRowSpan(i));
        }
    }

    /// <summary>Writes <c>(x − mean) / scale</c> in full double precision (what scikit-learn returns for float64 input).</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<double> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, InputFeatureCount);
        for (int i = 0; i < x.Height; i++)
        {
            ColumnKernels.SubtractDivide(x.GetRowSpan(i), _shift, _divisor, destination.GetRowSpan(i));
        }
    }
}
