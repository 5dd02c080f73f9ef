namespace FashionCore.Selection;

/// <summary>Options of <see cref="CrossValidation"/> and <see cref="GridSearch"/> (sklearn <c>cv</c>, <c>scoring</c>, <c>n_jobs</c>, <c>refit</c>).</summary>
public sealed record CrossValidationOptions
{
    /// <summary>The splitter (sklearn <c>cv</c>); default <see langword="null"/> = <c>StratifiedKFold(5)</c>, sklearn's
    /// choice for a classifier with binary/multiclass labels.</summary>
    public ICrossValidator? Splitter { get; init; }

    /// <summary>The score (sklearn <c>scoring</c>); default <see langword="null"/> = accuracy, the classifier's <c>score</c>.</summary>
    public Scorer? Scoring { get; init; }

    /// <summary>How many fits run at once (sklearn <c>n_jobs</c>); default −1 = <see cref="Environment.ProcessorCount"/>.
    /// Scores do not depend on it: every fit is independent and results are stored by (candidate, fold).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// The score given to a fit that throws (sklearn <c>error_score</c>); default NaN, sklearn's default: the other fits
    /// go on, the failure is listed in the result's <c>FitFailures</c> (sklearn warns), and a candidate with a failed fold
    /// gets a NaN mean and ranks last. <see langword="null"/> is sklearn's <c>'raise'</c>: the first failure stops the
    /// run and its exception propagates. When every fit fails the run throws either way (as sklearn does).
    /// Cancellation always propagates.
    /// </summary>
    public double? ErrorScore { get; init; } = double.NaN;

    /// <summary>Grid search only: fit the best candidate on all rows afterwards (sklearn <c>refit</c>, default <see langword="true"/>).</summary>
    public bool Refit { get; init; } = true;

    internal int ResolveDegree()
    {
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be -1 (all cores) or at least 1.");
        }

        return MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : MaxDegreeOfParallelism;
    }
}
