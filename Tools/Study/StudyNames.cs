using FashionCore.Features.Hog;
using FashionCore.Models.Linear;

namespace FashionCore.Tools.Study;

/// <summary>The CLI spellings of the study's choices (fixed by the issue, so scripts and docs can rely on them).</summary>
internal static class StudyNames
{
    public static readonly IReadOnlyList<string> Features = ["pixels", "hog", "pca", "pca+hog"];
    public static readonly IReadOnlyList<string> Scales = ["none", "x255", "standard", "minmax"];
    public static readonly IReadOnlyList<string> BlockNorms = ["L1", "L1-sqrt", "L2", "L2-Hys"];
    public static readonly IReadOnlyList<string> Solvers = ["saga", "sag", "newton-cg", "lbfgs"];
    public static readonly IReadOnlyList<string> MultiClasses = ["auto", "ovr", "multinomial"];
    public static readonly IReadOnlyList<string> Penalties = ["l2", "l1", "elasticnet", "none"];
    public static readonly IReadOnlyList<string> SampleOrders = ["with-replacement", "shuffled"];

    public static string Of(FeatureKind kind) => Features[(int)kind];

    public static string Of(ScaleKind scale) => Scales[(int)scale];

    public static string Of(HogBlockNorm norm) => BlockNorms[(int)norm];

    public static string Of(LogisticRegressionSolver solver) => Solvers[(int)solver];

    public static string Of(LogisticRegressionMultiClass multiClass) => MultiClasses[(int)multiClass];

    public static string Of(LogisticRegressionPenalty penalty) => Penalties[(int)penalty];

    public static string Of(LogisticRegressionSampleOrder order) => SampleOrders[(int)order];

    /// <summary>Index of <paramref name="value"/> in <paramref name="names"/> (case-insensitive), or a user error naming <paramref name="option"/>.</summary>
    public static int Parse(string option, string value, IReadOnlyList<string> names)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new OptionException(option, $"'{value}' is not one of {string.Join(", ", names)}.");
    }
}
