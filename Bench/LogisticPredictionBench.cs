using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;

namespace FashionCore.Bench;

/// <summary>
/// <c>predict_proba</c> of a fitted 10-class logistic regression on the 10 000 test rows (pixels/255, float), the
/// <c>predict_10k</c> stage: the model's register-tiled kernel (parallel over row ranges above ~8 M multiply-adds)
/// against the TensorPrimitives composition it replaces per row (widen the row, ten <c>Dot</c>s, <c>SoftMax</c>).
/// Peer: <c>/usr/bin/python3 /work/shared/peer/stages_sklearn.py 3 predict_10k</c>.
/// </summary>
[MemoryDiagnoser]
public class LogisticPredictionBench
{
    private float[] _test = [];
    private float[] _probabilities = [];
    private double[] _coef = [];
    private double[] _intercept = [];
    private LogisticRegressionModel? _model;

    /// <summary>Multinomial (softmax) or one-vs-rest (normalised sigmoids).</summary>
    [Params(LogisticRegressionMultiClass.Multinomial, LogisticRegressionMultiClass.Ovr)]
    public LogisticRegressionMultiClass MultiClass { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FashionMnistData data = FashionMnist.Load();
        float[] train = new float[data.Train.Count * 784];
        _test = new float[data.Test.Count * 784];
        PixelScaler.Scale(data.Train.Images.Span, new Span2D<float>(train, data.Train.Count, 784));
        PixelScaler.Scale(data.Test.Images.Span, new Span2D<float>(_test, data.Test.Count, 784));
        _model = new LogisticRegression(new() { MaxIterations = 1, RandomState = 0, MultiClass = MultiClass })
            .Fit(new ReadOnlyMemory2D<float>(train, 10000, 784), data.Train.GetLabelsInt32().AsMemory(0, 10000));
        _coef = [.. _model.Coefficients.ToArray().Cast<double>()];
        _intercept = _model.Intercept.ToArray();
        _probabilities = new float[_test.Length / 784 * 10];
    }

    [Benchmark(Baseline = true)]
    public float[] Model()
    {
        int n = _test.Length / 784;
        _model!.PredictProbabilities(new ReadOnlySpan2D<float>(_test, n, 784), new Span2D<float>(_probabilities, n, 10));
        return _probabilities;
    }

    /// <summary>The per-row TensorPrimitives composition (one thread, multinomial softmax whatever the model).</summary>
    [Benchmark]
    public float[] TensorPrimitivesRows()
    {
        Span<double> row = stackalloc double[784];
        Span<double> z = stackalloc double[10];
        int n = _test.Length / 784;
        for (int i = 0; i < n; i++)
        {
            TensorPrimitives.ConvertChecked<float, double>(_test.AsSpan(i * 784, 784), row);
            for (int c = 0; c < 10; c++)
            {
                z[c] = TensorPrimitives.Dot(row, _coef.AsSpan(c * 784, 784)) + _intercept[c];
            }

            TensorPrimitives.SoftMax(z, z);
            TensorPrimitives.ConvertChecked<double, float>(z, _probabilities.AsSpan(i * 10, 10));
        }

        return _probabilities;
    }
}
