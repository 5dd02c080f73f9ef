using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Bench;

/// <summary>
/// The PCA kernels at their real shapes: SYRK on the 60 000×784 train pixels (exact float path), GEMM A·Bᵀ for the
/// 40-component projection, and the 784×784 top-40 eigendecomposition. GFLOP/s = 2·(multiply-adds)/time; SYRK does
/// 60 000·784·785/2 multiply-adds of useful work (36.9 GFLOP), GEMM 60 000·784·40 (3.76 GFLOP).
/// </summary>
[MemoryDiagnoser]
public class LinearAlgebraBench
{
    private float[] _pixels = [];
    private double[] _gram = [];
    private double[] _covariance = [];
    private float[] _components = [];
    private float[] _scores = [];
    private double[] _values = [];
    private double[] _vectors = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pixels = Data.FashionMnist.Load().Train.ToFloatPixels();
        _gram = new double[784 * 784];
        SymmetricRankK.Gram(new ReadOnlySpan2D<float>(_pixels, 60000, 784), new Span2D<double>(_gram, 784, 784));
        _covariance = new double[784 * 784];
        for (int i = 0; i < _gram.Length; i++)
        {
            _covariance[i] = _gram[i] / 60000;
        }

        var rng = new Random(0);
        _components = new float[40 * 784];
        for (int i = 0; i < _components.Length; i++)
        {
            _components[i] = (float)(rng.NextDouble() - 0.5);
        }

        _scores = new float[60000 * 40];
        _values = new double[784];
        _vectors = new double[40 * 784];
    }

    [Benchmark]
    public double SyrkExactFloat60000x784()
    {
        SymmetricRankK.Gram(new ReadOnlySpan2D<float>(_pixels, 60000, 784), new Span2D<double>(_gram, 784, 784), Threads);
        return _gram[0];
    }

    [Benchmark]
    public float GemmTransposed60000x784x40()
    {
        Gemm.MultiplyTransposed(
            new ReadOnlySpan2D<float>(_pixels, 60000, 784), new ReadOnlySpan2D<float>(_components, 40, 784), new Span2D<float>(_scores, 60000, 40), Threads);
        return _scores[0];
    }

    [Benchmark]
    public double Eigen784Top40()
    {
        SymmetricEigen.Decompose(new ReadOnlySpan2D<double>(_covariance, 784, 784), _values, new Span2D<double>(_vectors, 40, 784), Threads);
        return _values[0];
    }
}
