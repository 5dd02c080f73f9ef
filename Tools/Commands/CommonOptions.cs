using System.CommandLine;

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

    public static Option<int> Seed() => new("--seed")
    {
        Description = "Random state of the estimators and of every random choice the command makes (default 0).",
        DefaultValueFactory = _ => 0,
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Worker threads for parallel stages (default: all cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };
}
