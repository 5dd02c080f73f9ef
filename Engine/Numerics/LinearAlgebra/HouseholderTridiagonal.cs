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
/// Only the upper triangle is stored and touched, and each step's rank-2 update of the trailing matrix is fused with
/// the next step's symmetric matrix-vector product, so the trailing half-matrix is streamed once per step (the
/// reduction is memory-bound: 4× less traffic than the textbook two passes over the full matrix). It runs on one
/// thread: per-step hand-offs cost more than they save at PCA sizes, and the order of every sum is fixed. Reflector k
/// is stored in row k of the work matrix (columns k+1.., with an implicit leading 1).
/// </remarks>
internal static class HouseholderTridiagonal
{
    /// <summary>
    /// Reduces the symmetric n×n matrix whose upper triangle (j ≥ i) is in <paramref name="a"/> (destroyed: row k
    /// receives reflector k in columns k+1..).
    /// </summary>
    public static void Reduce(double[] a, int n, Span<double> d, Span<double> e, Span<double> tau)
    {
        tau.Clear();
        if (n == 1)
        {
            d[0] = a[0];
            return;
        }

        if (n == 2)
        {
            d[0] = a[0];
            d[1] = a[3];
            e[0] = a[1];
            return;
        }

        // Vectors over absolute column indices (zero outside the current trailing range) so every row kernel can
        // slice them at the row's diagonal.
        double[] v = new double[n];
        double[] w = new double[n];
        double[] next = new double[n];
        double[] y = new double[n];
        d[0] = a[0];
        (tau[0], e[0]) = MakeReflector(a.AsSpan(1, n - 1));
        a.AsSpan(1, n - 1).CopyTo(next.AsSpan(1));
        for (int i = 1; i < n; i++)
        {
            UpdateRowSymv(a.AsSpan((i * n) + i, n - i), v.AsSpan(i), w.AsSpan(i), next.AsSpan(i), y.AsSpan(i));
        }

        for (int k = 0; k <= n - 3; k++)
        {
            int o = k + 1;
            int m = n - o;
            next.AsSpan(o, m).CopyTo(v.AsSpan(o, m));
            Span<double> vk = v.AsSpan(o, m);
            Span<double> wk = w.AsSpan(o, m);
            Span<double> p = y.AsSpan(o, m);
            TensorPrimitives.Multiply(p, tau[k], p);
            double half = 0.5 * tau[k] * TensorPrimitives.Dot(p, vk);
            TensorPrimitives.MultiplyAdd(vk, -half, p, wk);

            // The first trailing row holds the next column to annihilate: update it alone, then build the reflector.
            Span<double> rowO = a.AsSpan((o * n) + o, m);
            UpdateRow(rowO, vk[0], wk[0], vk, wk);
            d[o] = rowO[0];
            next.AsSpan(0, o + 1).Clear();
            if (k + 1 <= n - 3)
            {
                (tau[o], e[o]) = MakeReflector(rowO[1..]);
                rowO[1..].CopyTo(next.AsSpan(o + 1));
            }
            else
            {
                e[o] = rowO[1];
                next.AsSpan(o + 1).Clear();
            }

            // Remaining trailing rows: this step's rank-2 update fused with the next step's y = A·v_next, reading
            // and writing only the upper triangle (row i, columns ≥ i), so the matrix is streamed once per step.
            y.AsSpan(o + 1).Clear();
            for (int i = o + 1; i < n; i++)
            {
                UpdateRowSymv(a.AsSpan((i * n) + i, n - i), v.AsSpan(i), w.AsSpan(i), next.AsSpan(i), y.AsSpan(i));
            }

            v[o] = 0;
            w[o] = 0;
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

    /// <summary>row −= v₀·w + w₀·v (row starts at the diagonal).</summary>
    private static void UpdateRow(Span<double> row, double vi, double wi, ReadOnlySpan<double> v, ReadOnlySpan<double> w)
    {
        TensorPrimitives.MultiplyAdd(w, -vi, row, row);
        TensorPrimitives.MultiplyAdd(v, -wi, row, row);
    }

    /// <summary>
    /// Upper-triangle row i (from the diagonal): row −= v₀·w + w₀·v, then the symmetric product y += A·next
    /// contributions of this row: y₀ += row·next (row part) and y_j += row_j·next₀ for j &gt; 0 (column part).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateRowSymv(Span<double> row, ReadOnlySpan<double> v, ReadOnlySpan<double> w, ReadOnlySpan<double> next, Span<double> y)
    {
        int m = row.Length;
        double vi = v[0];
        double wi = w[0];
        double ni = next[0];
        ref double r = ref MemoryMarshal.GetReference(row);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double wr = ref MemoryMarshal.GetReference(w);
        ref double nr = ref MemoryMarshal.GetReference(next);
        ref double yr = ref MemoryMarshal.GetReference(y);

        // Diagonal element: counted once, in the row part.
        double diag = Math.FusedMultiplyAdd(-wi, vi, Math.FusedMultiplyAdd(-vi, wi, r));
        r = diag;
        double dot = diag * ni;
        int j = 1;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> nvi = Vector512.Create(-vi);
            Vector512<double> nwi = Vector512.Create(-wi);
            Vector512<double> bni = Vector512.Create(ni);
            Vector512<double> acc = Vector512<double>.Zero;
            for (; j <= m - Vector512<double>.Count; j += Vector512<double>.Count)
            {
                Vector512<double> x = Vector512.LoadUnsafe(ref r, (nuint)j);
                x = Vector512.FusedMultiplyAdd(nvi, Vector512.LoadUnsafe(ref wr, (nuint)j), x);
                x = Vector512.FusedMultiplyAdd(nwi, Vector512.LoadUnsafe(ref vr, (nuint)j), x);
                x.StoreUnsafe(ref r, (nuint)j);
                acc = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref nr, (nuint)j), acc);
                Vector512.FusedMultiplyAdd(x, bni, Vector512.LoadUnsafe(ref yr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
            }

            dot += Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> nvi = Vector256.Create(-vi);
            Vector256<double> nwi = Vector256.Create(-wi);
            Vector256<double> bni = Vector256.Create(ni);
            Vector256<double> acc = Vector256<double>.Zero;
            for (; j <= m - Vector256<double>.Count; j += Vector256<double>.Count)
            {
                Vector256<double> x = Vector256.LoadUnsafe(ref r, (nuint)j);
                x = Vector256.FusedMultiplyAdd(nvi, Vector256.LoadUnsafe(ref wr, (nuint)j), x);
                x = Vector256.FusedMultiplyAdd(nwi, Vector256.LoadUnsafe(ref vr, (nuint)j), x);
                x.StoreUnsafe(ref r, (nuint)j);
                acc = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref nr, (nuint)j), acc);
                Vector256.FusedMultiplyAdd(x, bni, Vector256.LoadUnsafe(ref yr, (nuint)j)).StoreUnsafe(ref yr, (nuint)j);
            }

            dot += Vector256.Sum(acc);
        }

        for (; j < m; j++)
        {
            double x = Math.FusedMultiplyAdd(-vi, Unsafe.Add(ref wr, j), Unsafe.Add(ref r, j));
            x = Math.FusedMultiplyAdd(-wi, Unsafe.Add(ref vr, j), x);
            Unsafe.Add(ref r, j) = x;
            dot = Math.FusedMultiplyAdd(x, Unsafe.Add(ref nr, j), dot);
            Unsafe.Add(ref yr, j) = Math.FusedMultiplyAdd(x, ni, Unsafe.Add(ref yr, j));
        }

        yr += dot;
    }
}
