using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// Householder reduction of a dense symmetric matrix to tridiagonal form, <c>A = Q·T·Qᵀ</c> with
/// <c>Q = H₀·H₁·…·H_{n−3}</c> (LAPACK <c>dsytd2</c>, lower variant, unblocked).
/// </summary>
/// <remarks>
/// Each step's rank-2 update of the trailing matrix is fused with the next step's symmetric matrix-vector product, so
/// the trailing matrix is streamed once per step instead of twice (the reduction is memory-bound). Rows are split
/// statically over threads and every row's arithmetic is independent of the split, so the result does not depend on
/// the thread count. Reflector k is stored in row k of the work matrix (columns k+1.., with an implicit leading 1).
/// </remarks>
internal static class HouseholderTridiagonal
{
    // Below this trailing size a step is too short to be worth a task hand-off.
    private const int ParallelThreshold = 160;

    /// <summary>Reduces the full symmetric n×n matrix in <paramref name="a"/> (destroyed: it receives the reflectors).</summary>
    public static void Reduce(double[] a, int n, Span<double> d, Span<double> e, Span<double> tau, int threads)
    {
        if (n == 1)
        {
            d[0] = a[0];
            return;
        }

        if (n == 2)
        {
            d[0] = a[0];
            d[1] = a[3];
            e[0] = a[2];
            return;
        }

        tau.Clear();
        double[] p = new double[n];
        double[] pNext = new double[n];
        double[] w = new double[n];
        d[0] = a[0];
        (tau[0], e[0]) = MakeReflector(a.AsSpan(1, n - 1));
        RowDots(a, n, 1, a.AsMemory(1, n - 1), tau[0], p, threads);
        for (int k = 0; k <= n - 3; k++)
        {
            int o = k + 1;
            int m = n - o;
            ReadOnlySpan<double> v = a.AsSpan((k * n) + o, m);
            Span<double> wk = w.AsSpan(0, m);
            if (tau[k] != 0)
            {
                double half = 0.5 * tau[k] * TensorPrimitives.Dot(p.AsSpan(0, m), v);
                TensorPrimitives.MultiplyAdd(v, -half, p.AsSpan(0, m), wk);
            }
            else
            {
                wk.Clear();
            }

            // The first trailing row holds the next column to annihilate: update it alone, then build the reflector.
            Span<double> rowO = a.AsSpan((o * n) + o, m);
            UpdateRowDot(rowO, v[0], wk[0], v, wk, v);
            d[o] = rowO[0];
            double nextTau = 0;
            if (k + 1 <= n - 3)
            {
                (nextTau, e[o]) = MakeReflector(rowO[1..]);
                tau[o] = nextTau;
            }
            else
            {
                e[o] = rowO[1];
            }

            // Remaining trailing rows: apply this step's update and take the dot with the next reflector in one pass.
            var step = new FusedStep(a, n, o, k, w, nextTau, pNext);
            if (threads > 1 && m >= ParallelThreshold)
            {
                Parallelism.For(threads, t =>
                {
                    (int first, int end) = Parallelism.Range(m - 1, threads, t);
                    step.Rows(o + 1 + first, o + 1 + end);
                });
            }
            else
            {
                step.Rows(o + 1, n);
            }

            (p, pNext) = (pNext, p);
        }

        d[n - 1] = a[(n * n) - 1];
    }

    /// <summary>Turns x into the Householder vector v (v₀ = 1) with (I − τvvᵀ)x = β·e₀; returns (τ, β).</summary>
    private static (double Tau, double Beta) MakeReflector(Span<double> x)
    {
        double alpha = x[0];
        double xnorm = x.Length > 1 ? ScaledNorm(x[1..]) : 0;
        if (xnorm == 0)
        {
            x[0] = 1;
            return (0, alpha);
        }

        double beta = -Math.CopySign(double.Hypot(alpha, xnorm), alpha);
        double tau = (beta - alpha) / beta;
        TensorPrimitives.Multiply(x[1..], 1 / (alpha - beta), x[1..]);
        x[0] = 1;
        return (tau, beta);
    }

    private static double ScaledNorm(ReadOnlySpan<double> x)
    {
        double scale = TensorPrimitives.MaxMagnitude(x);
        scale = Math.Abs(scale);
        if (scale == 0 || !double.IsFinite(scale))
        {
            return scale;
        }

        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double t = x[i] / scale;
            sum += t * t;
        }

        return scale * Math.Sqrt(sum);
    }

    /// <summary>p[i − start] = τ·(row i, columns start..n) · v for rows start..n−1.</summary>
    private static void RowDots(double[] a, int n, int start, ReadOnlyMemory<double> v, double tau, double[] p, int threads)
    {
        int m = n - start;
        Parallelism.For(Math.Min(threads, Math.Max(1, m / ParallelThreshold)), t =>
        {
            int used = Math.Min(threads, Math.Max(1, m / ParallelThreshold));
            (int first, int end) = Parallelism.Range(m, used, t);
            for (int i = first; i < end; i++)
            {
                p[i] = tau * TensorPrimitives.Dot(a.AsSpan(((start + i) * n) + start, m), v.Span);
            }
        });
    }

    /// <summary>row −= vᵢ·w + wᵢ·v, returning the updated row · next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double UpdateRowDot(Span<double> row, double vi, double wi, ReadOnlySpan<double> v, ReadOnlySpan<double> w, ReadOnlySpan<double> next)
    {
        int m = row.Length;
        ref double r = ref MemoryMarshal.GetReference(row);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double nr = ref MemoryMarshal.GetReference(next);
        int j = 0;
        double dot = 0;
        if (Vector512.IsHardwareAccelerated && m >= Vector512<double>.Count)
        {
            Vector512<double> nvi = Vector512.Create(-vi);
            Vector512<double> nwi = Vector512.Create(-wi);
            Vector512<double> acc = Vector512<double>.Zero;
            for (; j <= m - Vector512<double>.Count; j += Vector512<double>.Count)
            {
                Vector512<double> x = Vector512.LoadUnsafe(ref r, (nuint)j);
                x = Vector512.FusedMultiplyAdd(nvi, Vector512.LoadUnsafe(ref wr, (nuint)j), x);
                x = Vector512.FusedMultiplyAdd(nwi, Vector512.LoadUnsafe(ref vr, (nuint)j), x);
                x.StoreUnsafe(ref r, (nuint)j);
                acc = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref nr, (nuint)j), acc);
            }

            dot = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && m >= Vector256<double>.Count)
        {
            Vector256<double> nvi = Vector256.Create(-vi);
            Vector256<double> nwi = Vector256.Create(-wi);
            Vector256<double> acc = Vector256<double>.Zero;
            for (; j <= m - Vector256<double>.Count; j += Vector256<double>.Count)
            {
                Vector256<double> x = Vector256.LoadUnsafe(ref r, (nuint)j);
                x = Vector256.FusedMultiplyAdd(nvi, Vector256.LoadUnsafe(ref wr, (nuint)j), x);
                x = Vector256.FusedMultiplyAdd(nwi, Vector256.LoadUnsafe(ref vr, (nuint)j), x);
                x.StoreUnsafe(ref r, (nuint)j);
                acc = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref nr, (nuint)j), acc);
            }

            dot = Vector256.Sum(acc);
        }

        for (; j < m; j++)
        {
            double x = Math.FusedMultiplyAdd(-vi, Unsafe.Add(ref wr, j), Unsafe.Add(ref r, j));
            x = Math.FusedMultiplyAdd(-wi, Unsafe.Add(ref vr, j), x);
            Unsafe.Add(ref r, j) = x;
            dot = Math.FusedMultiplyAdd(x, Unsafe.Add(ref nr, j), dot);
        }

        return dot;
    }

    /// <summary>One fused pass over trailing rows: state captured once so the parallel body allocates nothing per row.</summary>
    private sealed class FusedStep(double[] a, int n, int o, int k, double[] w, double nextTau, double[] pNext)
    {
        public void Rows(int first, int end)
        {
            int m = n - o;
            ReadOnlySpan<double> v = a.AsSpan((k * n) + o, m);
            ReadOnlySpan<double> wk = w.AsSpan(0, m);

            // Column o is no longer needed (its values live in row o now), so rows are updated from column o+1 on.
            ReadOnlySpan<double> next = nextTau != 0 ? a.AsSpan((o * n) + o + 1, m - 1) : v[1..];
            for (int i = first; i < end; i++)
            {
                int t = i - o;
                double dot = UpdateRowDot(a.AsSpan((i * n) + o + 1, m - 1), v[t], wk[t], v[1..], wk[1..], next);
                pNext[t - 1] = nextTau * dot;
            }
        }
    }
}
