using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Models.Linear;

/// <summary>
/// sklearn 1.2.1's lbfgs/newton-cg objective: F(W, b) = Σ_i ℓ_i + (1/2C)·‖W‖²_F, a sum over samples with an
/// unpenalised intercept. Multinomial: ℓ_i = logsumexp(z_i) − z_{i,y_i}; binary (y ∈ {0, 1}): ℓ_i = log(1 + e^z) − y·z.
/// </summary>
/// <remarks>
/// Parameters are K blocks of d+1 (the weights of class k, then its intercept). Samples are processed in a fixed
/// number of contiguous chunks whose partial sums are added in chunk order, so results do not depend on the thread
/// count. Within a chunk, rows go in blocks of <see cref="BlockRows"/>: the block is widened to double once, its
/// scores are one <see cref="Gemm.MultiplyTransposed(ReadOnlySpan2D{double}, ReadOnlySpan2D{double}, Span2D{double}, int)"/>
/// (block × Wᵀ) and its gradient contribution one <see cref="Gemm.Multiply(ReadOnlySpan2D{double}, ReadOnlySpan2D{double}, Span2D{double}, int)"/>
/// (residualsᵀ × block), both register-tiled, instead of K dot products and K axpys per sample.
/// </remarks>
internal sealed class LogisticObjective<T>
    where T : unmanaged
{
    private const int Chunks = 8;

    // Rows per block: the widened block (64×d doubles, 400 KB for pixels) stays in L2 for both products.
    private const int BlockRows = 64;

    private readonly ReadOnlyMemory2D<T> _x;
    private readonly int[] _y;
    private readonly double[] _p;
    private readonly double[][] _partial;
    private readonly double[] _partialValue = new double[Chunks];
    private readonly ChunkBuffers[] _buffers;

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
        _buffers = [.. Enumerable.Range(0, Chunks).Select(_ => new ChunkBuffers(Math.Min(BlockRows, Math.Max(1, x.Height)), x.Width, classCount))];
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
            ChunkBuffers buffers = _buffers[c];
            (int start, int end) = Range(c, n);
            for (int b0 = start; b0 < end; b0 += BlockRows)
            {
                int m = Math.Min(BlockRows, end - b0);
                Scores(buffers, b0, m, w);
                ReadOnlySpan2D<double> block = new(buffers.Rows, m, D);
                Span2D<double> z = new(buffers.Scores, m, K);
                Span2D<double> residualT = new(buffers.ResidualT, K, m);
                for (int r = 0; r < m; r++)
                {
                    int i = b0 + r;
                    Span<double> zr = z.GetRowSpan(r);
                    Span<double> p = _p.AsSpan(i * K, K);
                    int label = _y[i];
                    if (Multinomial)
                    {
                        double max = TensorPrimitives.Max<double>(zr);
                        double sum = 0.0;
                        for (int k = 0; k < K; k++)
                        {
                            sum += Math.Exp(zr[k] - max);
                        }

                        double lse = Math.Log(sum) + max;
                        value += lse - zr[label];
                        for (int k = 0; k < K; k++)
                        {
                            p[k] = Math.Exp(zr[k] - lse);
                            residualT[k, r] = p[k] - (k == label ? 1.0 : 0.0);
                        }
                    }
                    else
                    {
                        // log(1 + e^z) − y·z computed without overflow; σ(z) for the gradient.
                        double zz = zr[0];
                        value += (zz > 0 ? zz + Math.Log(1.0 + Math.Exp(-zz)) : Math.Log(1.0 + Math.Exp(zz))) - (label * zz);
                        double sigma = 1.0 / (1.0 + Math.Exp(-zz));
                        p[0] = sigma;
                        residualT[0, r] = sigma - label;
                    }
                }

                Accumulate(buffers, block, residualT, g);
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
            ChunkBuffers buffers = _buffers[c];
            (int start, int end) = Range(c, n);
            for (int b0 = start; b0 < end; b0 += BlockRows)
            {
                int m = Math.Min(BlockRows, end - b0);
                Scores(buffers, b0, m, s);
                ReadOnlySpan2D<double> block = new(buffers.Rows, m, D);
                Span2D<double> t = new(buffers.Scores, m, K);
                Span2D<double> residualT = new(buffers.ResidualT, K, m);
                for (int r = 0; r < m; r++)
                {
                    ReadOnlySpan<double> p = _p.AsSpan((b0 + r) * K, K);
                    Span<double> tr = t.GetRowSpan(r);
                    if (Multinomial)
                    {
                        double mean = TensorPrimitives.Dot(p, tr);
                        for (int k = 0; k < K; k++)
                        {
                            residualT[k, r] = p[k] * (tr[k] - mean);
                        }
                    }
                    else
                    {
                        residualT[0, r] = p[0] * (1.0 - p[0]) * tr[0];
                    }
                }

                Accumulate(buffers, block, residualT, g);
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

    // Rows [start, start + m) widened to double into buffers.Rows, and their scores block·Wᵀ + b (m×K) into buffers.Scores.
    private void Scores(ChunkBuffers buffers, int start, int m, double[] w)
    {
        ReadOnlySpan2D<T> x = _x.Span;
        Span2D<double> block = new(buffers.Rows, m, D);
        for (int r = 0; r < m; r++)
        {
            RowWidening.WidenRow(x.GetRowSpan(start + r), block.GetRowSpan(r));
        }

        Span2D<double> z = new(buffers.Scores, m, K);
        Gemm.MultiplyTransposed(block, new ReadOnlySpan2D<double>(w, 0, K, D, 1), z);
        if (FitIntercept)
        {
            for (int k = 0; k < K; k++)
            {
                double bk = w[(k * (D + 1)) + D];
                for (int r = 0; r < m; r++)
                {
                    z[r, k] += bk;
                }
            }
        }
    }

    // g_k += Σ_r residual_rk · row_r (one K×m by m×d product) and the intercepts' Σ_r residual_rk.
    private void Accumulate(ChunkBuffers buffers, ReadOnlySpan2D<double> block, Span2D<double> residualT, double[] g)
    {
        Span2D<double> product = new(buffers.Product, K, D);
        Gemm.Multiply(residualT, block, product);
        for (int k = 0; k < K; k++)
        {
            Span<double> gk = g.AsSpan(k * (D + 1), D + 1);
            TensorPrimitives.Add(gk[..D], product.GetRowSpan(k), gk[..D]);
            gk[D] += TensorPrimitives.Sum<double>(residualT.GetRowSpan(k));
        }
    }

    // Per-chunk scratch: the widened block, its scores, the transposed residuals and the K×d product.
    private sealed class ChunkBuffers(int rows, int d, int k)
    {
        public double[] Rows { get; } = new double[rows * d];

        public double[] Scores { get; } = new double[rows * k];

        public double[] ResidualT { get; } = new double[k * rows];

        public double[] Product { get; } = new double[k * d];
    }
}
