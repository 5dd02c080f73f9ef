using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Tests.Numerics.LinearAlgebra;

public sealed class SymmetricEigenTests
{
    private const double Eps = 2.220446049250313e-16;

    /// <summary>A = Q·diag(λ)·Qᵀ with Q a product of random Householder reflections.</summary>
    private static double[] WithSpectrum(double[] lambda, int seed)
    {
        int n = lambda.Length;
        var rng = new Random(seed);
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            q[(i * n) + i] = 1;
        }

        double[] v = new double[n];
        for (int h = 0; h < 3; h++)
        {
            double norm = 0;
            for (int i = 0; i < n; i++)
            {
                v[i] = rng.NextDouble() - 0.5;
                norm += v[i] * v[i];
            }

            // q ← (I − 2vvᵀ/‖v‖²)·q
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++)
                {
                    dot += v[i] * q[(i * n) + j];
                }

                for (int i = 0; i < n; i++)
                {
                    q[(i * n) + j] -= 2 * dot / norm * v[i];
                }
            }
        }

        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < n; p++)
                {
                    s += q[(i * n) + p] * lambda[p] * q[(j * n) + p];
                }

                a[(i * n) + j] = s;
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                a[(j * n) + i] = a[(i * n) + j];
            }
        }

        return a;
    }

    private static (double[] Values, double[] Vectors) Decompose(double[] a, int n, int k, int threads = 0)
    {
        double[] values = new double[n];
        double[] vectors = new double[k * n];
        SymmetricEigen.Decompose(new ReadOnlySpan2D<double>(a, n, n), values, new Span2D<double>(vectors, k, n), threads);
        return (values, vectors);
    }

    /// <summary>max ‖A·v − λ·v‖∞ and max |VVᵀ − I|.</summary>
    private static (double Residual, double Orthogonality) Quality(double[] a, int n, double[] values, double[] vectors, int k)
    {
        double residual = 0;
        double orthogonality = 0;
        for (int r = 0; r < k; r++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    s += a[(i * n) + j] * vectors[(r * n) + j];
                }

                residual = Math.Max(residual, Math.Abs(s - (values[r] * vectors[(r * n) + i])));
            }

            for (int q = 0; q < k; q++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    s += vectors[(r * n) + j] * vectors[(q * n) + j];
                }

                orthogonality = Math.Max(orthogonality, Math.Abs(s - (r == q ? 1 : 0)));
            }
        }

        return (residual, orthogonality);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    [TestCase(50)]
    [TestCase(200)]
    [TestCase(600)]
    public void Decompose_KnownSpectrum_RecoversEigenpairs(int n)
    {
        var rng = new Random(n);
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = (rng.NextDouble() * 20) - 10;
        }

        double[] a = WithSpectrum(lambda, n + 1);
        (double[] values, double[] vectors) = Decompose(a, n, n);
        double[] expected = [.. lambda.OrderByDescending(x => x)];

        // Backward-stable tridiagonal route: errors are a small multiple of n·ε·‖A‖ (‖A‖ ≤ 10 here).
        double tolerance = 10 * n * Eps * 10;
        Assert.That(values, Is.EqualTo(expected).AsCollection.Within(tolerance));
        (double residual, double orthogonality) = Quality(a, n, values, vectors, n);
        Assert.That(residual, Is.LessThan(tolerance));
        Assert.That(orthogonality, Is.LessThan(10 * n * Eps));
    }

    [Test]
    public void Decompose_RepeatedEigenvalues_OrthonormalEigenspaceBasis()
    {
        int n = 60;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            // Multiplicities 20, 15, 15, then 10 distinct values.
            lambda[i] = i < 20 ? 3 : i < 35 ? 1 : i < 50 ? -2 : i * 0.01;
        }

        double[] a = WithSpectrum(lambda, 7);
        (double[] values, double[] vectors) = Decompose(a, n, n);
        Assert.That(values, Is.EqualTo(lambda.OrderByDescending(x => x).ToArray()).AsCollection.Within(100 * n * Eps));
        (double residual, double orthogonality) = Quality(a, n, values, vectors, n);
        Assert.That(residual, Is.LessThan(100 * n * Eps));
        Assert.That(orthogonality, Is.LessThan(10 * n * Eps));
    }

    [Test]
    public void Decompose_DiagonalMatrix_ExactValuesAndUnitVectors()
    {
        double[] diagonal = [4, -1, 7, 0, 7, 2.5];
        int n = diagonal.Length;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            a[(i * n) + i] = diagonal[i];
        }

        (double[] values, double[] vectors) = Decompose(a, n, n);
        Assert.That(values, Is.EqualTo(new double[] { 7, 7, 4, 2.5, 0, -1 }).AsCollection);
        for (int r = 0; r < n; r++)
        {
            double[] row = vectors.AsSpan(r * n, n).ToArray();
            Assert.That(row.Count(x => x != 0), Is.EqualTo(1), $"vector {r} is a unit vector");
            int at = Array.FindIndex(row, x => x != 0);
            Assert.That(Math.Abs(row[at]), Is.EqualTo(1));
            Assert.That(diagonal[at], Is.EqualTo(values[r]));
        }

        (_, double orthogonality) = Quality(a, n, values, vectors, n);
        Assert.That(orthogonality, Is.Zero);
    }

    [Test]
    public void Decompose_ZeroMatrix_ZeroValuesOrthonormalVectors()
    {
        int n = 9;
        (double[] values, double[] vectors) = Decompose(new double[n * n], n, n);
        Assert.That(values, Is.All.Zero);
        (double residual, double orthogonality) = Quality(new double[n * n], n, values, vectors, n);
        Assert.That(residual, Is.Zero);
        Assert.That(orthogonality, Is.Zero);
    }

    [Test]
    public void Decompose_TopKSubset_MatchesFullDecompositionUpToSign()
    {
        int n = 120;
        var rng = new Random(3);
        double[] lambda = [.. Enumerable.Range(0, n).Select(i => Math.Exp(-i / 10.0) + (rng.NextDouble() * 1e-3))];
        double[] a = WithSpectrum(lambda, 11);
        (double[] values, double[] all) = Decompose(a, n, n);
        (double[] values5, double[] top) = Decompose(a, n, 5);
        Assert.That(values5, Is.EqualTo(values).AsCollection);
        for (int r = 0; r < 5; r++)
        {
            double dot = 0;
            for (int j = 0; j < n; j++)
            {
                dot += all[(r * n) + j] * top[(r * n) + j];
            }

            Assert.That(Math.Abs(dot), Is.EqualTo(1).Within(1e-12), $"vector {r}");
        }
    }

    [Test]
    public void Decompose_AnyThreadCount_BitIdentical()
    {
        int n = 300;
        var rng = new Random(8);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = rng.NextDouble() - 0.5;
            }
        }

        (double[] v1, double[] x1) = Decompose(a, n, 40, 1);
        foreach (int threads in new[] { 2, 3 })
        {
            (double[] v2, double[] x2) = Decompose(a, n, 40, threads);
            Assert.That(v2, Is.EqualTo(v1).AsCollection, $"threads={threads}");
            Assert.That(x2, Is.EqualTo(x1).AsCollection, $"threads={threads}");
        }
    }

    [Test]
    public void Decompose_Random2000_TopVectorsSatisfyResidualAndTrace()
    {
        int n = 2000;
        int k = 6;
        var rng = new Random(2000);
        double[] a = new double[n * n];
        double trace = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = rng.NextDouble() - 0.5;
            }

            trace += a[(i * n) + i];
        }

        (double[] values, double[] vectors) = Decompose(a, n, k);
        for (int i = 1; i < n; i++)
        {
            Assert.That(values[i], Is.LessThanOrEqualTo(values[i - 1]));
        }

        // ‖A‖ ≈ √n·0.58 ≈ 26 for this Wigner-like matrix.
        Assert.That(values.Sum(), Is.EqualTo(trace).Within(n * 26 * Eps * 10));
        (double residual, double orthogonality) = Quality(a, n, values, vectors, k);
        Assert.That(residual, Is.LessThan(10 * n * Eps * 26));
        Assert.That(orthogonality, Is.LessThan(1e-13));
    }

    private static (double[] Values, double[] Vectors) Largest(double[] a, int n, int k, int threads = 0)
    {
        double[] values = SymmetricEigen.ComputeLargest(new ReadOnlySpan2D<double>(a, n, n), k, out double[][] rows, threads);
        return (values, [.. rows.SelectMany(r => r)]);
    }

    [TestCase(50, 50)]
    [TestCase(200, 40)]
    [TestCase(600, 40)]
    [TestCase(301, 13)]
    public void ComputeLargest_KnownSpectrum_RecoversTopEigenpairs(int n, int k)
    {
        var rng = new Random(n + k);
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = (rng.NextDouble() * 20) - 10;
        }

        double[] a = WithSpectrum(lambda, n + 2);
        (double[] values, double[] vectors) = Largest(a, n, k);
        double[] expected = [.. lambda.OrderByDescending(x => x).Take(k)];

        // Bisection to max(ε·‖T‖, 2ε·|λ|) on a backward-stable reduction: same bound as the QL route (‖A‖ ≤ 10).
        double tolerance = 10 * n * Eps * 10;
        Assert.That(values, Is.EqualTo(expected).AsCollection.Within(tolerance));
        for (int r = 1; r < k; r++)
        {
            Assert.That(values[r], Is.LessThanOrEqualTo(values[r - 1]));
        }

        (double residual, double orthogonality) = Quality(a, n, values, vectors, k);
        Assert.That(residual, Is.LessThan(tolerance));
        Assert.That(orthogonality, Is.LessThan(10 * n * Eps));
    }

    [Test]
    public void ComputeLargest_RepeatedTopEigenvalues_OrthonormalEigenspaceBasis()
    {
        // Top 12: multiplicity 5 at 3, multiplicity 4 at 2, then three distinct; the rest below.
        int n = 150;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = i < 5 ? 3 : i < 9 ? 2 : i < 12 ? 1.5 - (i * 0.01) : -1 + (i * 0.001);
        }

        double[] a = WithSpectrum(lambda, 17);
        (double[] values, double[] vectors) = Largest(a, n, 12);
        Assert.That(values, Is.EqualTo(lambda.OrderByDescending(x => x).Take(12).ToArray()).AsCollection.Within(100 * n * Eps));
        (double residual, double orthogonality) = Quality(a, n, values, vectors, 12);
        Assert.That(residual, Is.LessThan(100 * n * Eps));
        Assert.That(orthogonality, Is.LessThan(10 * n * Eps));
    }

    [Test]
    public void ComputeLargest_RandomMatrix_MatchesFullDecomposition()
    {
        int n = 250;
        int k = 20;
        var rng = new Random(250);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = rng.NextDouble() - 0.5;
            }
        }

        (double[] all, double[] full) = Decompose(a, n, k);
        (double[] values, double[] top) = Largest(a, n, k);

        // Both are within a few ε·‖A‖ of the truth (‖A‖ ≈ √n·0.58 ≈ 9); the eigenvalue gaps here are ≳ 1e-2, so the
        // vectors agree up to sign to ~ε‖A‖/gap.
        Assert.That(values, Is.EqualTo(all.Take(k).ToArray()).AsCollection.Within(n * Eps * 9));
        for (int r = 0; r < k; r++)
        {
            double dot = 0;
            for (int j = 0; j < n; j++)
            {
                dot += full[(r * n) + j] * top[(r * n) + j];
            }

            Assert.That(Math.Abs(dot), Is.EqualTo(1).Within(1e-10), $"vector {r}");
        }
    }

    [Test]
    public void ComputeLargest_SplitTridiagonal_FallsBackAndStaysExact()
    {
        // A diagonal matrix reduces to a fully split tridiagonal: the QL route answers.
        double[] diagonal = [4, -1, 7, 0, 7, 2.5];
        int n = diagonal.Length;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            a[(i * n) + i] = diagonal[i];
        }

        (double[] values, double[] vectors) = Largest(a, n, 3);
        Assert.That(values, Is.EqualTo(new double[] { 7, 7, 4 }).AsCollection);
        (double residual, double orthogonality) = Quality(a, n, values, vectors, 3);
        Assert.That(residual, Is.Zero);
        Assert.That(orthogonality, Is.Zero);
    }

    [Test]
    public void ComputeLargest_AnyThreadCount_BitIdentical()
    {
        int n = 300;
        var rng = new Random(9);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                a[(i * n) + j] = a[(j * n) + i] = rng.NextDouble() - 0.5;
            }
        }

        (double[] v1, double[] x1) = Largest(a, n, 40, 1);
        foreach (int threads in new[] { 2, 3 })
        {
            (double[] v2, double[] x2) = Largest(a, n, 40, threads);
            Assert.That(v2, Is.EqualTo(v1).AsCollection, $"threads={threads}");
            Assert.That(x2, Is.EqualTo(x1).AsCollection, $"threads={threads}");
        }
    }

    [Test]
    public void Decompose_BadInput_ThrowsNamingParameter()
    {
        Assert.That(
            () => SymmetricEigen.Decompose(new ReadOnlySpan2D<double>(new double[6], 2, 3), new double[2], default),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("a"));
        double[] nan = [1, 0, double.NaN, 1];
        Assert.That(
            () => SymmetricEigen.Decompose(new ReadOnlySpan2D<double>(nan, 2, 2), new double[2], default),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("a"));
        Assert.That(
            () => SymmetricEigen.Decompose(new ReadOnlySpan2D<double>(new double[4], 2, 2), new double[3], default),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("eigenvalues"));
        Assert.That(
            () => SymmetricEigen.Decompose(new ReadOnlySpan2D<double>(new double[4], 2, 2), new double[2], new Span2D<double>(new double[6], 3, 2)),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("eigenvectors"));
    }
}
