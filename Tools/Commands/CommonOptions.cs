using System.CommandLine;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary>Options every command takes (names fixed so scripts and docs can rely on them).</summary>
internal static class CommonOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Directory holding the four Fashion-MNIST files (default: search $FASHION_MNIST_DIR, ./data/fashion-mnist, /usr/share/datasets/fashion-mnist, then download).",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Machine-readable JSON on stdout (and nothing else on stdout).",
    };

    public static Option<bool> NoDownload() => new("--no-download")
    {
        Description = "Never download the data; fail if no local copy is found.",
    };

    public static Option<int> Seed() => ValueParsers.Int("--seed", "Random state of the estimators and of every random choice the command makes (default 0).", 0);

    public static Option<int> Threads() => ValueParsers.Int(
        "--threads",
        "Most threads the command's work runs on at once, >= 1: every parallel stage (data loading, HOG, scalers, PCA, logistic regression, cross-validation folds, k-means) shares this bound; results do not depend on it, except a large SAGA/SAG fit (rows x features >= 2^22 with at least 64 features: the 60 000 rows of pixels, HOG or PCA+HOG), whose coefficients on 2+ threads can differ from --threads 1 in the last bits (default: all cores).",
        Environment.ProcessorCount);

    /// <summary>The <c>--seed</c> value, checked.</summary>
    /// <exception cref="OptionException">Negative.</exception>
    public static uint CheckSeed(int seed) =>
        seed >= 0 ? (uint)seed : throw new OptionException("--seed", $"must be >= 0, got {seed}.");

    /// <summary>The <c>--threads</c> value, checked.</summary>
    /// <exception cref="OptionException">Below 1.</exception>
    public static int CheckThreads(int threads) =>
        threads >= 1 ? threads : throw new OptionException("--threads", $"must be >= 1, got {threads}.");
}
