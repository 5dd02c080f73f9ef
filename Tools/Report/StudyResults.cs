using FashionCore.Metrics;

namespace FashionCore.Tools.Report;

/// <summary>One logistic-regression experiment of the study: fit on the train rows, scored on train and test, cross-validated.</summary>
/// <param name="Name">Short key (<c>pixels</c>, <c>hog</c>, <c>pca</c>, <c>mix</c>).</param>
/// <param name="Title">Human-readable title.</param>
/// <param name="FeatureCount">Columns the model sees.</param>
/// <param name="MaxIterations">SAGA epochs allowed.</param>
/// <param name="TrainAccuracy">Accuracy on the 60 000 train rows.</param>
/// <param name="TestAccuracy">Accuracy on the 10 000 test rows.</param>
/// <param name="CvScores">Per-fold accuracies of the stratified k-fold cross-validation on the train rows.</param>
/// <param name="CvMean">Their mean.</param>
/// <param name="Iterations">Epochs run (sklearn <c>n_iter_</c>).</param>
/// <param name="Converged">Whether the tolerance was met before <paramref name="MaxIterations"/>.</param>
/// <param name="FitSeconds">Wall time of the single fit on all train rows (it runs alongside the cross-validation folds, so it is slower than alone).</param>
/// <param name="TestReport">Classification report on the test rows.</param>
/// <param name="TrainReport">Classification report on the train rows (the study printed one for PCA+HOG).</param>
/// <param name="TestConfusion">Test confusion matrix.</param>
public sealed record ClassifierResult(
    string Name,
    string Title,
    int FeatureCount,
    int MaxIterations,
    double TrainAccuracy,
    double TestAccuracy,
    double[] CvScores,
    double CvMean,
    int Iterations,
    bool Converged,
    double FitSeconds,
    ClassificationReport TestReport,
    ClassificationReport TrainReport,
    ConfusionMatrix TestConfusion);

/// <summary>One grid search's cv_results (sklearn's GridSearchCV layout).</summary>
/// <param name="Name">Short key (<c>solver_grid</c>, <c>multiclass_grid</c>).</param>
/// <param name="Candidates">Candidate labels in grid order, e.g. <c>C=10, solver=saga</c>.</param>
/// <param name="SplitScores">[candidate][fold] test accuracies.</param>
/// <param name="MeanTestScore">Mean over folds.</param>
/// <param name="StdTestScore">Population standard deviation over folds.</param>
/// <param name="RankTestScore">sklearn's rank (ties share the smallest rank).</param>
/// <param name="MeanFitTime">Mean fit seconds per candidate.</param>
/// <param name="BestIndex">Index of the best candidate (first in grid order among ties).</param>
public sealed record GridResult(
    string Name,
    string[] Candidates,
    double[][] SplitScores,
    double[] MeanTestScore,
    double[] StdTestScore,
    int[] RankTestScore,
    double[] MeanFitTime,
    int BestIndex);

/// <summary>The k-means elbow on the standardized 5-class subset.</summary>
/// <param name="Rows">Rows clustered.</param>
/// <param name="ClusterCounts">k values.</param>
/// <param name="Inertia">SSE per k.</param>
/// <param name="Iterations">Lloyd iterations of the best run per k.</param>
/// <param name="KneeIndex">Index of the knee in <paramref name="ClusterCounts"/> (−1 if none).</param>
/// <param name="Seconds">Wall time per k.</param>
public sealed record ElbowResult(int Rows, int[] ClusterCounts, double[] Inertia, int[] Iterations, int KneeIndex, double[] Seconds)
{
    /// <summary>The knee's k, or null.</summary>
    public int? Knee => KneeIndex >= 0 ? ClusterCounts[KneeIndex] : null;
}

/// <summary>How the 5-cluster k-means partition of the subset relates to the true labels, and the PCA-3 view of it.</summary>
/// <param name="Clusters">k.</param>
/// <param name="ClusterSizes">Rows per cluster.</param>
/// <param name="AdjustedRandIndex">ARI between clusters and true labels.</param>
/// <param name="Contingency">[cluster][label] counts (labels 0..4).</param>
/// <param name="Pca3ExplainedVarianceRatio">Explained variance ratio of the three components used for the scatter.</param>
public sealed record ClusterResult(int Clusters, int[] ClusterSizes, double AdjustedRandIndex, long[][] Contingency, double[] Pca3ExplainedVarianceRatio);

/// <summary>A row of the study's feature tables found among our train images.</summary>
/// <param name="StudyRow">Row of the study's table (its CSV order).</param>
/// <param name="StudyLabel">The label the study's pixel table gives that row.</param>
/// <param name="Split">Where the closest image is: <c>train</c> or <c>test</c> (official IDX splits).</param>
/// <param name="Index">Its index in that split (IDX order), closest by the 20 HOG values shown.</param>
/// <param name="Label">Its label.</param>
/// <param name="HogMaxDifference">Max |ours − study| over the 20 HOG values shown (printed with 6 decimals).</param>
/// <param name="PcaMaxDifference">Max |ours − study| over the first five PCA components.</param>
public sealed record HeadMatch(int StudyRow, int StudyLabel, string Split, int Index, int Label, double HogMaxDifference, double PcaMaxDifference);

/// <summary>Seconds spent in one stage of the run.</summary>
/// <param name="Name">Stage name.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record StageTime(string Name, double Seconds);

/// <summary>Every number of one report run.</summary>
public sealed class StudyResult
{
    /// <summary>The estimators' random state.</summary>
    public required int Seed { get; init; }

    /// <summary>Worker threads used.</summary>
    public required int Threads { get; init; }

    /// <summary>Where the data was read from.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Explained variance ratio of the 40 PCA components (standardized train pixels).</summary>
    public required double[] Pca40ExplainedVarianceRatio { get; init; }

    /// <summary>The first five train images (IDX order): label, then pixel/HOG/PCA heads.</summary>
    public required FeatureHeads Heads { get; init; }

    /// <summary>The study's table rows located among our train images.</summary>
    public required IReadOnlyList<HeadMatch> HeadMatches { get; init; }

    /// <summary>pixels, hog, pca, mix — in that order.</summary>
    public required IReadOnlyList<ClassifierResult> Classifiers { get; init; }

    /// <summary>The C × solver grid, then the C × multi_class grid.</summary>
    public required IReadOnlyList<GridResult> Grids { get; init; }

    /// <summary>Extra grid runs with other seeds (empty unless asked for), to show which winners are noise.</summary>
    public required IReadOnlyList<GridResult> NoiseGrids { get; init; }

    /// <summary>Seeds of <see cref="NoiseGrids"/> (two grids per seed).</summary>
    public required int[] NoiseSeeds { get; init; }

    /// <summary>The elbow curve.</summary>
    public required ElbowResult Elbow { get; init; }

    /// <summary>The 5-cluster partition vs the labels.</summary>
    public required ClusterResult Clusters { get; init; }

    /// <summary>Per-stage wall times, in run order.</summary>
    public required IReadOnlyList<StageTime> Stages { get; init; }

    /// <summary>Total wall time of the run (computing and writing).</summary>
    public double TotalSeconds { get; set; }

    /// <summary>The experiment with the given key.</summary>
    /// <param name="name">pixels, hog, pca or mix.</param>
    /// <returns>The result.</returns>
    public ClassifierResult Classifier(string name) => Classifiers.First(c => c.Name == name);
}

/// <summary>Heads of the feature tables for the first five train images.</summary>
/// <param name="Labels">Labels.</param>
/// <param name="Pixels">784 raw pixels each.</param>
/// <param name="Hog">72 HOG values each.</param>
/// <param name="Pca">40 PCA components each.</param>
public sealed record FeatureHeads(int[] Labels, float[][] Pixels, float[][] Hog, float[][] Pca);
