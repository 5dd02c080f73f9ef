using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Selection;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Selection;

/// <summary>
/// The study's two grid searches (x/255 → LogisticRegression(max_iter=1), 3 stratified folds, random_state=0) against
/// sklearn 1.2.1's own GridSearchCV (golden from make_study_grids_golden.py).
/// </summary>
/// <remarks>
/// SAGA replays sklearn's sampler and updates exactly, so saga candidates (multinomial and one-vs-rest) must give
/// sklearn's split scores exactly. newton-cg takes the same single Newton step (its Wolfe line search is not scipy's,
/// but both accept step 1 here) and gives sklearn's scores exactly on all 9 of its splits (AVX-512); 1e-4 (two of
/// 20 000 test rows) is allowed for other vector widths, whose summation order could flip a borderline prediction.
/// At max_iter=1 the saga candidates differ by less than 0.001, so which C "wins" is sampling noise: sklearn here with
/// random_state=0 picks C=0.1; random_state 1–4 move the means between 0.8356 and 0.8454 and the best C between 0.1 and
/// 10 (golden saga_seed_spread), while the study reported C=100 and C=10. So the test pins sklearn's own cv_results
/// and the study's qualitative findings (saga ≫ newton-cg; multinomial ≥ ovr), not the study's winner.
/// </remarks>
[Category("Dataset")]
public class StudyGridTests
{
    private const double NewtonCgTolerance = 1e-4;

    private static readonly Lazy<(ReadOnlyMemory2D<float> X, int[] Y)> s_pixels = new(() =>
    {
        Dataset train = TestData.FashionMnist.Train;
        return (new ReadOnlyMemory2D<float>(train.ToFloatPixels(), train.Count, train.PixelCount), train.GetLabelsInt32());
    });

    [Test]
    public void Run_StudySolverGrid_SagaEqualsSklearnAndBeatsNewtonCg()
    {
        JsonElement golden = GoldenJson.Load("selection/study_grids.json").GetProperty("solver_grid");
        GridSearchResult<PipelineModel> result = Run(
            new LogisticRegressionOptions { MaxIterations = 1, RandomState = 0 },
            "logreg.solver",
            ["newton-cg", "saga"]);

        AssertMatchesSklearn(result.CvResults, golden, isExact: k => k % 2 == 1);
        for (int k = 0; k < 6; k += 2)
        {
            Assert.That(result.CvResults.MeanTestScore[k + 1] - result.CvResults.MeanTestScore[k], Is.GreaterThan(0.15), "saga ≫ newton-cg at max_iter=1");
        }

        Assert.That(result.BestIndex, Is.EqualTo(golden.GetProperty("best_index").GetInt32()));
    }

    [Test]
    public void Run_StudyMultiClassGrid_EqualsSklearnAndMultinomialBeatsOvr()
    {
        JsonElement golden = GoldenJson.Load("selection/study_grids.json").GetProperty("multiclass_grid");
        GridSearchResult<PipelineModel> result = Run(
            new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 1, RandomState = 0 },
            "logreg.multi_class",
            ["multinomial", "ovr"]);

        AssertMatchesSklearn(result.CvResults, golden, isExact: _ => true);
        for (int k = 0; k < 6; k += 2)
        {
            Assert.That(result.CvResults.MeanTestScore[k], Is.GreaterThanOrEqualTo(result.CvResults.MeanTestScore[k + 1]), "multinomial ≥ ovr");
        }

        Assert.That(result.BestIndex, Is.EqualTo(golden.GetProperty("best_index").GetInt32()));
    }

    private static GridSearchResult<PipelineModel> Run(LogisticRegressionOptions options, string key, object?[] values)
    {
        (ReadOnlyMemory2D<float> x, int[] y) = s_pixels.Value;
        var pipeline = new Pipeline([new("pixels", new PixelScaler())], "logreg", new LogisticRegression(options));
        var grid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["logreg.C"] = [0.1, 10.0, 100.0],
            [key] = values,
        });
        return GridSearch.Run(pipeline, grid, x, y, new CrossValidationOptions { Splitter = new StratifiedKFold(3), Refit = false });
    }

    private static void AssertMatchesSklearn(CvResults results, JsonElement golden, Func<int, bool> isExact)
    {
        JsonElement[] splits = [.. golden.GetProperty("split_scores").EnumerateArray()];
        Assert.That(results.CandidateCount, Is.EqualTo(splits.Length));
        for (int k = 0; k < splits.Length; k++)
        {
            double[] expected = splits[k].Doubles();
            double[] actual = [.. Enumerable.Range(0, 3).Select(f => results.SplitTestScore(f, k))];
            if (isExact(k))
            {
                Assert.That(actual, Is.EqualTo(expected), $"candidate {k} ({results.Parameters[k]})");
            }
            else
            {
                Assert.That(actual, Is.EqualTo(expected).Within(NewtonCgTolerance), $"candidate {k} ({results.Parameters[k]})");
            }
        }

        Assert.That(results.RankTestScore.ToArray(), Is.EqualTo(golden.GetProperty("rank_test_score").Ints()));
    }
}
