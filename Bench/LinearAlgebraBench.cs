using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Bench;

/// <summary>
/// The PCA kernels at their real shapes: SYRK on the 60 000×784 train pixels (exact float path and the exact 16-bit
/// integer path PCA uses; sparse: zero rows are skipped) and on the standardized pixels (double path, shifted by the means
/// or, as <c>Pca.Fit</c> on standardized floats does, by each column's background value), GEMM
/// A·Bᵀ for the 40-component projection, and the 784×784 top-40 eigendecomposition. GFLOP/s = 2·(multiply-adds)/time;
/// SYRK does 60 000·784·785/2 multiply-adds of useful work (36.9 GFLOP), GEMM 60 000·784·40 (3.76 GFLOP). The machine's
/// peak is measured next to them: <see cref="PeakDoubleFma"/> and <see cref="PeakFloatFma"/> each run 2³⁰ independent
/// 8-/16-lane FMAs per thread (17.2 / 34.4 GFLOP per thread), so peak GFLOP/s = Threads·17.2 (or 34.4) / seconds.
/// </summary>
[MemoryDiagnoser]
public class LinearAlgebraBench
{
    private const long PeakIterations = 1L << 30 >> 3;

    private float[] _pixels = [];
    private float[] _standardized = [];
    private double[] _means = [];
    private double[] _background = [];
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
        var x = new ReadOnlySpan2D<float>(_pixels, 60000, 784);
        Features.Scaling.StandardScalerModel scaler = new Features.Scaling.StandardScaler().Fit(new ReadOnlyMemory2D<float>(_pixels, 60000, 784));
        _standardized = new float[_pixels.Length];
        scaler.Transform(x, new Span2D<float>(_standardized, 60000, 784));
        _means = new double[784];
        for (int i = 0; i < 60000; i++)
        {
            for (int j = 0; j < 784; j++)
            {
                _means[j] += _standardized[(i * 784) + j] / 60000.0;
            }
        }

        _background = new double[784];
        for (int j = 0; j < 784; j++)
        {
            // The standardized value of a zero pixel (the column's background), taken from the data itself.
            _background[j] = _means[j];
            for (int i = 0; i < 60000; i++)
            {
                if (_pixels[(i * 784) + j] == 0)
                {
                    _background[j] = _standardized[(i * 784) + j];
                    break;
                }
            }
        }

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

    /// <summary>The same exact Gram matrix with 16-bit integer multiply-adds (what PCA runs on pixels with AVX-512BW).</summary>
    [Benchmark]
    public double SyrkExactInt16Pairs60000x784()
    {
        SmallIntegerGram.Gram(new ReadOnlySpan2D<float>(_pixels, 60000, 784), new Span2D<double>(_gram, 784, 784), Threads);
        return _gram[0];
    }

    /// <summary>Dense double SYRK shifted by each column's background value (standardized zero pixels → 0), as Pca.Fit on standardized floats runs it.</summary>
    [Benchmark]
    public double SyrkBackgroundShiftedDouble60000x784()
    {
        SymmetricRankK.Gram(new ReadOnlySpan2D<float>(_standardized, 60000, 784), _background, new Span2D<double>(_gram, 784, 784), Threads);
        return _gram[0];
    }

    [Benchmark]
    public double SyrkShiftedDouble60000x784()
    {
        SymmetricRankK.Gram(new ReadOnlySpan2D<float>(_standardized, 60000, 784), _means, new Span2D<double>(_gram, 784, 784), Threads);
        return _gram[0];
    }

    /// <summary>Machine peak, double: 8 independent FMA chains of 8-lane vectors (512-bit where accelerated) per thread.</summary>
    [Benchmark]
    public double PeakDoubleFma()
    {
        double[] sums = new double[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => sums[t] = PeakFmaDouble(PeakIterations));
        return sums.Sum();
    }

    /// <summary>Machine peak, float: the same loop on 16-lane vectors (twice the GFLOP of <see cref="PeakDoubleFma"/>).</summary>
    [Benchmark]
    public float PeakFloatFma()
    {
        float[] sums = new float[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t => sums[t] = PeakFmaFloat(PeakIterations));
        return sums.Sum();
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

    /// <summary>iterations × 8 FMAs on 512-bit double vectors (8 chains hide the FMA latency on two FMA pipes).</summary>
    private static double PeakFmaDouble(long iterations)
    {
        Vector512<double> b = Vector512.Create(0.999999);
        Vector512<double> c = Vector512.Create(1e-6);
        Vector512<double> a0 = Vector512<double>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, b, c);
            a1 = Vector512.FusedMultiplyAdd(a1, b, c);
            a2 = Vector512.FusedMultiplyAdd(a2, b, c);
            a3 = Vector512.FusedMultiplyAdd(a3, b, c);
            a4 = Vector512.FusedMultiplyAdd(a4, b, c);
            a5 = Vector512.FusedMultiplyAdd(a5, b, c);
            a6 = Vector512.FusedMultiplyAdd(a6, b, c);
            a7 = Vector512.FusedMultiplyAdd(a7, b, c);
        }

        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    /// <summary>iterations × 8 FMAs on 512-bit float vectors (8 chains hide the FMA latency on two FMA pipes).</summary>
    private static float PeakFmaFloat(long iterations)
    {
        Vector512<float> b = Vector512.Create(0.999999f);
        Vector512<float> c = Vector512.Create(1e-6f);
        Vector512<float> a0 = Vector512<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, b, c);
            a1 = Vector512.FusedMultiplyAdd(a1, b, c);
            a2 = Vector512.FusedMultiplyAdd(a2, b, c);
            a3 = Vector512.FusedMultiplyAdd(a3, b, c);
            a4 = Vector512.FusedMultiplyAdd(a4, b, c);
            a5 = Vector512.FusedMultiplyAdd(a5, b, c);
            a6 = Vector512.FusedMultiplyAdd(a6, b, c);
            a7 = Vector512.FusedMultiplyAdd(a7, b, c);
        }

        return Vector512.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }
}
