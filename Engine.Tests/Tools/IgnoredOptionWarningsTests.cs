using FashionCore.Models.Linear;
using FashionCore.Selection;
using FashionCore.Tools.Commands;
using FashionCore.Tools.Study;

namespace FashionCore.Tests.Tools;

/// <summary>
/// sklearn's UserWarnings for logistic-regression options a fit ignores (l1_ratio without the elastic-net penalty, C
/// with no penalty), as <c>train</c>, <c>cv</c> and <c>grid</c> print them: one stderr line each, silence otherwise.
/// </summary>
public class IgnoredOptionWarningsTests
{
    [Test]
    public void WarnIgnored_L1RatioAndCWithNoPenalty_OneLineEachInTheToolsOptionNames()
    {
        string stderr = ToolRunner.Stderr(() => StudyOptionSet.WarnIgnored(new() { Penalty = LogisticRegressionPenalty.None, C = 2, L1Ratio = 0.5 }));

        string nl = Environment.NewLine;
        Assert.That(stderr, Is.EqualTo(
            $"fashion: warning: --l1-ratio is ignored with --penalty none: it is used only with --penalty elasticnet (sklearn warns likewise).{nl}"
            + $"fashion: warning: --C is ignored with --penalty none (sklearn warns likewise).{nl}"));
    }

    [Test]
    public void WarnIgnored_NothingIgnored_WritesNothing()
    {
        string stderr = ToolRunner.Stderr(() =>
        {
            StudyOptionSet.WarnIgnored(new());
            StudyOptionSet.WarnIgnored(new() { Penalty = LogisticRegressionPenalty.ElasticNet, L1Ratio = 0.5, C = 10 });
            StudyOptionSet.WarnIgnored(new() { Penalty = LogisticRegressionPenalty.None, C = 1 });
        });

        Assert.That(stderr, Is.Empty);
    }

    [Test]
    public void IgnoredWarnings_Grid_CountsTheCandidatesAndNamesTheFirst()
    {
        var settings = new StudySettings { LogisticRegression = new() { RandomState = 0, L1Ratio = 0.5 } };
        Pipeline pipeline = FeaturePipelines.Classifier(FeatureKind.Pixels, settings);
        IReadOnlyList<string> ignored = GridCommand.ParseGrid(pipeline, ["penalty=l2,elasticnet,none", "C=1,2"]).IgnoredWarnings;

        Assert.That(ignored, Is.EqualTo(new[]
        {
            "fashion: warning: l1_ratio is ignored in 4 of 6 candidates, those whose penalty is not elasticnet (the first: C=1, penalty=l2; sklearn warns at each of their fits).",
            "fashion: warning: C is ignored in 1 of 6 candidates, those with penalty=none and C ≠ 1 (the first: C=2, penalty=none; sklearn warns at each of their fits).",
        }));
    }

    [Test]
    public void IgnoredWarnings_GridWithoutIgnoredOptions_Empty()
    {
        Pipeline pipeline = FeaturePipelines.Classifier(FeatureKind.Pixels, new StudySettings());
        IReadOnlyList<string> ignored = GridCommand.ParseGrid(pipeline, ["solver=saga,newton-cg", "C=1,10"]).IgnoredWarnings;

        Assert.That(ignored, Is.Empty);
    }

    // The commands print the lines before loading any data: a bad data directory still fails after the warning.
    [TestCase("train")]
    [TestCase("cv")]
    public void Command_IgnoredOption_WarnsBeforeLoadingData(string command)
    {
        string missing = Path.Combine(Path.GetTempPath(), $"fashioncore-missing-{Guid.NewGuid():N}");
        (int code, _, string stderr) = ToolRunner.Run(command, "--penalty", "none", "--C", "5", "--no-download", "--data", missing);

        Assert.That(code, Is.Not.Zero);
        Assert.That(stderr, Does.StartWith($"fashion: warning: --C is ignored with --penalty none (sklearn warns likewise).{Environment.NewLine}"));
    }

    [Test]
    public void Grid_IgnoredOption_WarnsBeforeLoadingData()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"fashioncore-missing-{Guid.NewGuid():N}");
        (int code, _, string stderr) = ToolRunner.Run("grid", "--l1-ratio", "0.5", "--grid", "C=1,2", "--no-download", "--data", missing);

        Assert.That(code, Is.Not.Zero);
        Assert.That(stderr, Does.StartWith("fashion: warning: l1_ratio is ignored in 2 of 2 candidates, those whose penalty is not elasticnet (the first: C=1;"));
    }
}
