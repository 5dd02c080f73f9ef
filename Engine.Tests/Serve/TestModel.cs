using CommunityToolkit.HighPerformance;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Persistence;
using FashionCore.Selection;

namespace FashionCore.Tests.Serve;

/// <summary>
/// A small real model for the predict/serve tests: x/255 → multinomial logistic regression (saga, max_iter=3) fitted
/// on the first 3 000 training images (about a second), saved once per test run to a temporary model file.
/// </summary>
public static class TestModel
{
    public const int TrainRows = 3000;

    private static readonly Lazy<(PipelineModel Model, string Path)> s_model = new(() =>
    {
        FashionCore.Data.Dataset train = TestData.FashionMnist.Train.Slice(0, TrainRows);
        var pipeline = new Pipeline(
            [new("pixels", new PixelScaler())],
            "logreg",
            new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 3, RandomState = 0 }));
        PipelineModel model = pipeline.Fit(new ReadOnlyMemory2D<float>(train.ToFloatPixels(), TrainRows, 784), train.GetLabelsInt32());
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fashioncore-test-model-{Environment.ProcessId}.fcm");
        ModelFile.Save(path, model);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return (model, path);
    });

    /// <summary>The fitted pipeline.</summary>
    public static PipelineModel Model => s_model.Value.Model;

    /// <summary>The model file.</summary>
    public static string Path => s_model.Value.Path;

    /// <summary>The engine's predicted labels for test images <paramref name="first"/>..<paramref name="first"/>+<paramref name="count"/>−1.</summary>
    public static int[] PredictTest(int first, int count)
    {
        FashionCore.Data.Dataset test = TestData.FashionMnist.Test.Slice(first, count);
        int[] labels = new int[count];
        Model.Predict(new ReadOnlySpan2D<float>(test.ToFloatPixels(), count, 784), labels);
        return labels;
    }
}
