using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;
using FashionCore.Numerics;

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
    /// <exception cref="ArgumentException"><paramref name="x"/> has no rows, no columns, or contains NaN/Inf.</exception>
    /// <remarks>Columns are split into fixed blocks fitted in parallel; each column is still accumulated in row order,
    /// so the result is identical to the span overload's for any thread count.</remarks>
    public StandardScalerModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default)
    {
        Validate(x.Span);
        int d = x.Width;
        var stats = new ColumnStatistics(d);
        int blocks = (d + ColumnBlock - 1) / ColumnBlock;
        Parallel.For(0, blocks, EngineParallel.Options(cancellationToken: cancellationToken), b =>
        {
            int j0 = b * ColumnBlock;
            stats.Accumulate(x.Span, j0, Math.Min(d, j0 + ColumnBlock));
        });
        return stats.ToModel(Options, x.Height);
    }

    /// <summary>Computes the column statistics of raw pixel bytes, as <see cref="Fit(ReadOnlyMemory2D{float}, CancellationToken)"/> on the same values in float.</summary>
    /// <param name="x">n×d training rows of byte values (e.g. pixels 0..255), n ≥ 1.</param>
    /// <param name="cancellationToken">Checked between column blocks.</param>
    /// <returns>The fitted scaler, bit-identical to fitting the rows widened to float (every byte is exact in float and
    /// in double, and the accumulation order is the same); spares the caller a float copy of all rows.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no rows or no columns.</exception>
    public StandardScalerModel Fit(ReadOnlyMemory2D<byte> x, CancellationToken cancellationToken = default)
    {
        if (x.Height == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one row.", nameof(x));
        }

        if (x.Width == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one column.", nameof(x));
        }

        int d = x.Width;
        var stats = new ColumnStatistics(d);
        int blocks = (d + ColumnBlock - 1) / ColumnBlock;
        Parallel.For(0, blocks, EngineParallel.Options(cancellationToken: cancellationToken), b =>
        {
            int j0 = b * ColumnBlock;
            stats.Accumulate(x.Span, j0, Math.Min(d, j0 + ColumnBlock));
        });
        return stats.ToModel(Options, x.Height);
    }

    /// <summary>Computes the column statistics of <paramref name="x"/> (span overload).</summary>
    /// <param name="x">n×d training rows, n ≥ 1.</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>The fitted scaler.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no rows, no columns, or contains NaN/Inf.</exception>
    public StandardScalerModel Fit(ReadOnlySpan2D<float> x, CancellationToken cancellationToken = default)
    {
        Validate(x);
        cancellationToken.ThrowIfCancellationRequested();
        var stats = new ColumnStatistics(x.Width);
        stats.Accumulate(x, 0, x.Width);
        return stats.ToModel(Options, x.Height);
    }

    // 64 columns = 8 AVX vectors: enough work per block, and 784 pixels split into 13 blocks balance over 2–16 cores.
    private const int ColumnBlock = 64;

    private static void Validate(ReadOnlySpan2D<float> x)
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
    }

    /// <summary>Per-column mean and shifted moments; each column block is owned by one thread.</summary>
    private sealed class ColumnStatistics(int d)
    {
        private readonly double[] _mean = new double[d];
        private readonly double[] _shifted = new double[d];
        private readonly double[] _squares = new double[d];

        public void Accumulate(ReadOnlySpan2D<float> x, int j0, int j1)
        {
            int n = x.Height;
            int w = j1 - j0;
            Span<double> mean = _mean.AsSpan(j0, w);
            for (int i = 0; i < n; i++)
            {
                ColumnKernels.Accumulate(x.GetRowSpan(i).Slice(j0, w), mean);
            }

            for (int j = 0; j < w; j++)
            {
                mean[j] /= n;
            }

            Span<double> shifted = _shifted.AsSpan(j0, w);
            Span<double> squares = _squares.AsSpan(j0, w);
            for (int i = 0; i < n; i++)
            {
                ColumnKernels.AccumulateShifted(x.GetRowSpan(i).Slice(j0, w), mean, shifted, squares);
            }
        }

        public void Accumulate(ReadOnlySpan2D<byte> x, int j0, int j1)
        {
            // Each row's block is widened to float in a small buffer and fed to the float kernels, so the sums are
            // formed exactly as for a float copy of the rows.
            int n = x.Height;
            int w = j1 - j0;
            Span<float> row = stackalloc float[ColumnBlock];
            row = row[..w];
            Span<double> mean = _mean.AsSpan(j0, w);
            for (int i = 0; i < n; i++)
            {
                PixelKernels.Widen(x.GetRowSpan(i).Slice(j0, w), row);
                ColumnKernels.Accumulate(row, mean);
            }

            for (int j = 0; j < w; j++)
            {
                mean[j] /= n;
            }

            Span<double> shifted = _shifted.AsSpan(j0, w);
            Span<double> squares = _squares.AsSpan(j0, w);
            for (int i = 0; i < n; i++)
            {
                PixelKernels.Widen(x.GetRowSpan(i).Slice(j0, w), row);
                ColumnKernels.AccumulateShifted(row, mean, shifted, squares);
            }
        }

        public StandardScalerModel ToModel(StandardScalerOptions options, int n)
        {
            double[] variance = new double[d];
            double[] scale = new double[d];
            for (int j = 0; j < d; j++)
            {
                double v = (_squares[j] - (_shifted[j] * _shifted[j] / n)) / n;
                variance[j] = v;
                scale[j] = IsConstant(v, _mean[j], n) ? 1.0 : Math.Sqrt(v);
            }

            return new StandardScalerModel(options, n, _mean, variance, scale);
        }
    }

    // sklearn.preprocessing._data._is_constant_feature: variance below what float64 rounding alone can produce.
    private static bool IsConstant(double variance, double mean, int n)
    {
        const double Eps = 2.220446049250313e-16;
        double upper = (n * Eps * variance) + ((n * mean * Eps) * (n * mean * Eps));
        return variance <= upper;
    }
}
