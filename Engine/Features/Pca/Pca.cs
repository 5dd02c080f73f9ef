using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Features.Scaling;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Features.Pca;

/// <summary>
/// Principal component analysis by eigendecomposition of the covariance matrix: exact (not randomized), matching
/// scikit-learn 1.2.1's <c>PCA(svd_solver='full')</c> including its sign convention.
/// </summary>
/// <remarks>
/// <para>
/// Effectively computes <c>Cov = (X − mean)ᵀ(X − mean)/(n − 1)</c> in double, its eigenpairs (largest first),
/// <c>components = top-k eigenvectors</c>, <c>explained_variance = eigenvalues</c> (negative rounding noise clipped to
/// 0), <c>ratio = eigenvalue / trace(Cov)</c>, <c>singular_values = sqrt(eigenvalue·(n − 1))</c>. Signs follow sklearn's
/// <c>svd_flip</c>: for each component the training row with the largest |score| gets a positive score (ties: first
/// row). This is sklearn's <c>covariance_eigh</c> route (PR #27491); it is exact for n ≫ d.
/// </para>
/// <para>
/// Precision: the covariance is accumulated in double. For float data whose values are all integers in
/// [−255, 255] (pixels) the Gram matrix is formed in float on 256-row panels, which is exact, and centred exactly
/// (<c>n·G − s·sᵀ</c> in integers), so the covariance is correct to one rounding at float speed. Other float data and
/// <see cref="Fit(ReadOnlyMemory2D{double}, CancellationToken)"/> use a double Gram matrix of the centred rows.
/// <see cref="FitStandardized"/> folds a fitted <see cref="StandardScalerModel"/> into the covariance
/// (<c>Cov_z[i,j] = Cov_x[i,j]/(s_i·s_j)</c>) so PCA of standardized pixels is both exact and fast.
/// </para>
/// </remarks>
public sealed class Pca : ITransformerEstimator<PcaModel>
{
    /// <summary>Creates the estimator and validates the options.</summary>
    /// <param name="options">Options; <see langword="null"/> for defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">Conflicting options.</exception>
    public Pca(PcaOptions? options = null)
    {
        Options = options ?? new PcaOptions();
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public PcaOptions Options { get; }

    /// <summary>Fits on float rows.</summary>
    /// <param name="x">n×d training rows, n ≥ 2, all finite.</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has fewer than 2 rows, no columns, more columns than a d×d
    /// covariance array can hold (46 340), NaN/Inf, or values so large that the covariance overflows double.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PcaOptions.Components"/> exceeds min(n, d).</exception>
    public PcaModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default) =>
        FitCore(new FloatSource(x, null), cancellationToken);

    /// <summary>Fits on double rows (everything in double).</summary>
    /// <param name="x">n×d training rows, n ≥ 2, all finite.</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has fewer than 2 rows, no columns, more columns than a d×d
    /// covariance array can hold (46 340), NaN/Inf, or values so large that the covariance overflows double.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PcaOptions.Components"/> exceeds min(n, d).</exception>
    public PcaModel Fit(ReadOnlyMemory2D<double> x, CancellationToken cancellationToken = default) =>
        FitCore(new DoubleSource(x), cancellationToken);

    /// <summary>
    /// Fits PCA on <c>scaler.Transform(x)</c> (computed in double) without materialising it: the model equals
    /// <c>Fit</c> on the standardized rows and expects standardized rows in <c>Transform</c>.
    /// </summary>
    /// <param name="x">n×d raw training rows (e.g. pixels 0..255), n ≥ 2, all finite.</param>
    /// <param name="scaler">A fitted standard scaler with d features (normally fitted on the same rows).</param>
    /// <param name="cancellationToken">Checked between passes.</param>
    /// <returns>The fitted model (input: standardized rows).</returns>
    /// <exception cref="ArgumentException">Shapes do not match, too few rows, or NaN/Inf.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PcaOptions.Components"/> exceeds min(n, d).</exception>
    public PcaModel FitStandardized(ReadOnlyMemory2D<float> x, StandardScalerModel scaler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        Check.Columns(x.Span, scaler.InputFeatureCount, nameof(x));
        return FitCore(new FloatSource(x, scaler), cancellationToken);
    }

    private PcaModel FitCore(PcaSource source, CancellationToken cancellationToken)
    {
        int n = source.Rows;
        int d = source.Columns;
        if (n < 2)
        {
            ThrowHelper.ThrowArgument($"'x' must have at least 2 rows (samples) but has {n}.", "x");
        }

        if (d < 1)
        {
            ThrowHelper.ThrowArgument("'x' must have at least 1 column (feature).", "x");
        }

        // The covariance is one d×d array: checked before the pass over x, not as an OverflowException from d·d.
        if ((long)d * d > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'x' has {d} columns (features); their {d}x{d} covariance would exceed the maximum array length ({Array.MaxLength}), " +
                $"so at most {(int)Math.Sqrt(Array.MaxLength)} are supported.", "x");
        }

        int rank = Math.Min(n, d);
        if (Options.Components is int requested && requested > rank)
        {
            ThrowHelper.ThrowArgumentOutOfRange(
                nameof(PcaOptions.Components), requested, $"Components={requested} must be <= min(n_samples={n}, n_features={d})={rank}.");
        }

        // The linear-algebra kernels take 0 for "all cores".
        int threads = Math.Max(0, Options.MaxDegreeOfParallelism);
        source.Scan(threads);
        cancellationToken.ThrowIfCancellationRequested();
        double[] values;
        double[][] vectors;
        double total = 0;
        using (var cov = new ScratchArray<double>(d * d, clear: false))
        {
            source.Covariance(cov.Array, threads);
            cancellationToken.ThrowIfCancellationRequested();
            for (int i = 0; i < d; i++)
            {
                total += cov.Array[(i * d) + i];
            }

            // The rows were checked finite, so a non-finite covariance or trace means finite values too large for
            // their squares and products (|x| beyond ~1e154): say so here rather than let the eigensolver call its
            // own input non-finite. One pass over d² values, next to the O(n·d²) Gram matrix behind them.
            if (!double.IsFinite(total) || !TensorPrimitives.IsFiniteAll(cov.Span))
            {
                ThrowHelper.ThrowArgument(
                    "'x' has values too large for PCA: their covariance overflowed double (squares and products of the centred " +
                    "values must stay below 1.8e308); scale the data down first.", "x");
            }

            // A fixed component count needs only the top eigenvalues; a variance fraction needs the whole spectrum.
            var matrix = new ReadOnlySpan2D<double>(cov.Array, d, d);
            values = Options.Components is int fixedCount
                ? SymmetricEigen.ComputeLargest(matrix, fixedCount, out vectors, threads)
                : SymmetricEigen.Compute(matrix, all => ChooseCount(all, total, rank), out vectors, threads);
        }

        cancellationToken.ThrowIfCancellationRequested();
        int k = vectors.Length;
        double[] components = new double[k * d];
        for (int r = 0; r < k; r++)
        {
            vectors[r].CopyTo(components, r * d);
        }

        PcaSigns.Fix(source, components, k, threads);
        double[] variance = new double[k];
        double[] ratio = new double[k];
        double[] singular = new double[k];
        for (int r = 0; r < k; r++)
        {
            variance[r] = Math.Max(values[r], 0);
            ratio[r] = total > 0 ? variance[r] / total : 0;
            singular[r] = Math.Sqrt(variance[r] * (n - 1));
        }

        return new PcaModel(Options, n, source.Mean(), components, variance, ratio, singular);
    }

    private int ChooseCount(double[] eigenvalues, double total, int rank)
    {
        if (Options.Components is int k)
        {
            return k;
        }

        if (Options.VarianceFraction is double f)
        {
            // sklearn: searchsorted(cumsum(ratio), f, side='right') + 1, i.e. the fewest components whose
            // cumulative ratio exceeds f.
            double cumulative = 0;
            for (int r = 0; r < rank; r++)
            {
                cumulative += total > 0 ? Math.Max(eigenvalues[r], 0) / total : 0;
                if (cumulative > f)
                {
                    return r + 1;
                }
            }
        }

        return rank;
    }
}
