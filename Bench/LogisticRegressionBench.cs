using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Models.Linear;

namespace FashionCore.Bench;

/// <summary>
/// SAGA/SAG on the 60 000 Fashion-MNIST training pixels/255 (float), as the study runs it. Peer:
/// <c>/usr/bin/python3 /work/shared/peer/stages_sklearn.py 1 saga3_pixels</c> (LogisticRegression(solver='saga', max_iter=3, random_state=0)).
/// The test accuracy reached is printed once in the global setup (sklearn: 0.8437 for random_state=0).
/// </summary>
[MemoryDiagnoser]
public class LogisticRegressionBench
{
    private float[] _train = [];
    private int[] _labels = [];

    /// <summary>Number of epochs (max_iter; tol=0 so all run).</summary>
    [Params(1, 3)]
    public int Epochs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FashionMnistData data = FashionMnist.Load();
        _train = Scale(data.Train.ToFloatPixels());
        _labels = data.Train.GetLabelsInt32();
        float[] test = Scale(data.Test.ToFloatPixels());
        LogisticRegressionModel model = SagaMultinomial();
        double accuracy = model.Score(new ReadOnlySpan2D<float>(test, 10000, 784), data.Test.GetLabelsInt32());
        Console.WriteLine($"// SAGA multinomial, {Epochs} epoch(s): test accuracy {accuracy:F4}, {60000.0 * Epochs:F0} samples per fit");
    }

    [Benchmark(Baseline = true)]
    public LogisticRegressionModel SagaMultinomial() =>
        new LogisticRegression(new() { MaxIterations = Epochs, RandomState = 0, Tolerance = 0 })
            .Fit(new ReadOnlyMemory2D<float>(_train, 60000, 784), _labels);

    [Benchmark]
    public LogisticRegressionModel SagMultinomial() =>
        new LogisticRegression(new() { Solver = LogisticRegressionSolver.Sag, MaxIterations = Epochs, RandomState = 0, Tolerance = 0 })
            .Fit(new ReadOnlyMemory2D<float>(_train, 60000, 784), _labels);

    [Benchmark]
    public LogisticRegressionModel SagaOvr() =>
        new LogisticRegression(new() { MultiClass = LogisticRegressionMultiClass.Ovr, MaxIterations = Epochs, RandomState = 0, Tolerance = 0 })
            .Fit(new ReadOnlyMemory2D<float>(_train, 60000, 784), _labels);

    /// <summary>newton-cg with max_iter = Epochs (the study's "saga vs newton-cg" grid uses max_iter=1).</summary>
    [Benchmark]
    public LogisticRegressionModel NewtonCg() =>
        new LogisticRegression(new() { Solver = LogisticRegressionSolver.NewtonCg, MaxIterations = Epochs })
            .Fit(new ReadOnlyMemory2D<float>(_train, 60000, 784), _labels);

    /// <summary>lbfgs with max_iter = Epochs.</summary>
    [Benchmark]
    public LogisticRegressionModel Lbfgs() =>
        new LogisticRegression(new() { Solver = LogisticRegressionSolver.Lbfgs, MaxIterations = Epochs })
            .Fit(new ReadOnlyMemory2D<float>(_train, 60000, 784), _labels);

    private static float[] Scale(float[] pixels)
    {
        // Same rounding as the tests' float features: (float)(p / 255.0).
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)(pixels[i] / 255.0);
        }

        return pixels;
    }
}
