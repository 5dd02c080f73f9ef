using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;

namespace FashionCore.Bench;

/// <summary>
/// The study's PCA stage: PCA(40) fitted on the StandardScaled 60 000×784 train pixels (peer:
/// <c>stages_sklearn.py 1 pca40_fit</c>, sklearn's default randomized solver), and the transform of the 10 000 test
/// rows. The fit's explained-variance-ratio sum is printed after the run as the quality check (sklearn full: 0.776177).
/// </summary>
[MemoryDiagnoser]
public class PcaBench
{
    private ReadOnlyMemory2D<float> _train;
    private ReadOnlyMemory2D<float> _trainStandardized;
    private StandardScalerModel _scaler = null!;
    private PcaModel _model = null!;
    private float[] _testStandardized = [];
    private float[] _projected = [];
    private double _evrSum;

    [GlobalSetup]
    public void Setup()
    {
        Data.FashionMnistData data = Data.FashionMnist.Load();
        _train = new ReadOnlyMemory2D<float>(data.Train.ToFloatPixels(), 60000, 784);
        _scaler = new StandardScaler().Fit(_train);
        float[] standardized = new float[60000 * 784];
        _scaler.Transform(_train.Span, new Span2D<float>(standardized, 60000, 784));
        _trainStandardized = new ReadOnlyMemory2D<float>(standardized, 60000, 784);
        _model = new Pca(new PcaOptions { Components = 40 }).FitStandardized(_train, _scaler);
        _testStandardized = new float[10000 * 784];
        _scaler.Transform(new ReadOnlySpan2D<float>(data.Test.ToFloatPixels(), 10000, 784), new Span2D<float>(_testStandardized, 10000, 784));
        _projected = new float[10000 * 40];
    }

    [GlobalCleanup]
    public void Cleanup() => Console.WriteLine($"// PCA(40) explained variance ratio sum: {_evrSum:F6}");

    [Benchmark]
    public PcaModel FitStandardizedPca40()
    {
        PcaModel model = new Pca(new PcaOptions { Components = 40 }).FitStandardized(_train, _scaler);
        _evrSum = model.ExplainedVarianceRatio.ToArray().Sum();
        return model;
    }

    /// <summary>The peer's stage: PCA(40) fitted on the standardized train rows (float), like <c>PCA(40).fit(st)</c>.</summary>
    [Benchmark]
    public PcaModel FitPca40OnStandardized()
    {
        PcaModel model = new Pca(new PcaOptions { Components = 40 }).Fit(_trainStandardized);
        _evrSum = model.ExplainedVarianceRatio.ToArray().Sum();
        return model;
    }

    [Benchmark]
    public float TransformTest10000()
    {
        _model.Transform(new ReadOnlySpan2D<float>(_testStandardized, 10000, 784), new Span2D<float>(_projected, 10000, 40));
        return _projected[0];
    }
}
