using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Selection;

namespace FashionCore.Tests.Selection;

[Category("Dataset")]
public class HogSelectionTests
{
    [Test]
    public void Run_HogOrientationsGrid_HoistsHogAndEqualsCrossValidationOnPrecomputedFeatures()
    {
        Dataset train = TestData.FashionMnist.Train;
        const int N = 900;
        float[] pixels = train.ToFloatPixels()[..(N * 784)];
        int[] y = train.GetLabelsInt32()[..N];
        ReadOnlyMemory2D<float> x = new(pixels, N, 784);
        Pipeline pipeline = new([new("hog", new Hog(new HogOptions { Orientations = 8 }))], "nc", new NearestCentroid());
        ParameterGrid grid = new(new Dictionary<string, IReadOnlyList<object?>> { ["hog.orientations"] = [8, 9, 12] });
        CrossValidationOptions options = new() { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = 2 };

        GridSearchResult<PipelineModel> result = GridSearch.Run(pipeline, grid, x, y, options);

        Assert.That(result.PrecomputeTime, Is.GreaterThan(0), "HOG is stateless: computed once per orientation count");
        for (int c = 0; c < 3; c++)
        {
            Hog hog = (Hog)((Pipeline)GridSearch.Candidates(pipeline, grid)[c]).Transforms[0].Estimator;
            Assert.That((hog.Options.Orientations, hog.ImageHeight, hog.ImageWidth), Is.EqualTo(((int)grid[c][0].Value!, 28, 28)));

            // The same folds on HOG features computed up front and handed to the classifier directly.
            HogModel model = hog.Fit();
            float[] features = new float[N * model.OutputFeatureCount];
            model.Transform(x.Span, new Span2D<float>(features, N, model.OutputFeatureCount));
            CrossValidationResult direct = CrossValidation.Evaluate(new NearestCentroid(), new ReadOnlyMemory2D<float>(features, N, model.OutputFeatureCount), y, options);
            Assert.That(Enumerable.Range(0, 3).Select(f => result.CvResults.SplitTestScore(f, c)), Is.EqualTo(direct.TestScores.ToArray()), $"orientations {grid[c][0].Value}");
        }

        Assert.That(result.BestModel!.Transforms[0].OutputFeatureCount, Is.EqualTo(9 * (int)result.BestParameters[0].Value!));
    }
}
