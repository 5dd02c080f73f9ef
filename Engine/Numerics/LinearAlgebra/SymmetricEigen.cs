using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// Eigendecomposition of a dense real symmetric matrix: all eigenvalues in descending order and orthonormal
/// eigenvectors for the largest ones.
/// </summary>
/// <remarks>
/// <para>
/// Householder tridiagonalisation (LAPACK <c>dsytd2</c>, with the rank-2 update fused into the next step's
/// matrix-vector product), eigenvalues of the tridiagonal matrix by implicit QL (EISPACK <c>tql1</c>), eigenvectors
/// only for the requested eigenvalues by inverse iteration with cluster re-orthogonalisation (LAPACK <c>dstein</c>),
/// then back-transformed by the reflectors. Asking for k ≪ n vectors costs the O(n³) reduction plus O(k·n²), which is
/// what PCA needs; all n vectors cost ~(4/3 + 2)n³ flops. Everything is in double.
/// </para>
/// <para>
/// Accuracy is that of the backward-stable reduction: |λ − λ̂| ≲ n·ε·‖A‖ and ‖A·v − λ·v‖ ≲ n·ε·‖A‖. Vectors of
/// (nearly) repeated eigenvalues are an orthonormal basis of the eigenspace (any basis is valid). Each vector's sign
/// is arbitrary but deterministic. Results do not depend on the degree of parallelism.
/// </para>
/// </remarks>
public static class SymmetricEigen
{
    /// <summary>Computes all eigenvalues (descending) and the eigenvectors of the largest <c>eigenvectors.Height</c>.</summary>
    /// <param name="a">n×n symmetric matrix; only the lower triangle (j ≤ i) is read.</param>
    /// <param name="eigenvalues">Length n; receives the eigenvalues, largest first.</param>
    /// <param name="eigenvectors">k×n (0 ≤ k ≤ n); row r receives the unit eigenvector of <c>eigenvalues[r]</c>.</param>
    /// <param name="maxDegreeOfParallelism">Threads; 0 or negative = all cores.</param>
    /// <exception cref="ArgumentException">A shape does not match, or <paramref name="a"/> contains NaN/Inf.</exception>
    public static void Decompose(ReadOnlySpan2D<double> a, Span<double> eigenvalues, Span2D<double> eigenvectors, int maxDegreeOfParallelism = 0)
    {
        int n = a.Height;
        if (a.Width != n)
        {
            ThrowHelper.ThrowArgument($"'a' must be square but is {a.Height}x{a.Width}.", nameof(a));
        }

        Check.Length((ReadOnlySpan<double>)eigenvalues, n, nameof(eigenvalues));
        if (eigenvectors.Height > n || (eigenvectors.Height > 0 && eigenvectors.Width != n))
        {
            ThrowHelper.ThrowArgument($"'eigenvectors' must be k x {n} with k <= {n} but is {eigenvectors.Height}x{eigenvectors.Width}.", nameof(eigenvectors));
        }

        int count = eigenvectors.Height;
        double[] values = Compute(a, _ => count, out double[][] vectors, maxDegreeOfParallelism);
        values.CopyTo(eigenvalues);
        int k = eigenvectors.Height;
        for (int r = 0; r < k; r++)
        {
            vectors[r].CopyTo(eigenvectors.GetRowSpan(r));
        }
    }

    /// <summary>
    /// All eigenvalues (descending) and the vectors of the largest <c>chooseCount(eigenvalues)</c>, so callers can
    /// pick k from the spectrum (explained-variance fraction) without reducing the matrix twice. Input is trusted.
    /// </summary>
    internal static double[] Compute(ReadOnlySpan2D<double> a, Func<double[], int> chooseCount, out double[][] vectors, int maxDegreeOfParallelism)
    {
        int n = a.Height;
        using var work = new ScratchArray<double>(n * n, clear: false);
        double[] d = new double[n];
        double[] e = new double[Math.Max(1, n - 1)];
        double[] tau = new double[n];
        Tridiagonalize(a, work.Array, d, e, tau);
        return FromTridiagonal(work.Array, d, e, tau, chooseCount, out vectors, maxDegreeOfParallelism);
    }

    /// <summary>
    /// The largest <paramref name="count"/> eigenvalues (descending) and their vectors: like <see cref="Compute"/> with a
    /// fixed count, but the eigenvalues come from bisection (only the wanted ones) when the tridiagonal matrix does not
    /// split, which is the normal case for a covariance matrix; otherwise all of them from QL. Input is trusted.
    /// </summary>
    internal static double[] ComputeLargest(ReadOnlySpan2D<double> a, int count, out double[][] vectors, int maxDegreeOfParallelism)
    {
        int n = a.Height;
        using var work = new ScratchArray<double>(n * n, clear: false);
        double[] d = new double[n];
        double[] e = new double[Math.Max(1, n - 1)];
        double[] tau = new double[n];
        Tridiagonalize(a, work.Array, d, e, tau);
        int[] blockStart = SymmetricTridiagonal.Split(d, e);
        if (n < 2 || count == 0 || blockStart[n - 1] != 0)
        {
            return FromTridiagonal(work.Array, d, e, tau, _ => count, out vectors, maxDegreeOfParallelism)[..count];
        }

        double[] top = new double[count];
        SymmetricTridiagonal.LargestEigenvalues(d, e, top);
        for (int r = 1; r < count; r++)
        {
            // Each eigenvalue is bisected on its own: keep (nearly) equal ones in order.
            top[r] = Math.Min(top[r], top[r - 1]);
        }

        // Inverse iteration takes the eigenvalues ascending (ties: larger rank first, as FromTridiagonal orders them).
        double[][] result = new double[count][];
        double[] lambdas = new double[count];
        double[][] target = new double[count][];
        for (int r = 0; r < count; r++)
        {
            result[r] = new double[n];
        }

        for (int q = 0; q < count; q++)
        {
            lambdas[q] = top[count - 1 - q];
            target[q] = result[count - 1 - q];
        }

        SymmetricTridiagonal.InverseIteration(d, e, 0, n, lambdas, target);
        BackTransform(work.Array, tau, n, result, Parallelism.Threads(maxDegreeOfParallelism, int.MaxValue));
        vectors = result;
        return top;
    }

    /// <summary>Checks a, copies its lower triangle into the upper one of the n×n work matrix and reduces that.</summary>
    private static void Tridiagonalize(ReadOnlySpan2D<double> a, double[] w, double[] d, double[] e, double[] tau)
    {
        int n = a.Height;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = a.GetRowSpan(i)[..(i + 1)];
            if (!TensorPrimitives.IsFiniteAll(row))
            {
                ThrowHelper.ThrowArgument($"'a' contains a non-finite value in row {i}.", nameof(a));
            }
        }

        // The reduction reads only the upper triangle: transpose the lower one into it in 32×32 tiles (a plain column
        // walk would miss the cache on every element). The work matrix is pooled (fresh pages cost more to fault in
        // than the transpose) and fully written where it is read: the upper triangle here, each reflector row by the
        // reduction.
        const int Block = 32;
        for (int i0 = 0; i0 < n; i0 += Block)
        {
            for (int j0 = 0; j0 <= i0; j0 += Block)
            {
                for (int i = i0; i < Math.Min(n, i0 + Block); i++)
                {
                    ReadOnlySpan<double> row = a.GetRowSpan(i);
                    for (int j = j0; j < Math.Min(i + 1, j0 + Block); j++)
                    {
                        w[(j * n) + i] = row[j];
                    }
                }
            }
        }

        if (n > 0)
        {
            HouseholderTridiagonal.Reduce(w, n, d, e, tau);
        }
    }

    private static double[] FromTridiagonal(
        double[] w, double[] d, double[] e, double[] tau, Func<double[], int> chooseCount, out double[][] vectors, int maxDegreeOfParallelism)
    {
        int n = d.Length;
        int threads = Parallelism.Threads(maxDegreeOfParallelism, int.MaxValue);
        if (n == 0)
        {
            vectors = [];
            return [];
        }

        // Eigenvalues block by block, remembering each one's block so its vector is computed on that block only.
        int[] blockStart = SymmetricTridiagonal.Split(d, e);
        double[] values = new double[n];
        int[] owner = new int[n];
        for (int s = 0; s < n;)
        {
            int end = s + 1;
            while (end < n && blockStart[end] == s)
            {
                end++;
            }

            SymmetricTridiagonal.Eigenvalues(d, e, s, end, values.AsSpan(s, end - s));
            owner.AsSpan(s, end - s).Fill(s);
            s = end;
        }

        double[] sortedValues = new double[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        // Descending by value; ties by index, so the order is deterministic.
        Array.Sort(order, (p, q) => values[p] != values[q] ? values[q].CompareTo(values[p]) : p.CompareTo(q));
        for (int i = 0; i < n; i++)
        {
            sortedValues[i] = values[order[i]];
        }

        int k = chooseCount(sortedValues);
        double[][] result = new double[k][];
        vectors = result;
        if (k == 0)
        {
            return sortedValues;
        }

        // Inverse iteration per block on the selected eigenvalues, in ascending order within the block.
        var byBlock = new SortedDictionary<int, List<int>>();
        for (int r = 0; r < k; r++)
        {
            result[r] = new double[n];
            int blockOf = owner[order[r]];
            if (!byBlock.TryGetValue(blockOf, out List<int>? list))
            {
                list = [];
                byBlock.Add(blockOf, list);
            }

            list.Add(r);
        }

        foreach ((int s, List<int> ranks) in byBlock)
        {
            int end = s + 1;
            while (end < n && blockStart[end] == s)
            {
                end++;
            }

            ranks.Sort((p, q) => values[order[p]] != values[order[q]] ? values[order[p]].CompareTo(values[order[q]]) : q.CompareTo(p));
            double[] lambdas = new double[ranks.Count];
            double[][] target = new double[ranks.Count][];
            for (int q = 0; q < ranks.Count; q++)
            {
                lambdas[q] = values[order[ranks[q]]];
                target[q] = result[ranks[q]];
            }

            SymmetricTridiagonal.InverseIteration(d, e, s, end, lambdas, target);
        }

        BackTransform(w, tau, n, result, threads);
        return sortedValues;
    }

    /// <summary>z = H₀·H₁·…·H_{n−3}·y for each vector, applying the last reflector first; vectors are independent.</summary>
    private static void BackTransform(double[] w, double[] tau, int n, double[][] result, int threads)
    {
        int k = result.Length;
        Parallelism.For(Parallelism.Threads(threads, k), t =>
        {
            (int first, int last) = Parallelism.Range(k, Parallelism.Threads(threads, k), t);
            // Reflector-major: each reflector is read once (from cache) for all of this thread's vectors; every
            // vector still sees the same operations in the same order.
            for (int j = n - 3; j >= 0; j--)
            {
                if (tau[j] == 0)
                {
                    continue;
                }

                ReadOnlySpan<double> v = w.AsSpan((j * n) + j + 1, n - j - 1);
                for (int r = first; r < last; r++)
                {
                    Span<double> yj = result[r].AsSpan(j + 1);
                    double s = tau[j] * TensorPrimitives.Dot(v, yj);
                    TensorPrimitives.MultiplyAdd(v, -s, yj, yj);
                }
            }
        });
    }
}
