using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;

namespace FashionCore.Bench;

/// <summary>
/// HOG with the study's parameters (orientations=8, 8×8 cells, 3×3 blocks, L2-Hys) on real Fashion-MNIST:
/// one 28×28 image, and all 70 000 train+test images (the peer's <c>hog_70k</c> stage:
/// the peer script <c>stages_sklearn.py 1 hog_70k</c>, run side by side by <c>Bench/compare.py</c>).
/// </summary>
[MemoryDiagnoser]
public class HogBench
{
    private const int Pixels = 784;
    private const int Features = 72;

    private HogModel _model = null!;
    private byte[] _pixels = null!;
    private float[] _floatImage = null!;
    private float[] _features = null!;
    private float[] _one = null!;
    private int _count;

    [GlobalSetup]
    public void Setup()
    {
        FashionMnistData data = FashionMnist.Load();
        _pixels = [.. data.Train.Pixels.Span, .. data.Test.Pixels.Span];
        _count = _pixels.Length / Pixels;
        _model = new HogModel(new HogOptions { Orientations = 8 });
        _features = new float[_count * Features];
        _one = new float[Features];
        _floatImage = [.. _pixels.AsSpan(0, Pixels).ToArray().Select(b => (float)b)];
    }

    /// <summary>One image (train 0), uint8 pixels into a caller span: ns per image, 0 B.</summary>
    [Benchmark]
    public float OneImage()
    {
        _model.Compute(_pixels.AsSpan(0, Pixels), _one);
        return _one[0];
    }

    /// <summary>One image given as raw float pixels (the pipeline's row type).</summary>
    [Benchmark]
    public float OneImageFloatPixels()
    {
        _model.Compute(_floatImage, _one);
        return _one[0];
    }

    /// <summary>All 70 000 images into a 70 000×72 float matrix, all cores.</summary>
    [Benchmark]
    public float AllImages70k()
    {
        _model.Transform(new ReadOnlySpan2D<byte>(_pixels, _count, Pixels), new Span2D<float>(_features, _count, Features));
        return _features[^1];
    }

    /// <summary>All 70 000 images on the calling thread only.</summary>
    [Benchmark]
    public float AllImages70kOneThread()
    {
        _model.Transform(new ReadOnlySpan2D<byte>(_pixels, _count, Pixels), new Span2D<float>(_features, _count, Features), maxDegreeOfParallelism: 1);
        return _features[^1];
    }
}
