using System.Diagnostics;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;

namespace FashionCore.Selection;

/// <summary>
/// Exhaustive search over option values with cross-validation — scikit-learn 1.2.1's <c>GridSearchCV</c>: same
/// candidate order, same splits for every candidate, the same <c>cv_results_</c> numbers, best index and refit.
/// </summary>
/// <remarks>
/// Grid keys are option paths as understood by <see cref="EstimatorOptions"/> (<c>logreg.C</c>, <c>logreg__max_iter</c>,
/// <c>pca.components</c>). Every candidate estimator is built before any fit, so an unknown option, a value of the wrong
/// type, a value the estimator's validation rejects or an empty value list throws an <see cref="ArgumentException"/>
/// before anything runs. Fits run in parallel (candidates × folds, bounded by
/// <see cref="CrossValidationOptions.MaxDegreeOfParallelism"/>) with identical scores for any degree. A fit that throws
/// is scored <see cref="CrossValidationOptions.ErrorScore"/> (default NaN, as sklearn's default <c>error_score=np.nan</c>)
/// and listed in <see cref="GridSearchResult{TModel}.FitFailures"/>; set it to <see langword="null"/> for sklearn's
/// <c>'raise'</c>. If every fit fails the search throws.
/// </remarks>
public static class GridSearch
{
    /// <summary>Runs the search.</summary>
    /// <typeparam name="TModel">The fitted model type of <paramref name="estimator"/> (e.g. <see cref="PipelineModel"/>).</typeparam>
    /// <param name="estimator">The base estimator; candidates are copies with the grid's options set.</param>
    /// <param name="grid">The candidates (see <see cref="ParameterGrid"/>).</param>
    /// <param name="x">n×d rows.</param>
    /// <param name="y">n labels.</param>
    /// <param name="options">Splitter (default <c>StratifiedKFold(5)</c>), scorer (default accuracy), parallelism, refit.</param>
    /// <param name="progress">Receives (fits done, candidates × folds) after each fit.</param>
    /// <param name="cancellationToken">Stops starting new fits and is passed to every fit.</param>
    /// <returns>cv_results, best index/params/score and the refitted best model.</returns>
    /// <exception cref="ArgumentException">A bad grid (see remarks), row/label counts differ, the splitter rejects the labels,
    /// or its folds do not cover exactly the rows of <paramref name="x"/> or number other than its <see cref="ICrossValidator.SplitCount"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static GridSearchResult<TModel> Run<TModel>(
        IClassifierEstimator<TModel> estimator,
        ParameterGrid grid,
        ReadOnlyMemory2D<float> x,
        ReadOnlyMemory<int> y,
        CrossValidationOptions? options = null,
        IProgress<SearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where TModel : class, IClassifier
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(grid);
        options ??= new CrossValidationOptions();
        IClassifierEstimator<IClassifier>[] candidates = BuildCandidates(estimator, grid);
        Folds folds = CrossValidation.Split(x, y, options);
        using FoldRunner runner = new(candidates, x, y, folds, options, progress);
        runner.Run(cancellationToken);
        CvResults results = new(grid, folds.Count, runner.Scores, runner.FitTimes, runner.ScoreTimes);
        GridSearchResult<TModel> unrefitted = new(results, null, 0, runner.PrecomputeSeconds, runner.Failures, runner.ScoreFailures);
        if (!options.Refit)
        {
            return unrefitted;
        }

        long start = Stopwatch.GetTimestamp();
        IClassifier best = runner.Refit(unrefitted.BestIndex, cancellationToken);
        double refitSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new GridSearchResult<TModel>(results, (TModel)best, refitSeconds, runner.PrecomputeSeconds, runner.Failures, runner.ScoreFailures);
    }

    /// <summary>Builds every candidate estimator (validating the grid) without fitting anything.</summary>
    /// <typeparam name="TModel">The fitted model type.</typeparam>
    /// <param name="estimator">The base estimator.</param>
    /// <param name="grid">The grid.</param>
    /// <returns>One estimator per candidate, in grid order.</returns>
    /// <exception cref="ArgumentException">Unknown option, wrong value type, or a value the estimator rejects; the message names the candidate.</exception>
    public static IClassifierEstimator<TModel>[] Candidates<TModel>(IClassifierEstimator<TModel> estimator, ParameterGrid grid)
        where TModel : class, IClassifier
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(grid);
        IClassifierEstimator<TModel>[] result = new IClassifierEstimator<TModel>[grid.Count];
        for (int c = 0; c < grid.Count; c++)
        {
            try
            {
                result[c] = EstimatorOptions.With(estimator, grid[c]);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Invalid grid candidate {c} {grid[c]}: {e.Message}", nameof(grid), e);
            }
        }

        return result;
    }

    private static IClassifierEstimator<IClassifier>[] BuildCandidates<TModel>(IClassifierEstimator<TModel> estimator, ParameterGrid grid)
        where TModel : class, IClassifier => [.. Candidates(estimator, grid)];
}
