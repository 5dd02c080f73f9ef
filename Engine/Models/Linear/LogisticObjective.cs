using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Models.Linear;

/// <summary>
/// sklearn 1.2.1's lbfgs/newton-cg objective: F(W, b) = Σ_i ℓ_i + (1/2C)·‖W‖²_F, a sum over samples with an
/// unpenalised intercept. Multinomial: ℓ_i = logsumexp(z_i) − z_{i,y_i}; binary (y ∈ {0, 1}): ℓ_i = log(1 + e^z) − y·z.
/// </summary>
/// <remarks>
/// Parameters are K blocks of d+1 (the weights of class k, then its intercept). Samples are processed in a fixed
/// number of contiguous chunks whose partial sums are added in chunk order, so results do not depend on the thread
/// count. Rows are widened to double once per use.
/// </remarks>
internal sealed class LogisticObjective<T>
    where T : unmanaged
{
    private const int Chunks = 8;
    private readonly ReadOnlyMemory2D<T> _x;
    private readonly int[] _y;
    private readonly double[] _p;
    private readonly double[][] _partial;
    private readonly double[] _partialValue = new double[Chunks];

    public LogisticObjective(ReadOnlyMemory2D<T> x, int[] y, int classCount, bool multinomial, double inverseC, bool fitIntercept)
    {
        _x = x;
        _y = y;
        K = classCount;
        Multinomial = multinomial;
        InverseC = inverseC;
        FitIntercept = fitIntercept;
        D = x.Width;
        _p = new double[x.Height * classCount];
        _partial = [.. Enumerable.Range(0, Chunks).Select(_ => new double[Length])];
    }

    public int K { get; }

    public int D { get; }

    public bool Multinomial { get; }

    public double InverseC { get; }

    public bool FitIntercept { get; }

    public int Length => K * (D + 1);

    /// <summary>F(w), writing ∇F to <paramref name="gradient"/>; keeps the probabilities for <see cref="HessianVector"/>.</summary>
    public double ValueAndGradient(double[] w, double[] gradient)
    {
        int n = _x.Height;
        Parallel.For(0, Chunks, EngineParallel.Options(), c =>
        {
            double[] g = _partial[c];
            Array.Clear(g);
            double value = 0.0;
            double[] row = new double[D];
            double[] z = new double[K];
            (int start, int end) = Range(c, n);
            ReadOnlySpan2D<T> x = _x.Span;
            for (int i = start; i < end; i++)
            {
                Widen(x.GetRowSpan(i), row);
                Decide(w, row, z);
                Span<double> p = _p.AsSpan(i * K, K);
                int label = _y[i];
                if (Multinomial)
                {
                    double max = TensorPrimitives.Max(z);
                    double sum = 0.0;
                    for (int k = 0; k < K; k++)
                    {
                        sum += Math.Exp(z[k] - max);
                    }

                    double lse = Math.Log(sum) + max;
                    value += lse - z[label];
                    for (int k = 0; k < K; k++)
                    {
                        p[k] = Math.Exp(z[k] - lse);
                        Accumulate(g, k, row, p[k] - (k == label ? 1.0 : 0.0));
                    }
                }
                else
                {
                    // log(1 + e^z) − y·z computed without overflow; σ(z) for the gradient.
                    double zz = z[0];
                    value += (zz > 0 ? zz + Math.Log(1.0 + Math.Exp(-zz)) : Math.Log(1.0 + Math.Exp(zz))) - (label * zz);
                    double sigma = 1.0 / (1.0 + Math.Exp(-zz));
                    p[0] = sigma;
                    Accumulate(g, 0, row, sigma - label);
                }
            }

            _partialValue[c] = value;
        });

        Array.Clear(gradient);
        double total = 0.0;
        for (int c = 0; c < Chunks; c++)
        {
            TensorPrimitives.Add(gradient, _partial[c], gradient);
            total += _partialValue[c];
        }

        double penalty = 0.0;
        for (int k = 0; k < K; k++)
        {
            Span<double> wk = w.AsSpan(k * (D + 1), D);
            penalty += TensorPrimitives.SumOfSquares<double>(wk);
            TensorPrimitives.MultiplyAdd(wk, InverseC, gradient.AsSpan(k * (D + 1), D), gradient.AsSpan(k * (D + 1), D));
            if (!FitIntercept)
            {
                gradient[(k * (D + 1)) + D] = 0.0;
            }
        }

        return total + (0.5 * InverseC * penalty);
    }

    /// <summary>F(w) only.</summary>
    public double Value(double[] w)
    {
        double[] scratch = new double[Length];
        return ValueAndGradient(w, scratch);
    }

    /// <summary>H·s at the point of the last <see cref="ValueAndGradient"/> call (sklearn's hessp).</summary>
    public void HessianVector(double[] s, double[] hs)
    {
        int n = _x.Height;
        Parallel.For(0, Chunks, EngineParallel.Options(), c =>
        {
            double[] g = _partial[c];
            Array.Clear(g);
            double[] row = new double[D];
            double[] t = new double[K];
            (int start, int end) = Range(c, n);
            ReadOnlySpan2D<T> x = _x.Span;
            for (int i = start; i < end; i++)
            {
                Widen(x.GetRowSpan(i), row);
                Decide(s, row, t);
                ReadOnlySpan<double> p = _p.AsSpan(i * K, K);
                if (Multinomial)
                {
                    double mean = TensorPrimitives.Dot(p, t);
                    for (int k = 0; k < K; k++)
                    {
                        Accumulate(g, k, row, p[k] * (t[k] - mean));
                    }
                }
                else
                {
                    Accumulate(g, 0, row, p[0] * (1.0 - p[0]) * t[0]);
                }
            }
        });

        Array.Clear(hs);
        for (int c = 0; c < Chunks; c++)
        {
            TensorPrimitives.Add(hs, _partial[c], hs);
        }

        for (int k = 0; k < K; k++)
        {
            Span<double> hk = hs.AsSpan(k * (D + 1), D);
            TensorPrimitives.MultiplyAdd(s.AsSpan(k * (D + 1), D), InverseC, hk, hk);
            if (!FitIntercept)
            {
                hs[(k * (D + 1)) + D] = 0.0;
            }
        }
    }

    private static (int Start, int End) Range(int chunk, int n) => ((int)((long)n * chunk / Chunks), (int)((long)n * (chunk + 1) / Chunks));

    private static void Widen(ReadOnlySpan<T> source, Span<double> destination)
    {
        for (int j = 0; j < destination.Length; j++)
        {
            destination[j] = SagKernels.Value(source, j);
        }
    }

    private void Decide(double[] w, double[] row, double[] z)
    {
        for (int k = 0; k < K; k++)
        {
            z[k] = TensorPrimitives.Dot(w.AsSpan(k * (D + 1), D), row) + (FitIntercept ? w[(k * (D + 1)) + D] : 0.0);
        }
    }

    private void Accumulate(double[] g, int k, double[] row, double r)
    {
        Span<double> gk = g.AsSpan(k * (D + 1), D);
        TensorPrimitives.MultiplyAdd(row, r, gk, gk);
        g[(k * (D + 1)) + D] += r;
    }
}
