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
    /// <exception cref="ArgumentException">Row and label counts differ, the splitter rejects the labels, or its folds do not
    /// cover exactly the rows of <paramref name="x"/> or number other than its <see cref="ICrossValidator.SplitCount"/>.</exception>
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
        return new CrossValidationResult(runner.Scores, runner.FitTimes, runner.ScoreTimes, runner.PrecomputeSeconds, runner.Failures, runner.ScoreFailures);
    }

    internal static Folds Split(ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CrossValidationOptions options)
    {
        _ = options.ResolveDegree();
        if (x.Height != y.Length)
        {
            ThrowHelper.ThrowArgument($"'x' has {x.Height} rows but 'y' has {y.Length} labels.", nameof(y));
        }

        ICrossValidator splitter = options.Splitter ?? new StratifiedKFold(5);
        Folds folds = splitter.Split(y.Span);
        CheckFolds(splitter, folds, x.Height, nameof(options));
        return folds;
    }

    // A custom splitter is user code: folds for the wrong number of samples would index past x or silently leave rows
    // out, and a fold count other than SplitCount would silently change what is averaged, so both are caught here.
    private static void CheckFolds(ICrossValidator splitter, Folds? folds, int rows, string paramName)
    {
        string name = splitter.GetType().Name;
        if (folds is null)
        {
            ThrowHelper.ThrowArgument($"The cross-validator {name} returned no folds.", paramName);
        }

        if (folds.SampleCount != rows)
        {
            ThrowHelper.ThrowArgument(
                $"The cross-validator {name} returned folds covering {folds.SampleCount} samples but 'x' has {rows} rows.",
                paramName);
        }

        if (folds.Count != splitter.SplitCount)
        {
            ThrowHelper.ThrowArgument(
                $"The cross-validator {name} returned {folds.Count} folds but its SplitCount is {splitter.SplitCount}.",
                paramName);
        }
    }
}
