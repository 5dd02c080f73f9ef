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
/// reduction is memory-bound: 4× less traffic than the textbook two passes over the full matrix). While at least
/// <see cref="SplitRows"/> rows remain, each step's update is split into two halves of equal area with their own
/// column sums, run on two threads when allowed; the split depends on n and the step only, so every sum has the same
/// order for any thread count. Reflector k is stored in row k of the work matrix (columns k+1.., with an implicit
/// leading 1).
/// </remarks>
internal static class HouseholderTridiagonal
{
    // Trailing rows from which a step's update is done as two fixed halves (smaller steps are too short to share).
    private const int SplitRows = 256;

    /// <summary>
    /// Reduces the symmetric n×n matrix whose upper triangle (j ≥ i) is in <paramref name="a"/> (destroyed: row k
    /// receives reflector k in columns k+1..).
    /// </summary>
    /// <param name="a">The matrix (see above).</param>
    /// <param name="n">Its order.</param>
    /// <param name="d">Receives the diagonal.</param>
    /// <param name="e">Receives the off-diagonal.</param>
    /// <param name="tau">Receives the reflector scales.</param>
    /// <param name="threads">Threads for the two halves of large trailing updates (1 = in sequence, same result).</param>
    public static void Reduce(double[] a, int n, Span<double> d, Span<double> e, Span<double> tau, int threads = 1)
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
        double[] y2 = new double[n];
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
            int rows = n - o - 1;
            if (rows < SplitRows)
            {
                UpdateRows(a, n, o + 1, n, v, w, next, y);
            }
            else
            {
                // Two halves of equal area (a split fixed by n and k only): the second half's column contributions
                // go to their own y, added afterwards, so the sums are the same for 1 or 2 threads. Each core then
                // streams half the trailing matrix, which at PCA sizes nearly fits its own L2.
                int split = n - (int)Math.Round(rows / Math.Sqrt(2));
                y2.AsSpan(split).Clear();
                int parts = Math.Min(threads, 2);
                Parallelism.For(parts, t =>
                {
                    (int first, int end) = Parallelism.Range(2, parts, t);
                    for (int part = first; part < end; part++)
                    {
                        if (part == 0)
                        {
                            UpdateRows(a, n, o + 1, split, v, w, next, y);
                        }
                        else
                        {
                            UpdateRows(a, n, split, n, v, w, next, y2);
                        }
                    }
                });
                TensorPrimitives.Add(y.AsSpan(split), y2.AsSpan(split), y.AsSpan(split));
            }

            v[o] = 0;
            w[o] = 0;
        }

        d[n - 1] = a[(n * n) - 1];
    }

    /// <summary>Rows [first, end) of the fused update, column contributions accumulated into <paramref name="y"/>.</summary>
    private static void UpdateRows(double[] a, int n, int first, int end, double[] v, double[] w, double[] next, double[] y)
    {
        for (int i = first; i < end; i++)
        {
            UpdateRowSymv(a.AsSpan((i * n) + i, n - i), v.AsSpan(i), w.AsSpan(i), next.AsSpan(i), y.AsSpan(i));
        }
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
