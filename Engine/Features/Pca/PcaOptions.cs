namespace FashionCore.Features.Pca;

/// <summary>Options of <see cref="Pca"/> (scikit-learn <c>PCA(n_components, whiten)</c> with the exact solver).</summary>
/// <remarks>
/// Set at most one of <see cref="Components"/> and <see cref="VarianceFraction"/>; with neither, all
/// min(n_samples, n_features) components are kept (sklearn's <c>n_components=None</c>).
/// </remarks>
public sealed record PcaOptions
{
    /// <summary>Number of components to keep (sklearn <c>n_components</c> as an int), ≥ 1; default <see langword="null"/>.</summary>
    public int? Components { get; init; }

    /// <summary>
    /// Keep the fewest components whose explained variance ratios sum to more than this fraction, 0 &lt; f &lt; 1
    /// (sklearn <c>n_components</c> as a float); default <see langword="null"/>.
    /// </summary>
    public double? VarianceFraction { get; init; }

    /// <summary>Divide the projections by sqrt(explained variance) so they have unit variance (sklearn <c>whiten</c>); default false.</summary>
    public bool Whiten { get; init; }

    /// <summary>
    /// Threads used by Fit (sklearn <c>n_jobs</c>); −1 (default) = all cores, otherwise ≥ 1. Results do not depend on it.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">Both <see cref="Components"/> and <see cref="VarianceFraction"/> are set.</exception>
    public void Validate()
    {
        if (Components is int k && k < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Components), k, "Components must be >= 1.");
        }

        if (VarianceFraction is double f && !(f > 0 && f < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(VarianceFraction), f, "VarianceFraction must be in (0, 1).");
        }

        if (Components.HasValue && VarianceFraction.HasValue)
        {
            throw new ArgumentException("Set Components or VarianceFraction, not both.", nameof(VarianceFraction));
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be -1 (all cores) or at least 1.");
        }
    }
}
