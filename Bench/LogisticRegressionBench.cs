using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Models.Linear;

namespace FashionCore.Bench;

/// <summary>
/// One fit of each solver on the 60 000 Fashion-MNIST training rows, as the study runs them: pixels/255 (784 features,
/// ~50% zeros) or HOG with 8 orientations (72 dense features, the report's small-d case). Peer for pixels:
/// <c>/usr/bin/python3 /work/shared/peer/stages_sklearn.py 1 saga3_pixels</c> (LogisticRegression(solver='saga',
/// max_iter=3, random_state=0)). The global setup prints the test accuracy each solver reaches and the samples per fit
/// (60 000 × Epochs), so samples/s = that / the mean time.
/// </summary>
[MemoryDiagnoser]
public class LogisticRegressionBench
{
    private float[] _train = [];
    private int[] _labels = [];
    private int _width;

    /// <summary>Number of epochs / iterations (max_iter; tol=0 so all run).</summary>
    [Params(1, 3)]
    public int Epochs { get; set; }

    /// <summary>Feature set: "pixels" (784, x/255) or "hog72" (HOG, 8 orientations).</summary>
    [Params("pixels", "hog72")]
    public string Features { get; set; } = "pixels";

    [GlobalSetup]
    public void Setup()
    {
        FashionMnistData data = FashionMnist.Load();
        (_train, _width) = Prepare(data.Train);
        _labels = data.Train.GetLabelsInt32();
        (float[] test, _) = Prepare(data.Test);
        var testX = new ReadOnlySpan2D<float>(test, data.Test.Count, _width);
        int[] testLabels = data.Test.GetLabelsInt32();
        foreach ((string name, Func<LogisticRegressionModel> fit) in new (string, Func<LogisticRegressionModel>)[]
        {
            ("saga", SagaMultinomial), ("sag", SagMultinomial), ("saga ovr", SagaOvr), ("newton-cg", NewtonCg), ("lbfgs", Lbfgs),
        })
        {
            Console.WriteLine($"// {name}, {Features}, {Epochs} epoch(s)/iteration(s): test accuracy {fit().Score(testX, testLabels):F4}, {60000 * Epochs} samples per fit");
        }
    }

    [Benchmark(Baseline = true)]
    public LogisticRegressionModel SagaMultinomial() => Fit(new() { MaxIterations = Epochs, RandomState = 0, Tolerance = 0 });

    [Benchmark]
    public LogisticRegressionModel SagMultinomial() =>
        Fit(new() { Solver = LogisticRegressionSolver.Sag, MaxIterations = Epochs, RandomState = 0, Tolerance = 0 });

    /// <summary>One-vs-rest SAGA: the 10 binary problems share the seed, so they run as lanes of one pass.</summary>
    [Benchmark]
    public LogisticRegressionModel SagaOvr() =>
        Fit(new() { MultiClass = LogisticRegressionMultiClass.Ovr, MaxIterations = Epochs, RandomState = 0, Tolerance = 0 });

    /// <summary>newton-cg with max_iter = Epochs (the study's "saga vs newton-cg" grid uses max_iter=1).</summary>
    [Benchmark]
    public LogisticRegressionModel NewtonCg() => Fit(new() { Solver = LogisticRegressionSolver.NewtonCg, MaxIterations = Epochs });

    /// <summary>lbfgs with max_iter = Epochs.</summary>
    [Benchmark]
    public LogisticRegressionModel Lbfgs() => Fit(new() { Solver = LogisticRegressionSolver.Lbfgs, MaxIterations = Epochs });

    private LogisticRegressionModel Fit(LogisticRegressionOptions options) =>
        new LogisticRegression(options).Fit(new ReadOnlyMemory2D<float>(_train, 60000, _width), _labels);

    private (float[] X, int Width) Prepare(Dataset set)
    {
        float[] pixels = set.ToFloatPixels();
        if (Features == "hog72")
        {
            var hog = new HogModel(new HogOptions { Orientations = 8 });
            float[] features = new float[set.Count * hog.OutputFeatureCount];
            hog.Transform(new ReadOnlySpan2D<float>(pixels, set.Count, set.PixelCount), new Span2D<float>(features, set.Count, hog.OutputFeatureCount));
            return (features, hog.OutputFeatureCount);
        }

        // Same rounding as the tests' float features: (float)(p / 255.0).
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)(pixels[i] / 255.0);
        }

        return (pixels, set.PixelCount);
    }
}
