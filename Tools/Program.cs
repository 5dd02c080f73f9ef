using System.CommandLine;
using FashionCore.Tools.Commands;

namespace FashionCore.Tools;

/// <summary>The <c>fashion</c> command-line tool: the Fashion-MNIST study on the FashionCore engine.</summary>
public static class Program
{
    /// <summary>The commands in the order help lists them, each with the name its <c>Create</c> gives it.</summary>
    internal static IReadOnlyList<(string Name, Func<Command> Create)> Commands { get; } =
    [
        ("info", InfoCommand.Create),
        ("features", FeaturesCommand.Create),
        ("train", TrainCommand.Create),
        ("cv", CvCommand.Create),
        ("grid", GridCommand.Create),
        ("kmeans", KMeansCommand.Create),
        ("bench", BenchCommand.Create),
        ("predict", PredictCommand.Create),
        ("serve", ServeCommand.Create),
        ("report", ReportCommand.Create),
    ];

    public static int Main(string[] args)
    {
        var root = new RootCommand("FashionCore: the Fashion-MNIST study (HOG, PCA, logistic regression, k-means) on a SIMD engine.");

        // Building a command compiles all of its option set-up (the tool runs without tiered JIT, ~30 ms for the ten). When
        // the first argument names a command, parsing never leaves it, so only that one is built: its parse, help and
        // errors are the same as with its siblings beside it.
        string? named = args.Length > 0 && Commands.Any(c => c.Name == args[0]) ? args[0] : null;
        foreach ((string name, Func<Command> create) in Commands)
        {
            if (named is null || name == named)
            {
                root.Subcommands.Add(create());
            }
        }

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            // A usage mistake: one line on stderr and exit 2, like the commands' own errors (no help text on stdout).
            return UserError.Usage(parsed.Errors[0].Message);
        }

        return parsed.Invoke();
    }
}
