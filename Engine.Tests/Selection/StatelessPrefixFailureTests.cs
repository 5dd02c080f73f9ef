using CommunityToolkit.HighPerformance;
using FashionCore.Features.Hog;
using FashionCore.Selection;

namespace FashionCore.Tests.Selection;

/// <summary>
/// A stateless prefix (HOG here) is fitted once for all folds of its candidates; when that fails it fails every one of
/// those fits, and error_score applies to each of them as it does when sklearn fits the step per fold.
/// </summary>
public class StatelessPrefixFailureTests
{
    private const int Rows = 60;

    // 28×28 "images" in three classes; a Hog made for 32×32 images cannot transform them.
    private static (ReadOnlyMemory2D<float> X, int[] Y) Images()
    {
        float[] x = new float[Rows * 784];
        int[] y = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < 784; j++)
            {
                x[(i * 784) + j] = (((i * 31) + (j * (7 + y[i]))) % 256) / 255f;
            }
        }

        return (new ReadOnlyMemory2D<float>(x, Rows, 784), y);
    }

    private static Pipeline HogNearestCentroid(Hog hog) => new([new("hog", hog)], "nc", new NearestCentroid());

    private static Exception HogFailure()
    {
        (ReadOnlyMemory2D<float> x, _) = Images();
        return Assert.Catch(() => new Hog(null, 32, 32).Fit(x))!;
    }

    [Test]
    public void GridSearch_OneCandidatesPrefixFails_ScoresItsFoldsNaNAndGoesOn()
    {
        (ReadOnlyMemory2D<float> x, int[] y) = Images();
        ParameterGrid grid = new(new Dictionary<string, IReadOnlyList<object?>> { ["hog"] = [new Hog(null, 32, 32), new Hog()] });

        GridSearchResult<PipelineModel> result = GridSearch.Run(HogNearestCentroid(new Hog()), grid, x, y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = 2 });

        Assert.That(result.CvResults.MeanTestScore[0], Is.NaN);
        Assert.That(result.CvResults.MeanTestScore[1], Is.Not.NaN);
        Assert.That(result.BestIndex, Is.EqualTo(1));
        Assert.That(result.FitFailures.Select(f => (f.Candidate, f.Fold)), Is.EqualTo(new[] { (0, 0), (0, 1), (0, 2) }));
        Assert.That(Enumerable.Range(0, 3).Select(split => result.CvResults.FitTime(split, 0)), Has.All.GreaterThan(0), "fit_time: the prefix's time until its error");
        Assert.That(Enumerable.Range(0, 3).Select(split => result.CvResults.ScoreTime(split, 0)), Has.All.Zero, "score_time of a failed fit");
        Exception expected = HogFailure();
        Assert.That(result.FitFailures.Select(f => f.Exception.GetType()), Has.All.EqualTo(expected.GetType()));
        Assert.That(result.FitFailures.Select(f => f.Exception.Message), Has.All.EqualTo(expected.Message));
    }

    [Test]
    public void CrossValidation_PrefixFails_ThrowsAllFitsFailedWithThePrefixsException()
    {
        (ReadOnlyMemory2D<float> x, int[] y) = Images();

        ArgumentException e = Assert.Throws<ArgumentException>(() => CrossValidation.Evaluate(HogNearestCentroid(new Hog(null, 32, 32)), x, y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3) }))!;

        Assert.That(e.Message, Does.StartWith("All the 3 fits failed"));
        Assert.That(e.InnerException!.Message, Is.EqualTo(HogFailure().Message));
    }

    [Test]
    public void GridSearch_PrefixFailsWithErrorScoreNull_RaisesThePrefixsException()
    {
        (ReadOnlyMemory2D<float> x, int[] y) = Images();
        ParameterGrid grid = new(new Dictionary<string, IReadOnlyList<object?>> { ["hog"] = [new Hog(), new Hog(null, 32, 32)] });
        Exception expected = HogFailure();

        Exception e = Assert.Catch(() => GridSearch.Run(HogNearestCentroid(new Hog()), grid, x, y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), ErrorScore = null }))!;

        Assert.That(e.GetType(), Is.EqualTo(expected.GetType()));
        Assert.That(e.Message, Is.EqualTo(expected.Message));
    }
}
