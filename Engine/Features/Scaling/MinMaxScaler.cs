using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features.Scaling;

/// <summary>
/// Scales each column to a range using its training minimum and maximum, exactly as scikit-learn 1.2.1's
/// <c>MinMaxScaler</c> (not the study's x/255: on the Fashion-MNIST train pixels 54 columns have max &lt; 255).
/// </summary>
/// <remarks>
/// Effectively computes <c>scale_j = (rangeMax − rangeMin) / (max_j − min_j)</c> (a zero range counts as 1, as sklearn's
/// <c>_handle_zeros_in_scale</c>), <c>min_j = rangeMin − min_j·scale_j</c>, and transforms <c>x·scale + min</c> in double.
/// No clipping: test values outside the training range map outside the target range.
/// </remarks>
/// <param name="options">Options; <see langword="null"/> for defaults (range 0..1).</param>
public sealed class MinMaxScaler(MinMaxScalerOptions? options = null) : ITransformerEstimator<MinMaxScalerModel>
{
    /// <summary>The validated options.</summary>
    public MinMaxScalerOptions Options { get; } = Validated(options ?? new MinMaxScalerOptions());

    /// <summary>Finds the per-column minimum and maximum of <paramref name="x"/>.</summary>
    /// <param name="x">n×d rows, n ≥ 1.</param>
    /// <param name="cancellationToken">Unused: a single pass.</param>
    /// <returns>The fitted scaler.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no rows, no columns, or contains NaN/Inf.</exception>
    public MinMaxScalerModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default) => Fit(x.Span);

    /// <summary>Finds the per-column minimum and maximum of <paramref name="x"/> (span overload).</summary>
    /// <param name="x">n×d rows, n ≥ 1.</param>
    /// <returns>The fitted scaler.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no rows, no columns, or contains NaN/Inf.</exception>
    public MinMaxScalerModel Fit(ReadOnlySpan2D<float> x)
    {
        if (x.Height == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one row.", nameof(x));
        }

        if (x.Width == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one column.", nameof(x));
        }

        Check.Finite(x);
        int d = x.Width;
        float[] min = x.GetRowSpan(0).ToArray();
        float[] max = x.GetRowSpan(0).ToArray();
        for (int i = 1; i < x.Height; i++)
        {
            ColumnKernels.MinMax(x.GetRowSpan(i), min, max);
        }

        double[] dataMin = new double[d];
        double[] dataMax = new double[d];
        double[] scale = new double[d];
        double[] offset = new double[d];
        double span = Options.RangeMax - Options.RangeMin;
        for (int j = 0; j < d; j++)
        {
            dataMin[j] = min[j];
            dataMax[j] = max[j];
            double range = dataMax[j] - dataMin[j];
            // sklearn _handle_zeros_in_scale: ranges below 10·ε count as constant columns.
            scale[j] = span / (range < 10 * 2.220446049250313e-16 ? 1.0 : range);
            offset[j] = Options.RangeMin - (dataMin[j] * scale[j]);

            // A wide target range over a narrow (or very large) column can overflow double; say so here rather than
            // let the model constructor reject a statistic the caller never passed.
            if (!(scale[j] > 0) || !double.IsFinite(scale[j]) || !double.IsFinite(offset[j]))
            {
                ThrowHelper.ThrowArgument(
                    $"'x' column {j} (min {dataMin[j]}, max {dataMax[j]}) cannot be mapped to [{Options.RangeMin}, {Options.RangeMax}]: " +
                    $"the scale {scale[j]} or offset {offset[j]} is not a positive finite double.", nameof(x));
            }
        }

        return new MinMaxScalerModel(Options, dataMin, dataMax, scale, offset);
    }

    private static MinMaxScalerOptions Validated(MinMaxScalerOptions options)
    {
        options.Validate();
        return options;
    }
}
