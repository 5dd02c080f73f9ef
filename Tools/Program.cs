using System.CommandLine;
using FashionCore.Tools.Commands;

namespace FashionCore.Tools;

/// <summary>The <c>fashion</c> command-line tool: the Fashion-MNIST study on the FashionCore engine.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("FashionCore: the Fashion-MNIST study (HOG, PCA, logistic regression, k-means) on a SIMD engine.");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(CvCommand.Create());
        root.Subcommands.Add(GridCommand.Create());
        root.Subcommands.Add(KMeansCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            // A usage mistake: one line on stderr and exit 2, like the commands' own errors (no help text on stdout).
            return UserError.Usage(parsed.Errors[0].Message);
        }

        return parsed.Invoke();
    }
}
