using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features.Scaling;

/// <summary>A fitted <see cref="MinMaxScaler"/>.</summary>
public sealed class MinMaxScalerModel : ITransformer
{
    private readonly double[] _dataMin;
    private readonly double[] _dataMax;
    private readonly double[] _scale;
    private readonly double[] _offset;

    /// <summary>Creates a model from statistics (used by fit and model loading).</summary>
    /// <param name="options">The options it was fitted with.</param>
    /// <param name="dataMin">Column minima (sklearn <c>data_min_</c>).</param>
    /// <param name="dataMax">Column maxima (sklearn <c>data_max_</c>).</param>
    /// <param name="scale">Column factors (sklearn <c>scale_</c>).</param>
    /// <param name="offset">Column offsets (sklearn <c>min_</c>).</param>
    /// <remarks>The model keeps copies of the arrays.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The options are invalid (see <see cref="MinMaxScalerOptions.Validate"/>).</exception>
    /// <exception cref="ArgumentException">The arrays are empty or differ in length, a value is not finite, a minimum
    /// exceeds its maximum, or a scale is not positive.</exception>
    public MinMaxScalerModel(MinMaxScalerOptions options, double[] dataMin, double[] dataMax, double[] scale, double[] offset)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataMin);
        ArgumentNullException.ThrowIfNull(dataMax);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(offset);
        options.Validate();

        // Copied before they are checked: the model is immutable, whatever the caller later does with its arrays.
        dataMin = (double[])dataMin.Clone();
        dataMax = (double[])dataMax.Clone();
        scale = (double[])scale.Clone();
        offset = (double[])offset.Clone();
        if (dataMin.Length == 0)
        {
            ThrowHelper.ThrowArgument("'dataMin' must have at least one column.", nameof(dataMin));
        }

        Check.Length<double>(dataMax, dataMin.Length);
        Check.Length<double>(scale, dataMin.Length);
        Check.Length<double>(offset, dataMin.Length);
        for (int j = 0; j < dataMin.Length; j++)
        {
            // The statistics come from Fit or from a model file; either way a NaN here would only surface as NaN output.
            if (!double.IsFinite(dataMin[j]) || !double.IsFinite(dataMax[j]) || dataMin[j] > dataMax[j])
            {
                ThrowHelper.ThrowArgument($"dataMin[{j}] = {dataMin[j]} and dataMax[{j}] = {dataMax[j]} must be finite with dataMin ≤ dataMax.", nameof(dataMin));
            }

            if (!(scale[j] > 0) || !double.IsFinite(scale[j]))
            {
                ThrowHelper.ThrowArgument($"scale[{j}] = {scale[j]} must be positive and finite.", nameof(scale));
            }

            if (!double.IsFinite(offset[j]))
            {
                ThrowHelper.ThrowArgument($"offset[{j}] = {offset[j]} must be finite.", nameof(offset));
            }
        }
        Options = options;
        _dataMin = dataMin;
        _dataMax = dataMax;
        _scale = scale;
        _offset = offset;
    }

    /// <summary>The options it was fitted with.</summary>
    public MinMaxScalerOptions Options { get; }

    /// <summary>Column minima (sklearn <c>data_min_</c>).</summary>
    public ReadOnlySpan<double> DataMin => _dataMin;

    /// <summary>Column maxima (sklearn <c>data_max_</c>).</summary>
    public ReadOnlySpan<double> DataMax => _dataMax;

    /// <summary>Column factors (sklearn <c>scale_</c>).</summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>Column offsets (sklearn <c>min_</c>).</summary>
    public ReadOnlySpan<double> Offset => _offset;

    /// <inheritdoc />
    public int InputFeatureCount => _dataMin.Length;

    /// <inheritdoc />
    public int OutputFeatureCount => _dataMin.Length;

    /// <summary>Writes <c>x·scale + min</c> (computed in double, rounded to float). In place is allowed. Allocates nothing.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, InputFeatureCount);
        for (int i = 0; i < x.Height; i++)
        {
            ColumnKernels.MultiplyAdd(x.GetRowSpan(i), _scale, _offset, destination.GetRowSpan(i));
        }
    }

    /// <summary>Writes <c>x·scale + min</c> in full double precision.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<double> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, InputFeatureCount);
        for (int i = 0; i < x.Height; i++)
        {
            ColumnKernels.MultiplyAdd(x.GetRowSpan(i), _scale, _offset, destination.GetRowSpan(i));
        }
    }
}
