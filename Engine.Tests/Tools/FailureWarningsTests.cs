using FashionCore.Selection;
using FashionCore.Tools.Commands;

namespace FashionCore.Tests.Tools;

/// <summary>
/// The one-line warnings of <c>cv</c> and <c>grid</c> for fits and scorings that failed and were scored NaN (sklearn's
/// FitFailedWarning and its "Scoring failed" warning), and silence when nothing failed.
/// </summary>
public class FailureWarningsTests
{
    private static readonly FitFailure[] s_two = [new(1, 0, new InvalidOperationException("boom")), new(2, 1, new InvalidOperationException("again"))];

    [Test]
    public void WarnFitFailures_TwoFailedFits_OneLineNamingCountAndFirst()
    {
        string stderr = ToolRunner.Stderr(() => CvCommand.WarnFitFailures(s_two, 9));

        Assert.That(stderr, Is.EqualTo($"fashion: warning: 2 of 9 fits failed and were scored NaN (sklearn's error_score=nan); the first (candidate 1, fold 0): boom{Environment.NewLine}"));
    }

    [Test]
    public void WarnScoreFailures_TwoFailedScorings_OneLineNamingCountAndFirst()
    {
        string stderr = ToolRunner.Stderr(() => CvCommand.WarnScoreFailures(s_two, 9));

        Assert.That(stderr, Is.EqualTo($"fashion: warning: the scoring of 2 of 9 fits failed and was set to NaN (sklearn's error_score=nan); the first (candidate 1, fold 0): boom{Environment.NewLine}"));
    }

    [Test]
    public void Warnings_NothingFailed_WriteNothing()
    {
        string stderr = ToolRunner.Stderr(() =>
        {
            CvCommand.WarnFitFailures([], 9);
            CvCommand.WarnScoreFailures([], 9);
        });

        Assert.That(stderr, Is.Empty);
    }
}
