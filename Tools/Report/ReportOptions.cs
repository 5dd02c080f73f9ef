namespace FashionCore.Tools.Report;

/// <summary>What a report run may vary: where things are, the seed and the threads. The experiments themselves are fixed (the study's).</summary>
public sealed record ReportOptions
{
    /// <summary>Directory the report is written to (created if needed).</summary>
    public string OutputDirectory { get; init; } = "report";

    /// <summary>Dataset directory; null to search the usual places (see FashionMnist.Load).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Whether the data may be downloaded when no local copy is found.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>random_state of every estimator (logistic regression, k-means).</summary>
    public int Seed { get; init; }

    /// <summary>Worker threads for the parallel stages (HOG, PCA, cross-validation folds, grid candidates).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Extra seeds (seed+1 … seed+N) with which the saga candidates of both grids are rerun to measure how much of each grid's winner is noise; 0 skips it.</summary>
    public int NoiseSeeds { get; init; }

    /// <summary>The most extra seeds a report reruns the grids with (about 10 s each).</summary>
    public const int MaxNoiseSeeds = 20;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Seed negative, threads below 1, or noise seeds outside 0..<see cref="MaxNoiseSeeds"/>.</exception>
    /// <exception cref="ArgumentException">The output directory is empty.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputDirectory, nameof(OutputDirectory));
        ArgumentOutOfRangeException.ThrowIfNegative(Seed, nameof(Seed));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfNegative(NoiseSeeds, nameof(NoiseSeeds));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(NoiseSeeds, MaxNoiseSeeds, nameof(NoiseSeeds));
    }
}
