using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;

namespace FashionCore.Bench;

/// <summary>
/// One fit of each solver on the 60 000 Fashion-MNIST training rows, as the study runs them: pixels/255 (784 features,
/// ~50% zeros), HOG with 8 orientations (72 features, ~77% non-zero), StandardScaler → PCA(40) ("pca40") or both side
/// by side ("pcahog112"); the last three take SAGA's dense passes. "pixels_u8" fits the same features as "pixels" from
/// the raw pixels as bytes and the scale 1/255 (<c>Fit(ReadOnlyMemory2D&lt;byte&gt;, 1.0 / 255, y)</c>: the two-thread SAGA/SAG
/// fits read the bytes, the other solvers widen them to doubles first). Peer for pixels:
/// <c>/usr/bin/python3 /work/shared/peer/stages_sklearn.py 1 saga3_pixels</c> (LogisticRegression(solver='saga',
/// max_iter=3, random_state=0)). The global setup prints the test accuracy each solver reaches and the samples per fit
/// (60 000 × Epochs), so samples/s = that / the mean time.
/// </summary>
[MemoryDiagnoser]
public class LogisticRegressionBench
{
    private float[] _train = [];
    private byte[] _bytes = [];
    private int[] _labels = [];
    private int _width;
    private StandardScalerModel? _scaler;
    private PcaModel? _pca;

    /// <summary>Number of epochs / iterations (max_iter; tol=0 so all run).</summary>
    [Params(1, 3)]
    public int Epochs { get; set; }

    /// <summary>Feature set: "pixels" (784, x/255), "pixels_u8" (the same from bytes), "hog72" (HOG, 8 orientations), "pca40" or "pcahog112".</summary>
    [Params("pixels", "pixels_u8", "hog72", "pca40", "pcahog112")]
    public string Features { get; set; } = "pixels";

    [GlobalSetup]
    public void Setup()
    {
        FashionMnistData data = FashionMnist.Load();
        (_train, _width) = Prepare(data.Train);
        _bytes = data.Train.Pixels.ToArray();
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

    private LogisticRegressionModel Fit(LogisticRegressionOptions options) => Features == "pixels_u8"
        ? new LogisticRegression(options).Fit(new ReadOnlyMemory2D<byte>(_bytes, 60000, 784), 1.0 / 255, _labels)
        : new LogisticRegression(options).Fit(new ReadOnlyMemory2D<float>(_train, 60000, _width), _labels);

    private (float[] X, int Width) Prepare(Dataset set)
    {
        float[] pixels = set.ToFloatPixels();
        if (Features is "hog72" or "pca40" or "pcahog112")
        {
            float[] hog = Hog(pixels, set.Count);
            float[] pca = Pca(pixels, set.Count);
            return Features switch
            {
                "hog72" => (hog, 72),
                "pca40" => (pca, 40),
                _ => (SideBySide(pca, 40, hog, 72, set.Count), 112),
            };
        }

        // Same rounding as the tests' float features: (float)(p / 255.0).
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)(pixels[i] / 255.0);
        }

        return (pixels, set.PixelCount);
    }

    private static float[] Hog(float[] pixels, int count)
    {
        var hog = new HogModel(new HogOptions { Orientations = 8 });
        float[] features = new float[count * hog.OutputFeatureCount];
        hog.Transform(new ReadOnlySpan2D<float>(pixels, count, 784), new Span2D<float>(features, count, hog.OutputFeatureCount));
        return features;
    }

    // StandardScaler → PCA(40) fitted on the training pixels (as the study), applied to these rows.
    private float[] Pca(float[] pixels, int count)
    {
        if (_pca is null)
        {
            float[] train = FashionMnist.Load().Train.ToFloatPixels();
            var x = new ReadOnlyMemory2D<float>(train, 60000, 784);
            _scaler = new StandardScaler().Fit(x);
            _pca = new Pca(new PcaOptions { Components = 40 }).FitStandardized(x, _scaler);
        }

        float[] standardized = new float[count * 784];
        _scaler!.Transform(new ReadOnlySpan2D<float>(pixels, count, 784), new Span2D<float>(standardized, count, 784));
        float[] features = new float[count * 40];
        _pca.Transform(new ReadOnlySpan2D<float>(standardized, count, 784), new Span2D<float>(features, count, 40));
        return features;
    }

    private static float[] SideBySide(float[] left, int leftWidth, float[] right, int rightWidth, int count)
    {
        int width = leftWidth + rightWidth;
        float[] both = new float[count * width];
        for (int i = 0; i < count; i++)
        {
            left.AsSpan(i * leftWidth, leftWidth).CopyTo(both.AsSpan(i * width));
            right.AsSpan(i * rightWidth, rightWidth).CopyTo(both.AsSpan((i * width) + leftWidth));
        }

        return both;
    }
}
