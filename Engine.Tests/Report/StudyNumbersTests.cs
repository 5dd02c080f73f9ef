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
/// <para>Each row makes one of three claims, each checked. <b>Agrees</b>: |ours − study| ≤ tolerance. <b>Study outside
/// sklearn</b>: sklearn's own range on the official data, widened by the tolerance, does not contain the study's value
/// (so no engine can be expected to hit it), and ours lies inside that widened range. <b>Study beyond every seed</b>: the
/// study's value lies outside sklearn's observed range (below or above every seed) but inside the widened one, and ours
/// misses it by more than the tolerance — the study's number is not reproduced, and sklearn does not reproduce it
/// either. The rows not claiming agreement are all four test accuracies and the pixel and PCA+HOG train accuracies: the
/// study's train tables contain official test images (see the report's head matches), so its train and test sets are not
/// the official split, and sklearn's own runs on the official split miss those values just as we do. The pixel train
/// accuracy is the third kind: the study's 0.8609 is 0.0022 below sklearn's lowest of ten seeds (0.8631, mean 0.8641,
/// σ 0.0006) and 0.0035 from ours (0.86443), just over the 0.003 floor. In every case ours must also lie in sklearn's
/// widened range — that is the engine's part. A change that moves a row into another kind fails the test, so the claim is
/// revisited rather than silently kept.</para>
/// <para>Not in the table: the PCA+HOG 6-fold CV mean (0.8300666666666667; six 300-epoch sklearn fits per seed were too
/// slow to measure on the shared machine), and the per-class report values (printed with 2 decimals). The spread file
/// holds seeds 0–9 (each sklearn seed took over 20 minutes on the shared 2-core host; measured 2026-11-25).</para>
/// </remarks>
[Category("Dataset")]
public class StudyNumbersTests
{
    private const double MinimumTolerance = 0.003;

    private enum Claim
    {
        Agrees,
        StudyOutsideSklearn,
        StudyBeyondEverySeed,
    }

    // metric (report.json path), the study's value, and which claim the row makes.
    private static readonly (string Metric, string SpreadKey, double Study, Claim Claim)[] s_study =
    [
        ("pixels.train_accuracy", "pixels_train", 0.8609, Claim.StudyBeyondEverySeed),
        ("pixels.test_accuracy", "pixels_test", 0.8571, Claim.StudyOutsideSklearn),
        ("pixels.cv_mean", "pixels_cv", 0.8535666666666668, Claim.Agrees),
        ("hog.train_accuracy", "hog_train", 0.81395, Claim.Agrees),
        ("hog.test_accuracy", "hog_test", 0.8144, Claim.StudyOutsideSklearn),
        ("hog.cv_mean", "hog_cv", 0.8107000000000001, Claim.Agrees),
        ("pca.train_accuracy", "pca_train", 0.8199666666666666, Claim.Agrees),
        ("pca.test_accuracy", "pca_test", 0.8208, Claim.StudyOutsideSklearn),
        ("pca.cv_mean", "pca_cv", 0.8182666666666666, Claim.Agrees),
        ("mix.train_accuracy", "mix_train", 0.8314833333333334, Claim.StudyOutsideSklearn),
    ];

    [Test]
    public void Report_DefaultSeed_StudyNumbersWithinSklearnSpread()
    {
        JsonElement report = ReportRun.Value.Json;
        JsonElement[] seeds = [.. GoldenJson.Load("report/spread.json").GetProperty("seeds").EnumerateArray()];
        Assert.That(seeds, Has.Length.GreaterThanOrEqualTo(10), "the claims below were settled on ten sklearn seeds");
        var failures = new List<string>();
        foreach ((string metric, string key, double study, Claim claim) in s_study)
        {
            string[] path = metric.Split('.');
            double ours = report.GetProperty("classifiers").GetProperty(path[0]).GetProperty(path[1]).GetDouble();
            double[] sklearn = [.. seeds.Where(s => s.TryGetProperty(key, out _)).Select(s => s.GetProperty(key).GetDouble())];
            Check(failures, metric, ours, study, sklearn, claim);
        }

        // Grid winners: the best mean over the saga candidates (the only ones that can win), sklearn seeds 0–4.
        JsonElement grids = GoldenJson.Load("selection/study_grids.json");
        double[] sklearnBest = [grids.GetProperty("solver_grid").GetProperty("mean_test_score").Doubles().Max(),
            .. grids.GetProperty("saga_seed_spread").EnumerateArray().Select(s => s.GetProperty("mean_test_score").Doubles().Max())];
        Check(failures, "solver_grid.best_score", report.GetProperty("grids").GetProperty("solver_grid").GetProperty("best_score").GetDouble(), 0.8376833333333334, sklearnBest, Claim.Agrees);
        Check(failures, "multiclass_grid.best_score", report.GetProperty("grids").GetProperty("multiclass_grid").GetProperty("best_score").GetDouble(), 0.8422000000000001, sklearnBest, Claim.Agrees);

        Assert.That(failures, Is.Empty);
    }

    private static void Check(List<string> failures, string metric, double ours, double study, double[] sklearn, Claim claim)
    {
        double tolerance = Tolerance(sklearn);
        double low = sklearn.Min() - tolerance, high = sklearn.Max() + tolerance;
        string context = $"{metric}: ours {ours:F5}, study {study:F5}, sklearn [{sklearn.Min():F5}, {sklearn.Max():F5}] over {sklearn.Length} seeds, tolerance {tolerance:F4}";
        TestContext.Out.WriteLine(context);
        if (ours < low || ours > high)
        {
            failures.Add($"{context}: ours is outside sklearn's widened range");
        }

        bool studyInWidened = study >= low && study <= high;
        bool studyInSeeds = study >= sklearn.Min() && study <= sklearn.Max();
        bool agrees = Math.Abs(ours - study) <= tolerance;
        switch (claim)
        {
            case Claim.Agrees when !agrees:
                failures.Add($"{context}: |ours − study| = {Math.Abs(ours - study):F5} exceeds the tolerance");
                break;
            case Claim.StudyOutsideSklearn when studyInWidened:
                failures.Add($"{context}: the study's value is within sklearn's widened range now, so the row should claim another kind");
                break;
            case Claim.StudyBeyondEverySeed when studyInSeeds || !studyInWidened || agrees:
                failures.Add($"{context}: the study's value is {(studyInSeeds ? "inside sklearn's seeds" : !studyInWidened ? "outside sklearn's widened range" : "within the tolerance of ours")} now, so the row should claim another kind");
                break;
        }
    }

    private static double Tolerance(double[] values)
    {
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return Math.Max(3 * Math.Sqrt(2) * sd, MinimumTolerance);
    }
}
