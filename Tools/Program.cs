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
        root.Subcommands.Add(ReportCommand.Create());
        return root.Parse(args).Invoke();
    }
}
