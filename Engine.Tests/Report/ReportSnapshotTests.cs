using System.Globalization;
using System.Text.Json;
using Snapshooter.NUnit;

namespace FashionCore.Tests.Report;

/// <summary>
/// Pins every number <c>fashion report</c> reports for seed 0 (accuracies, CV scores, cv_results, the SSE curve, the
/// cluster table). Any change fails until the snapshot in <c>__snapshots__/</c> is deliberately updated (delete it and
/// rerun locally, then review the diff). CI sets <c>SNAPSHOOTER_STRICT_MODE=true</c>, where a missing snapshot fails
/// instead of being written.
/// </summary>
/// <remarks>
/// Rounding: accuracies, CV scores and cv_results are ratios of prediction counts (and means of a fixed number of them in
/// fold order), so they are exact and kept to 12 decimals — one changed prediction moves them by ≥ 1/60 000 ≈ 1.7e-5.
/// k-means inertia and the PCA explained variance are float sums whose order depends on the SIMD width and blocking
/// (differences ~1e-12 relative between machines), so they are kept to 9 significant digits. The adjusted Rand index is a
/// function of the label counts only and kept to 12 decimals. Times are not pinned.
/// </remarks>
[Category("Dataset")]
public class ReportSnapshotTests
{
    [Test]
    public void Report_DefaultSeed_MetricsMatchSnapshot()
    {
        JsonElement j = ReportRun.Value.Json;
        JsonElement classifiers = j.GetProperty("classifiers");
        JsonElement elbow = j.GetProperty("kmeans_elbow");
        JsonElement kmeans5 = j.GetProperty("kmeans5");
        var snapshot = new
        {
            seed = j.GetProperty("seed").GetInt32(),
            classifiers = new[] { "pixels", "hog", "pca", "mix" }.ToDictionary(n => n, n => Classifier(classifiers.GetProperty(n))),
            grids = new[] { "solver_grid", "multiclass_grid" }.ToDictionary(n => n, n => Grid(j.GetProperty("grids").GetProperty(n))),
            kmeans_elbow = new
            {
                rows = elbow.GetProperty("rows").GetInt32(),
                inertia = elbow.GetProperty("inertia").EnumerateArray().Select(e => Significant(e.GetDouble(), 9)).ToArray(),
                n_iter = elbow.GetProperty("n_iter").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                knee = elbow.GetProperty("knee").GetInt32(),
            },
            kmeans5 = new
            {
                sizes = kmeans5.GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                adjusted_rand_index = Exact(kmeans5.GetProperty("adjusted_rand_index").GetDouble()),
                contingency = kmeans5.GetProperty("contingency").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToArray(),
            },
            pca40_explained_variance = Significant(j.GetProperty("pca40_explained_variance").GetDouble(), 9),
            study_rows_found_at = j.GetProperty("study_head_matches").EnumerateArray().Select(m => $"{m.GetProperty("split").GetString()} {m.GetProperty("index").GetInt32()}").ToArray(),
        };

        Snapshot.Match(snapshot);
    }

    private static object Classifier(JsonElement c) => new
    {
        train_accuracy = Exact(c.GetProperty("train_accuracy").GetDouble()),
        test_accuracy = Exact(c.GetProperty("test_accuracy").GetDouble()),
        cv_scores = c.GetProperty("cv_scores").EnumerateArray().Select(e => Exact(e.GetDouble())).ToArray(),
        cv_mean = Exact(c.GetProperty("cv_mean").GetDouble()),
        n_iter = c.GetProperty("n_iter").GetInt32(),
        converged = c.GetProperty("converged").GetBoolean(),
        test_confusion_diagonal = c.GetProperty("test_confusion_matrix").EnumerateArray().Select((r, i) => r[i].GetInt64()).ToArray(),
    };

    private static object Grid(JsonElement g) => new
    {
        @params = g.GetProperty("params").EnumerateArray().Select(e => e.GetString()).ToArray(),
        split_test_scores = g.GetProperty("split_test_scores").EnumerateArray().Select(r => r.EnumerateArray().Select(e => Exact(e.GetDouble())).ToArray()).ToArray(),
        mean_test_score = g.GetProperty("mean_test_score").EnumerateArray().Select(e => Exact(e.GetDouble())).ToArray(),
        rank_test_score = g.GetProperty("rank_test_score").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
        best_params = g.GetProperty("best_params").GetString(),
    };

    private static string Exact(double value) => value.ToString("F12", CultureInfo.InvariantCulture);

    private static string Significant(double value, int digits) => value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
