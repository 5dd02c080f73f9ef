using System.CommandLine;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary>Options several study commands take besides the shared set: <c>--features</c> and <c>--range</c>.</summary>
internal static class StudyCommandOptions
{
    public static Option<string> Features() => new("--features")
    {
        Description = "Feature set: pixels, hog, pca or pca+hog (default pixels).",
        DefaultValueFactory = _ => "pixels",
    };

    /// <summary><c>--range</c> of the training rows; <paramref name="testSetWhole"/> says the test set stays whole, for the command that evaluates on it.</summary>
    public static Option<string?> TrainRange(bool testSetWhole = false) => new("--range")
    {
        Description = "Use training rows A..B-1 only (A:B, e.g. 0:6000; default all 60000)." + (testSetWhole ? " The test set is always whole." : ""),
    };

    public static FeatureKind ParseFeatures(string? text) =>
        (FeatureKind)StudyNames.Parse("--features", text ?? "pixels", StudyNames.Features);

    /// <summary>A short description of the settings actually used for <paramref name="kind"/>, for text output.</summary>
    public static string Describe(FeatureKind kind, StudySettings s)
    {
        string hog = $"HOG orientations={s.Hog.Orientations} cell={s.Hog.PixelsPerCell.Rows}x{s.Hog.PixelsPerCell.Columns} block={s.Hog.CellsPerBlock.Rows}x{s.Hog.CellsPerBlock.Columns} {StudyNames.Of(s.Hog.BlockNorm)}{(s.Hog.TransformSqrt ? " sqrt" : "")}";
        string pca = $"PCA {s.Components}";
        string scale = $"scale {StudyNames.Of(s.ScaleFor(kind))}";
        return kind switch
        {
            FeatureKind.Pixels => $"pixels ({scale})",
            FeatureKind.Hog => $"{hog} ({scale})",
            FeatureKind.Pca => $"{pca} ({scale})",
            _ => $"{pca} ({scale}) + {hog}",
        };
    }
}
