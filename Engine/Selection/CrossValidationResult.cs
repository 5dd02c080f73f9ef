using FashionCore.Numerics;

namespace FashionCore.Selection;

/// <summary>The outcome of <see cref="CrossValidation.Evaluate"/>: per-fold scores and times (sklearn <c>cross_validate</c>).</summary>
public sealed class CrossValidationResult
{
    private readonly double[] _scores;
    private readonly double[] _fitTimes;
    private readonly double[] _scoreTimes;

    internal CrossValidationResult(
        double[] scores, double[] fitTimes, double[] scoreTimes, double precomputeSeconds, IReadOnlyList<FitFailure>? fitFailures = null, IReadOnlyList<FitFailure>? scoreFailures = null)
    {
        _scores = scores;
        _fitTimes = fitTimes;
        _scoreTimes = scoreTimes;
        MeanScore = NumpySum.Mean(scores);
        StdScore = NumpySum.PopulationStd(scores, MeanScore);
        PrecomputeTime = precomputeSeconds;
        FitFailures = fitFailures ?? [];
        ScoreFailures = scoreFailures ?? [];
    }

    /// <summary>The folds whose fit threw and were scored <see cref="CrossValidationOptions.ErrorScore"/>; empty when all succeeded.</summary>
    public IReadOnlyList<FitFailure> FitFailures { get; }

    /// <summary>
    /// The folds whose fit succeeded but whose scoring (predict and score) threw, scored
    /// <see cref="CrossValidationOptions.ErrorScore"/> (sklearn's "Scoring failed" warning; not failed fits).
    /// </summary>
    public IReadOnlyList<FitFailure> ScoreFailures { get; }

    /// <summary>Test score of each fold, in fold order (sklearn <c>cross_val_score</c>).</summary>
    public ReadOnlySpan<double> TestScores => _scores;

    /// <summary>
    /// Fit seconds of each fold (sklearn <c>fit_time</c>; for a failed fit, the time until its error, and where a shared
    /// stateless prefix failed, that prefix's one fit on all rows).
    /// </summary>
    public ReadOnlySpan<double> FitTimes => _fitTimes;

    /// <summary>Predict-and-score seconds of each fold (sklearn <c>score_time</c>; 0 after a failed fit, the time until the error for a failed scoring).</summary>
    public ReadOnlySpan<double> ScoreTimes => _scoreTimes;

    /// <summary>Mean of <see cref="TestScores"/> (numpy's summation order).</summary>
    public double MeanScore { get; }

    /// <summary>Population standard deviation of <see cref="TestScores"/> (numpy <c>std</c>, ddof 0).</summary>
    public double StdScore { get; }

    /// <summary>Seconds spent once, before the folds, fitting and applying leading stateless pipeline steps (0 if none).</summary>
    public double PrecomputeTime { get; }
}
