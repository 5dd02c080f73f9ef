using System.Text.Json;
using System.Text.Json.Nodes;
using FashionCore.Metrics;

namespace FashionCore.Tools.Report;

/// <summary>report.json: every metric of a run, snake_case keys, with the study's value beside each reproduced one.</summary>
public static class ReportJson
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>The JSON text.</summary>
    /// <param name="result">The run.</param>
    /// <param name="files">Names of the files written next to report.json.</param>
    /// <returns>Indented JSON.</returns>
    public static string ToJson(StudyResult result, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(files);
        var root = new JsonObject
        {
            ["seed"] = result.Seed,
            ["threads"] = result.Threads,
            ["data_directory"] = result.DataDirectory,
            ["pca40_explained_variance_ratio"] = Array(result.Pca40ExplainedVarianceRatio),
            ["pca40_explained_variance"] = result.Pca40ExplainedVarianceRatio.Sum(),
            ["heads"] = new JsonObject
            {
                ["labels"] = Array(result.Heads.Labels),
                ["hog"] = new JsonArray([.. result.Heads.Hog.Select(r => (JsonNode)Array(r))]),
                ["pca"] = new JsonArray([.. result.Heads.Pca.Select(r => (JsonNode)Array(r))]),
            },
            ["study_head_matches"] = new JsonArray([.. result.HeadMatches.Select(m => (JsonNode)new JsonObject
            {
                ["study_row"] = m.StudyRow,
                ["study_label"] = m.StudyLabel,
                ["split"] = m.Split,
                ["index"] = m.Index,
                ["label"] = m.Label,
                ["hog_max_abs_diff"] = m.HogMaxDifference,
                ["pca_max_abs_diff"] = m.PcaMaxDifference,
            })]),
            ["classifiers"] = new JsonObject([.. result.Classifiers.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)Classifier(c)))]),
            ["grids"] = new JsonObject([.. result.Grids.Select(g => KeyValuePair.Create(g.Name, (JsonNode?)Grid(g)))]),
            ["noise_grids"] = new JsonArray([.. result.NoiseGrids.Select(g => (JsonNode)Grid(g))]),
            ["kmeans_elbow"] = new JsonObject
            {
                ["rows"] = result.Elbow.Rows,
                ["k"] = Array(result.Elbow.ClusterCounts),
                ["inertia"] = Array(result.Elbow.Inertia),
                ["n_iter"] = Array(result.Elbow.Iterations),
                ["knee"] = result.Elbow.Knee,
                ["seconds"] = Array(result.Elbow.Seconds),
            },
            ["kmeans5"] = new JsonObject
            {
                ["sizes"] = Array(result.Clusters.ClusterSizes),
                ["adjusted_rand_index"] = result.Clusters.AdjustedRandIndex,
                ["contingency"] = new JsonArray([.. result.Clusters.Contingency.Select(r => (JsonNode)Array(r))]),
                ["pca3_explained_variance_ratio"] = Array(result.Clusters.Pca3ExplainedVarianceRatio),
            },
            ["study"] = Study(),
            ["stages"] = new JsonObject([.. result.Stages.Select(s => KeyValuePair.Create(s.Name, (JsonNode?)JsonValue.Create(s.Seconds)))]),
            ["total_seconds"] = result.TotalSeconds,
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode)JsonValue.Create(f))]),
        };
        return root.ToJsonString(s_indented);
    }

    private static JsonObject Classifier(ClassifierResult c) => new()
    {
        ["title"] = c.Title,
        ["features"] = c.FeatureCount,
        ["max_iter"] = c.MaxIterations,
        ["train_accuracy"] = c.TrainAccuracy,
        ["test_accuracy"] = c.TestAccuracy,
        ["cv_folds"] = c.CvScores.Length,
        ["cv_scores"] = Array(c.CvScores),
        ["cv_mean"] = c.CvMean,
        ["n_iter"] = c.Iterations,
        ["converged"] = c.Converged,
        ["fit_seconds"] = c.FitSeconds,
        ["test_report"] = Report(c.TestReport),
        ["train_report"] = Report(c.TrainReport),
        ["test_confusion_matrix"] = Confusion(c.TestConfusion),
    };

    private static JsonObject Grid(GridResult g) => new()
    {
        ["params"] = new JsonArray([.. g.Candidates.Select(c => (JsonNode)JsonValue.Create(c))]),
        ["split_test_scores"] = new JsonArray([.. g.SplitScores.Select(s => (JsonNode)Array(s))]),
        ["mean_test_score"] = Array(g.MeanTestScore),
        ["std_test_score"] = Array(g.StdTestScore),
        ["rank_test_score"] = Array(g.RankTestScore),
        ["mean_fit_time"] = Array(g.MeanFitTime),
        ["best_index"] = g.BestIndex,
        ["best_params"] = g.Candidates[g.BestIndex],
        ["best_score"] = g.MeanTestScore[g.BestIndex],
    };

    private static JsonObject Report(ClassificationReport report) => new()
    {
        ["classes"] = new JsonArray([.. report.Classes.Select(c => (JsonNode)new JsonObject
        {
            ["label"] = c.Label,
            ["precision"] = c.Precision,
            ["recall"] = c.Recall,
            ["f1"] = c.F1,
            ["support"] = c.Support,
        })]),
        ["macro_avg"] = Average(report.MacroAverage),
        ["weighted_avg"] = Average(report.WeightedAverage),
        ["text"] = report.ToText(),
    };

    private static JsonObject Average(AverageMetrics a) => new()
    {
        ["precision"] = a.Precision,
        ["recall"] = a.Recall,
        ["f1"] = a.F1,
        ["support"] = a.Support,
    };

    private static JsonArray Confusion(ConfusionMatrix m) =>
        new([.. Enumerable.Range(0, m.Size).Select(i => (JsonNode)Array(m.Counts.Slice(i * m.Size, m.Size).ToArray()))]);

    private static JsonObject Study() => new()
    {
        ["pixels"] = new JsonObject { ["train_accuracy"] = StudyReference.PixelsTrain, ["test_accuracy"] = StudyReference.PixelsTest, ["cv_mean"] = StudyReference.PixelsCv5 },
        ["hog"] = new JsonObject { ["train_accuracy"] = StudyReference.HogTrain, ["test_accuracy"] = StudyReference.HogTest, ["cv_mean"] = StudyReference.HogCv6 },
        ["pca"] = new JsonObject { ["train_accuracy"] = StudyReference.PcaTrain, ["test_accuracy"] = StudyReference.PcaTest, ["cv_mean"] = StudyReference.PcaCv6 },
        ["mix"] = new JsonObject { ["train_accuracy"] = StudyReference.MixTrain, ["cv_mean"] = StudyReference.MixCv6 },
        ["solver_grid_best_score"] = StudyReference.SolverGridBest,
        ["multiclass_grid_best_score"] = StudyReference.MultiClassGridBest,
    };

    private static JsonArray Array<T>(IEnumerable<T> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
