using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Scaling;

namespace FashionCore.Bench;

/// <summary>The scalers on the real 60 000×784 train set: fit and transform (the peer's <c>standardize</c> is fit + transform).</summary>
[MemoryDiagnoser]
public class ScalingBench
{
    private Dataset _train = null!;
    private float[] _pixels = [];
    private float[] _output = [];
    private StandardScalerModel _standard = null!;
    private MinMaxScalerModel _minMax = null!;

    [GlobalSetup]
    public void Setup()
    {
        _train = FashionMnist.Load(options: new FashionMnistLocatorOptions { AllowDownload = false }).Train;
        _pixels = _train.ToFloatPixels();
        _output = new float[_pixels.Length];
        _standard = new StandardScaler().Fit(Pixels);
        _minMax = new MinMaxScaler().Fit(Pixels);
    }

    private ReadOnlyMemory2D<float> Pixels => new(_pixels, 60000, 784);

    private Span2D<float> Output => new(_output, 60000, 784);

    [Benchmark]
    public void Divide255FromBytes() => PixelScaler.Scale(_train.Images.Span, Output);

    [Benchmark]
    public StandardScalerModel StandardFit() => new StandardScaler().Fit(Pixels);

    [Benchmark]
    public void StandardTransform() => _standard.Transform(Pixels.Span, Output);

    [Benchmark]
    public void StandardFitTransform() => new StandardScaler().Fit(Pixels).Transform(Pixels.Span, Output);

    [Benchmark]
    public void MinMaxTransform() => _minMax.Transform(Pixels.Span, Output);
}
