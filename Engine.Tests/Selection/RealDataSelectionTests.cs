using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Scaling;
using FashionCore.Metrics;
using FashionCore.Selection;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Selection;

[Category("Dataset")]
public class RealDataSelectionTests
{
    // One full 60 000-row cross-validation and one train→test fit. The sklearn side (make_selection_golden.py) runs
    // Pipeline([x/255 as one float32 division, NearestCentroid()]) in float64; the test NearestCentroid computes exact
    // squared distances in double while sklearn uses ‖x‖²−2x·c+‖c‖², so only a near-tie closer than ~1e-13 relative
    // could flip a prediction: none does, and scores/reports are compared exactly.
    [Test]
    public void Evaluate_PixelsNearestCentroidThreeFolds_EqualsSklearnAndReportMatches()
    {
        JsonElement golden = GoldenJson.Load("selection/selection_golden.json").GetProperty("real");
        Dataset train = TestData.FashionMnist.Train;
        Dataset test = TestData.FashionMnist.Test;
        ReadOnlyMemory2D<float> x = new(train.ToFloatPixels(), train.Count, 784);
        int[] y = train.GetLabelsInt32();
        Pipeline pipeline = new([new("pixels", new PixelScaler())], "nc", new NearestCentroid());

        CrossValidationResult cv = CrossValidation.Evaluate(pipeline, x, y, new CrossValidationOptions { Splitter = new StratifiedKFold(3) });

        Assert.That(cv.TestScores.ToArray(), Is.EqualTo(golden.GetProperty("cv3_scores").Doubles()));
        Assert.That(cv.PrecomputeTime, Is.GreaterThan(0), "x/255 is stateless: applied once, before the folds");

        PipelineModel model = pipeline.Fit(x, y);
        int[] predicted = new int[test.Count];
        model.Predict(new ReadOnlySpan2D<float>(test.ToFloatPixels(), test.Count, 784), predicted);
        int[] truth = test.GetLabelsInt32();
        ClassificationReport report = ClassificationReport.Compute(truth, predicted, [.. train.ClassNames]);

        Assert.That(report.ToText(), Is.EqualTo(golden.GetProperty("test_report").GetString()));
        Assert.That(ConfusionMatrix.Compute(truth, predicted).Counts.ToArray().Select(c => (int)c), Is.EqualTo(golden.GetProperty("test_confusion").Ints()));
    }
}
