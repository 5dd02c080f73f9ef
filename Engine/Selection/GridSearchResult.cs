using FashionCore.Abstractions;

namespace FashionCore.Selection;

/// <summary>The outcome of <see cref="GridSearch.Run{TModel}"/> (sklearn <c>GridSearchCV</c>'s fitted attributes).</summary>
/// <typeparam name="TModel">The fitted model type of the searched estimator.</typeparam>
public sealed class GridSearchResult<TModel>
    where TModel : class, IClassifier
{
    internal GridSearchResult(
        CvResults cvResults, TModel? bestModel, double refitTime, double precomputeTime, IReadOnlyList<FitFailure>? fitFailures = null, IReadOnlyList<FitFailure>? scoreFailures = null)
    {
        CvResults = cvResults;
        BestModel = bestModel;
        RefitTime = refitTime;
        PrecomputeTime = precomputeTime;
        FitFailures = fitFailures ?? [];
        ScoreFailures = scoreFailures ?? [];
        ReadOnlySpan<int> rank = cvResults.RankTestScore;
        int best = 0;
        for (int i = 1; i < rank.Length; i++)
        {
            if (rank[i] < rank[best])
            {
                best = i;
            }
        }

        BestIndex = best;
    }

    /// <summary>The fits that threw and were scored <see cref="CrossValidationOptions.ErrorScore"/> (sklearn warns about them); empty when all succeeded.</summary>
    public IReadOnlyList<FitFailure> FitFailures { get; }

    /// <summary>
    /// The fits that succeeded but whose scoring (predict and score) threw, scored
    /// <see cref="CrossValidationOptions.ErrorScore"/> (sklearn's "Scoring failed" warning; not failed fits).
    /// </summary>
    public IReadOnlyList<FitFailure> ScoreFailures { get; }

    /// <summary>The full table (sklearn <c>cv_results_</c>).</summary>
    public CvResults CvResults { get; }

    /// <summary>Index of the best candidate: the first in grid order among those ranked 1 (sklearn <c>best_index_</c>).</summary>
    public int BestIndex { get; }

    /// <summary>The best candidate's parameters (sklearn <c>best_params_</c>).</summary>
    public ParameterSet BestParameters => CvResults.Parameters[BestIndex];

    /// <summary>The best candidate's mean test score (sklearn <c>best_score_</c>).</summary>
    public double BestScore => CvResults.MeanTestScore[BestIndex];

    /// <summary>The best candidate refitted on all rows (sklearn <c>best_estimator_</c>); <see langword="null"/> when refit is off.</summary>
    public TModel? BestModel { get; }

    /// <summary>Seconds of the refit (sklearn <c>refit_time_</c>); 0 when refit is off.</summary>
    public double RefitTime { get; }

    /// <summary>Seconds spent once fitting and applying leading stateless pipeline steps shared by the candidates.</summary>
    public double PrecomputeTime { get; }
}
