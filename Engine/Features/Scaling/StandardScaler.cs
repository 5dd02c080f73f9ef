using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features.Scaling;

/// <summary>
/// Standardizes columns to zero mean and unit variance, exactly as scikit-learn 1.2.1's <c>StandardScaler</c>.
/// </summary>
/// <remarks>
/// Effectively computes <c>mean_j = Σ_i x_ij / n</c>, the population variance by the corrected two-pass formula
/// <c>var_j = (Σ(x−mean)² − (Σ(x−mean))²/n) / n</c>, and <c>scale_j = sqrt(var_j)</c>, except that columns sklearn deems
/// constant (<c>var ≤ n·ε·var + (n·mean·ε)²</c>, ε = 2.22e-16) get scale 1. All statistics are accumulated in double in
/// row order, so for integer data (pixels) they equal numpy's bit for bit. Transform is <c>(x − mean) / scale</c>
/// evaluated in double (a division: multiplying by the reciprocal differs by up to 2.8e-14) and rounded to float.
/// NaN/Inf input is rejected.
/// </remarks>
/// <param name="options">Options; <see langword="null"/> for defaults.</param>
public sealed class StandardScaler(StandardScalerOptions? options = null) : ITransformerEstimator<StandardScalerModel>
{
    /// <summary>The options.</summary>
    public StandardScalerOptions Options { get; } = options ?? new StandardScalerOptions();

    /// <summary>Computes the column statistics of <paramref name="x"/>.</summary>
    /// <param name="x">n×d training rows, n ≥ 1.</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>The fitted scaler.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no rows or contains NaN/Inf.</exception>
    public StandardScalerModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default) => Fit(x.Span, cancellationToken);

    /// <summary>Computes the column statistics of <paramref name="x"/> (span overload).</summary>
    /// <param name="x">n×d training rows, n ≥ 1.</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>The fitted scaler.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no rows or contains NaN/Inf.</exception>
    public StandardScalerModel Fit(ReadOnlySpan2D<float> x, CancellationToken cancellationToken = default)
    {
        if (x.Height == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one row.", nameof(x));
        }

        Check.Finite(x);
        int n = x.Height;
        int d = x.Width;
        double[] mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            ColumnKernels.Accumulate(x.GetRowSpan(i), mean);
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        cancellationToken.ThrowIfCancellationRequested();
        double[] shifted = new double[d];
        double[] squares = new double[d];
        for (int i = 0; i < n; i++)
        {
            ColumnKernels.AccumulateShifted(x.GetRowSpan(i), mean, shifted, squares);
        }

        double[] variance = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double v = (squares[j] - (shifted[j] * shifted[j] / n)) / n;
            variance[j] = v;
            scale[j] = IsConstant(v, mean[j], n) ? 1.0 : Math.Sqrt(v);
        }

        return new StandardScalerModel(Options, n, mean, variance, scale);
    }

    // sklearn.preprocessing._data._is_constant_feature: variance below what float64 rounding alone can produce.
    private static bool IsConstant(double variance, double mean, int n)
    {
        const double Eps = 2.220446049250313e-16;
        double upper = (n * Eps * variance) + ((n * mean * Eps) * (n * mean * Eps));
        return variance <= upper;
    }
}
