using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Clustering;

/// <summary>Options of <see cref="KMeans"/> (scikit-learn 1.2.1 <c>KMeans(n_clusters, init, n_init, max_iter, tol, random_state)</c>).</summary>
/// <remarks>Validated by <see cref="Validate"/>, which the <see cref="KMeans"/> constructor calls.</remarks>
public sealed record KMeansOptions
{
    /// <summary>Number of clusters k, at least 1 (default 8; sklearn <c>n_clusters</c>).</summary>
    public int Clusters { get; init; } = 8;

    /// <summary>Initialisation (default <see cref="KMeansInit.KMeansPlusPlus"/>; sklearn <c>init</c>).</summary>
    public KMeansInit Init { get; init; } = KMeansInit.KMeansPlusPlus;

    /// <summary>
    /// k×d initial centres in input coordinates, required by (and only used with) <see cref="KMeansInit.Given"/>.
    /// </summary>
    public ReadOnlyMemory2D<double> InitialCenters { get; init; }

    /// <summary>
    /// Number of runs with different initial centres; the run with the lowest inertia is kept (default 10, what
    /// sklearn 1.2.1's <c>n_init='warn'</c> means; sklearn <c>n_init</c>). Ignored (one run) with <see cref="KMeansInit.Given"/>.
    /// </summary>
    public int InitCount { get; init; } = 10;

    /// <summary>Maximum Lloyd iterations per run, at least 1 (default 300; sklearn <c>max_iter</c>).</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Relative tolerance, at least 0 (default 1e-4; sklearn <c>tol</c>): a run stops when the sum of squared centre
    /// shifts is at most <c>Tolerance · mean_j var_j(x)</c>.
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>
    /// Seed of the numpy-compatible MT19937 stream shared by all runs (sklearn <c>random_state</c>, an int);
    /// <see langword="null"/> (default) draws a seed from <see cref="System.Random.Shared"/>, so results are not reproducible.
    /// </summary>
    public uint? RandomState { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names it).</exception>
    /// <exception cref="ArgumentException"><see cref="InitialCenters"/> does not fit <see cref="Init"/> and <see cref="Clusters"/>.</exception>
    public void Validate()
    {
        if (Clusters < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Clusters), Clusters, "Clusters (n_clusters) must be at least 1.");
        }

        if (!Enum.IsDefined(Init))
        {
            throw new ArgumentOutOfRangeException(nameof(Init), Init, "Init must be KMeansPlusPlus, Random or Given.");
        }

        if (InitCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InitCount), InitCount, "InitCount (n_init) must be at least 1.");
        }

        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations (max_iter) must be at least 1.");
        }

        if (!(Tolerance >= 0) || !double.IsFinite(Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "Tolerance (tol) must be finite and at least 0.");
        }

        if (Init == KMeansInit.Given)
        {
            if (InitialCenters.Height != Clusters)
            {
                throw new ArgumentException(
                    $"InitialCenters must have Clusters={Clusters} rows but has {InitialCenters.Height}.", nameof(InitialCenters));
            }

            ReadOnlySpan2D<double> c = InitialCenters.Span;
            for (int i = 0; i < c.Height; i++)
            {
                foreach (double v in c.GetRowSpan(i))
                {
                    if (!double.IsFinite(v))
                    {
                        throw new ArgumentException($"InitialCenters contains {v} in row {i}; all values must be finite.", nameof(InitialCenters));
                    }
                }
            }
        }
        else if (!InitialCenters.IsEmpty)
        {
            throw new ArgumentException("InitialCenters is only used with Init = Given.", nameof(InitialCenters));
        }
    }
}
