using System.Text.Json;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Report;

/// <summary>
/// The study's reported numbers, each checked against our seed-0 report with a tolerance taken from the spread
/// scikit-learn 1.2.1 itself shows when only the luck changes.
/// </summary>
/// <remarks>
/// <para>How the spread was measured: <c>Golden/report/make_study_spread.py</c> runs every experiment with sklearn on the
/// official IDX files for seeds s = 0..k−1, each with random_state=s and (for s &gt; 0) the train rows permuted by
/// numpy RandomState(s) — the study set no random_state and read a differently ordered copy, so both the SAGA sample
/// sequence and the stratified folds are random from its point of view. Results: <c>Golden/report/spread.json</c>. For
/// the grids' best scores the seeds 0–4 of <c>Golden/selection/study_grids.json</c> are used.</para>
/// <para>Tolerance per metric: 3·√2·σ, σ the sample standard deviation over the sklearn seeds (the difference of two
/// independent draws has standard deviation σ√2; 3 of those is a 99.7 % band), but at least 0.003, because σ from a
/// handful of seeds is itself uncertain and some metrics barely move (HOG converges: every seed gives test 0.8105).</para>
/// <para>Each row makes one of two claims, both checked. <b>Agrees</b>: |ours − study| ≤ tolerance. <b>Study outside
/// sklearn</b>: sklearn's own range on the official data, widened by the tolerance, does not contain the study's value
/// (so no engine can be expected to hit it), and ours lies inside that widened range. The rows of the second kind are
/// all four test accuracies and the pixel and PCA+HOG train accuracies: the study's train tables contain official test
/// images (see the report's head matches), so its train and test sets are not the official split, and sklearn's own
/// runs on the official split miss those values just as we do. In every case ours must also lie in sklearn's widened
/// range — that is the engine's part.</para>
/// <para>Not in the table: the PCA+HOG 6-fold CV mean (0.8300666666666667; six 300-epoch sklearn fits per seed were too
/// slow to measure on the shared machine), and the per-class report values (printed with 2 decimals). The spread file
/// holds seeds 0 and 1 only (each sklearn seed took over 20 minutes on the shared 2-core host); with more seeds σ would
/// be estimated better, which is what the 0.003 floor guards against.</para>
/// </remarks>
[Category("Dataset")]
public class StudyNumbersTests
{
    private const double MinimumTolerance = 0.003;

    // metric (report.json path), the study's value, and which claim the row makes.
    private static readonly (string Metric, string SpreadKey, double Study, bool StudyOutsideSklearn)[] s_study =
    [
        ("pixels.train_accuracy", "pixels_train", 0.8609, true),
        ("pixels.test_accuracy", "pixels_test", 0.8571, true),
        ("pixels.cv_mean", "pixels_cv", 0.8535666666666668, false),
        ("hog.train_accuracy", "hog_train", 0.81395, false),
        ("hog.test_accuracy", "hog_test", 0.8144, true),
        ("hog.cv_mean", "hog_cv", 0.8107000000000001, false),
        ("pca.train_accuracy", "pca_train", 0.8199666666666666, false),
        ("pca.test_accuracy", "pca_test", 0.8208, true),
        ("pca.cv_mean", "pca_cv", 0.8182666666666666, false),
        ("mix.train_accuracy", "mix_train", 0.8314833333333334, true),
    ];

    [Test]
    public void Report_DefaultSeed_StudyNumbersWithinSklearnSpread()
    {
        JsonElement report = ReportRun.Value.Json;
        JsonElement[] seeds = [.. GoldenJson.Load("report/spread.json").GetProperty("seeds").EnumerateArray()];
        Assert.That(seeds, Has.Length.GreaterThanOrEqualTo(2), "the spread needs at least two sklearn seeds");
        var failures = new List<string>();
        foreach ((string metric, string key, double study, bool outside) in s_study)
        {
            string[] path = metric.Split('.');
            double ours = report.GetProperty("classifiers").GetProperty(path[0]).GetProperty(path[1]).GetDouble();
            double[] sklearn = [.. seeds.Where(s => s.TryGetProperty(key, out _)).Select(s => s.GetProperty(key).GetDouble())];
            Check(failures, metric, ours, study, sklearn, outside);
        }

        // Grid winners: the best mean over the saga candidates (the only ones that can win), sklearn seeds 0–4.
        JsonElement grids = GoldenJson.Load("selection/study_grids.json");
        double[] sklearnBest = [grids.GetProperty("solver_grid").GetProperty("mean_test_score").Doubles().Max(),
            .. grids.GetProperty("saga_seed_spread").EnumerateArray().Select(s => s.GetProperty("mean_test_score").Doubles().Max())];
        Check(failures, "solver_grid.best_score", report.GetProperty("grids").GetProperty("solver_grid").GetProperty("best_score").GetDouble(), 0.8376833333333334, sklearnBest, false);
        Check(failures, "multiclass_grid.best_score", report.GetProperty("grids").GetProperty("multiclass_grid").GetProperty("best_score").GetDouble(), 0.8422000000000001, sklearnBest, false);

        Assert.That(failures, Is.Empty);
    }

    private static void Check(List<string> failures, string metric, double ours, double study, double[] sklearn, bool studyOutsideSklearn)
    {
        double tolerance = Tolerance(sklearn);
        double low = sklearn.Min() - tolerance, high = sklearn.Max() + tolerance;
        string context = $"{metric}: ours {ours:F5}, study {study:F5}, sklearn [{sklearn.Min():F5}, {sklearn.Max():F5}] over {sklearn.Length} seeds, tolerance {tolerance:F4}";
        TestContext.Out.WriteLine(context);
        if (ours < low || ours > high)
        {
            failures.Add($"{context}: ours is outside sklearn's widened range");
        }

        if (studyOutsideSklearn)
        {
            if (study >= low && study <= high)
            {
                failures.Add($"{context}: the study's value is within sklearn's widened range now, so the row should claim agreement");
            }
        }
        else if (Math.Abs(ours - study) > tolerance)
        {
            failures.Add($"{context}: |ours − study| = {Math.Abs(ours - study):F5} exceeds the tolerance");
        }
    }

    private static double Tolerance(double[] values)
    {
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return Math.Max(3 * Math.Sqrt(2) * sd, MinimumTolerance);
    }
}
