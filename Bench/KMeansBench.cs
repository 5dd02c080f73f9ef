using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Scaling;
using FashionCore.Models.Clustering;

namespace FashionCore.Bench;

/// <summary>
/// The study's k-means stage on real data: StandardScaler on the full train set, rows with labels 0..4
/// (30 000×784). Peer: <c>stages_sklearn.py 1 kmeans5</c> = <c>KMeans(5, n_init=1, random_state=0).fit</c>.
/// </summary>
[MemoryDiagnoser]
public class KMeansBench
{
    private float[] _x = [];
    private int _rows;
    private KMeansModel? _model;
    private int[] _labels = [];
    private float[] _distances = [];

    [GlobalSetup]
    public void Setup()
    {
        (_x, _rows) = StudySubset.Load();
        _model = new KMeans(new KMeansOptions { Clusters = 5, InitCount = 1, RandomState = 0 }).Fit(new ReadOnlyMemory2D<float>(_x, _rows, 784));
        _labels = new int[_rows];
        _distances = new float[_rows * 5];
    }

    /// <summary>sklearn peer stage <c>kmeans5</c>; the result's inertia is the quality check (sklearn 10074800.86).</summary>
    [Benchmark]
    public double Fit_K5_NInit1() =>
        new KMeans(new KMeansOptions { Clusters = 5, InitCount = 1, RandomState = 0 }).Fit(new ReadOnlyMemory2D<float>(_x, _rows, 784)).Inertia;

    [Benchmark]
    public int Predict_30k()
    {
        _model!.Predict(new ReadOnlySpan2D<float>(_x, _rows, 784), _labels);
        return _labels[^1];
    }

    [Benchmark]
    public float Transform_30k()
    {
        _model!.Transform(new ReadOnlySpan2D<float>(_x, _rows, 784), new Span2D<float>(_distances, _rows, 5));
        return _distances[^1];
    }
}

/// <summary>The study's elbow: k = 1..10, n_init = 10, random_state = 0 on the same 30 000×784 subset (sklearn: 127 s).</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 2)]
public class KMeansElbowBench
{
    private float[] _x = [];
    private int _rows;

    [GlobalSetup]
    public void Setup() => (_x, _rows) = StudySubset.Load();

    [Benchmark]
    public int? Elbow_K1To10_NInit10() =>
        KMeansElbow.Compute(new ReadOnlyMemory2D<float>(_x, _rows, 784), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], new KMeansOptions { InitCount = 10, RandomState = 0 }).KneeClusterCount;
}

internal static class StudySubset
{
    public static (float[] X, int Rows) Load()
    {
        Dataset train = FashionMnist.Load().Train;
        float[] pixels = train.ToFloatPixels();
        int[] labels = train.GetLabelsInt32();
        StandardScalerModel scaler = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(pixels, labels.Length, 784));
        int[] rows = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] <= 4)];
        float[] sub = new float[rows.Length * 784];
        for (int r = 0; r < rows.Length; r++)
        {
            pixels.AsSpan(rows[r] * 784, 784).CopyTo(sub.AsSpan(r * 784, 784));
        }

        float[] z = new float[sub.Length];
        scaler.Transform(new ReadOnlySpan2D<float>(sub, rows.Length, 784), new Span2D<float>(z, rows.Length, 784));
        return (z, rows.Length);
    }
}
