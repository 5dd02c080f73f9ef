using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Selection;

/// <summary>k-fold cross-validation of a classifier estimator (sklearn <c>cross_validate</c> / <c>cross_val_score</c>).</summary>
public static class CrossValidation
{
    /// <summary>Fits <paramref name="estimator"/> on each fold's training rows and scores it on the fold's test rows.</summary>
    /// <param name="estimator">Any classifier estimator, e.g. a <see cref="Pipeline"/>; fitted once per fold, never mutated.</param>
    /// <param name="x">n×d rows.</param>
    /// <param name="y">n labels.</param>
    /// <param name="options">Splitter (default <c>StratifiedKFold(5)</c>), scorer (default accuracy), degree of parallelism.</param>
    /// <param name="progress">Receives (folds done, folds) after each fold.</param>
    /// <param name="cancellationToken">Stops starting new folds and is passed to every fit.</param>
    /// <returns>Scores and times per fold.</returns>
    /// <exception cref="ArgumentException">Row and label counts differ, or the splitter rejects the labels.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <remarks>Leading stateless pipeline steps are applied once to all rows (see <see cref="IStatelessTransformerEstimator"/>).
    /// Scores are identical for every degree of parallelism.</remarks>
    public static CrossValidationResult Evaluate(
        IClassifierEstimator<IClassifier> estimator,
        ReadOnlyMemory2D<float> x,
        ReadOnlyMemory<int> y,
        CrossValidationOptions? options = null,
        IProgress<SearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        options ??= new CrossValidationOptions();
        Folds folds = Split(x, y, options);
        using FoldRunner runner = new([estimator], x, y, folds, options, progress);
        runner.Run(cancellationToken);
        return new CrossValidationResult(runner.Scores, runner.FitTimes, runner.ScoreTimes, runner.PrecomputeSeconds, runner.Failures);
    }

    internal static Folds Split(ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CrossValidationOptions options)
    {
        _ = options.ResolveDegree();
        if (x.Height != y.Length)
        {
            ThrowHelper.ThrowArgument($"'x' has {x.Height} rows but 'y' has {y.Length} labels.", nameof(y));
        }

        ICrossValidator splitter = options.Splitter ?? new StratifiedKFold(5);
        return splitter.Split(y.Span);
    }
}
