using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;
using FashionCore.Numerics.Random;

namespace FashionCore.Models.Clustering;

/// <summary>
/// k-means clustering exactly as scikit-learn 1.2.1's <c>KMeans(algorithm='lloyd')</c> on float64 data: same
/// k-means++ picks for a given <c>random_state</c>, same labels and iteration counts, inertia equal to rounding.
/// </summary>
/// <remarks>
/// Effectively computes, per run: centre the data (x − column mean); choose k centres (greedy k-means++ with
/// <c>2 + ⌊ln k⌋</c> trials, random rows, or given); Lloyd iterations until the labels repeat or the summed squared
/// centre shift is at most <c>tol · mean_j var_j(x)</c>, or <c>max_iter</c>; then one more E-step. The best of
/// <c>n_init</c> runs by inertia is kept, except that a run only replaces the best when its partition differs
/// (sklearn's <c>_is_same_clustering</c>). One numpy <c>RandomState(random_state)</c> stream feeds all runs in order
/// (Arthur &amp; Vassilvitskii 2007 for k-means++; Lloyd 1982).
/// <para>
/// Centres, distances and inertia are double. With float input the rows are those float values widened to double;
/// scikit-learn on the float64 data those floats were rounded from can differ where a row is within rounding of two
/// centres — use <see cref="Fit(ReadOnlyMemory2D{double}, CancellationToken)"/> with float64 data for exact parity.
/// Work runs in parallel over fixed 256-row chunks reduced in chunk order, so results do not depend on the thread count;
/// with several initialisations the runs themselves run in parallel instead (random draws made first, in sklearn's
/// order; each run's chunks in order; the best run picked in run order).
/// </para>
/// </remarks>
public sealed class KMeans : ITransformerEstimator<KMeansModel>
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="options">Options; <see langword="null"/> for defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="KMeansOptions.InitialCenters"/> does not fit the options.</exception>
    public KMeans(KMeansOptions? options = null)
    {
        Options = options ?? new KMeansOptions();
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public KMeansOptions Options { get; }

    /// <summary>Tests only: false forces the plain Lloyd E-step over every row (no bound-based skipping).</summary>
    internal bool UseBounds { get; init; } = true;

    /// <summary>Clusters the float rows of <paramref name="x"/> (widened to double).</summary>
    /// <param name="x">n×d rows, n ≥ k, all finite.</param>
    /// <param name="cancellationToken">Checked between Lloyd iterations.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has fewer rows than clusters, no columns, NaN/Inf, or a column count different from the given centres.</exception>
    public KMeansModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default) => FitCore(x, cancellationToken);

    /// <summary>Clusters the double rows of <paramref name="x"/> (what scikit-learn does with float64 input).</summary>
    /// <param name="x">n×d rows, n ≥ k, all finite.</param>
    /// <param name="cancellationToken">Checked between Lloyd iterations.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has fewer rows than clusters, no columns, NaN/Inf, or a column count different from the given centres.</exception>
    public KMeansModel Fit(ReadOnlyMemory2D<double> x, CancellationToken cancellationToken = default) => FitCore(x, cancellationToken);

    private KMeansModel FitCore<T>(ReadOnlyMemory2D<T> x, CancellationToken cancellationToken)
        where T : unmanaged
    {
        KMeansOptions o = Options;
        int k = o.Clusters;
        if (x.Width == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one column.", nameof(x));
        }

        if (x.Height < k)
        {
            ThrowHelper.ThrowArgument($"n_samples={x.Height} should be >= n_clusters={k}.", nameof(x));
        }

        if (o.Init == KMeansInit.Given && o.InitialCenters.Width != x.Width)
        {
            ThrowHelper.ThrowArgument($"InitialCenters has {o.InitialCenters.Width} columns but 'x' has {x.Width}.", nameof(x));
        }

        // A single seeded k-means++ run starts at the stream's first draw, randint(n) (as KMeansRuns draws it): the
        // solver's setup pass then takes the first centre's distances along (a wrong guess only forgoes that).
        int firstCentre = o.Init == KMeansInit.KMeansPlusPlus && o.InitCount == 1 && o.RandomState is uint seed ? new Mt19937(seed).NextInt32(x.Height) : -1;
        KMeansSolver<T> solver = new(x, firstCentre) { UseBounds = UseBounds };
        try
        {
            return Run(solver, o, cancellationToken);
        }
        finally
        {
            solver.ReturnBuffers();
        }
    }

    /// <summary>Runs n_init initialisations + Lloyd on a prepared solver and returns the best run.</summary>
    /// <remarks>
    /// With several runs and cores the runs run in parallel, one run per core with its passes in order (no per-pass
    /// synchronisation); a single run parallelises its passes instead. Either way every run computes exactly what it
    /// would alone (see <see cref="KMeansRuns{T}"/>).
    /// </remarks>
    internal static KMeansModel Run<T>(KMeansSolver<T> solver, KMeansOptions o, CancellationToken cancellationToken)
        where T : unmanaged
    {
        KMeansRuns<T> runs = new(solver, o);
        if (runs.Count > 1)
        {
            solver.TakeFirstCentreDots(runs.FirstCentres);
        }

        KMeansRuns<T>.RunAll([runs], null, cancellationToken);
        return runs.Best();
    }
}
