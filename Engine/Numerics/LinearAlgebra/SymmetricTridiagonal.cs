using System.Runtime.Intrinsics;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// Eigenvalues (implicit QL) and selected eigenvectors (inverse iteration) of a symmetric tridiagonal matrix with
/// diagonal d[0..n) and off-diagonal e[0..n−1) (e[i] couples i and i+1).
/// </summary>
internal static class SymmetricTridiagonal
{
    private const int MaxQlIterations = 60;
    private const int MaxInverseIterations = 10;

    /// <summary>
    /// Splits at negligible off-diagonals (|e_i| ≤ ε·(|d_i| + |d_{i+1}|), set to 0) and returns the start of the
    /// unreduced block containing each index.
    /// </summary>
    public static int[] Split(Span<double> d, Span<double> e)
    {
        int n = d.Length;
        int[] blockStart = new int[n];
        int start = 0;
        for (int i = 0; i < n; i++)
        {
            blockStart[i] = start;
            if (i < n - 1 && Math.Abs(e[i]) <= double.Epsilon + (Eps * (Math.Abs(d[i]) + Math.Abs(d[i + 1]))))
            {
                e[i] = 0;
                start = i + 1;
            }
        }

        return blockStart;
    }

    private static double Eps => Math.ScaleB(1.0, -52);

    // sqrt(a² + b²) is several times faster than double.Hypot; fall back to it only when the squares overflow or
    // underflow.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static double SafeHypot(double a, double b)
    {
        double s = (a * a) + (b * b);
        return s is > 1e-290 and < 1e290 ? Math.Sqrt(s) : double.Hypot(a, b);
    }

    /// <summary>Eigenvalues of the block [start, end) by implicit QL with Wilkinson-like shifts (no vectors).</summary>
    public static void Eigenvalues(ReadOnlySpan<double> d, ReadOnlySpan<double> e, int start, int end, Span<double> values)
    {
        int n = end - start;
        double[] dd = d.Slice(start, n).ToArray();
        double[] ee = new double[n];
        e.Slice(start, n - 1).CopyTo(ee);
        // Absolute floor for the deflation test: where neighbouring diagonal entries are (near) zero — a rank-deficient
        // covariance, e.g. fewer samples than features or constant pixels — the purely relative test can never be met
        // by a tiny but non-zero off-diagonal. Dropping |e| ≤ ε·‖T‖ perturbs eigenvalues by at most ε·‖T‖ (backward stable).
        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            norm = Math.Max(norm, Math.Abs(dd[i]) + Math.Abs(ee[i]) + (i > 0 ? Math.Abs(ee[i - 1]) : 0));
        }

        double floor = Eps * norm;
        for (int l = 0; l < n; l++)
        {
            int iter = 0;
            int m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double s = Math.Abs(dd[m]) + Math.Abs(dd[m + 1]);
                    if (Math.Abs(ee[m]) <= Eps * s || Math.Abs(ee[m]) <= floor)
                    {
                        break;
                    }
                }

                if (m != l)
                {
                    if (iter++ == MaxQlIterations)
                    {
                        throw new ArithmeticException("Implicit QL did not converge (non-finite input?).");
                    }

                    double g = (dd[l + 1] - dd[l]) / (2 * ee[l]);
                    double r = SafeHypot(g, 1);
                    g = dd[m] - dd[l] + (ee[l] / (g + Math.CopySign(r, g)));
                    double s = 1;
                    double c = 1;
                    double p = 0;
                    int i;
                    bool underflow = false;
                    for (i = m - 1; i >= l; i--)
                    {
                        double f = s * ee[i];
                        double b = c * ee[i];
                        r = SafeHypot(f, g);
                        ee[i + 1] = r;
                        if (r == 0)
                        {
                            dd[i + 1] -= p;
                            ee[m] = 0;
                            underflow = true;
                            break;
                        }

                        s = f / r;
                        c = g / r;
                        g = dd[i + 1] - p;
                        r = ((dd[i] - g) * s) + (2 * c * b);
                        p = s * r;
                        dd[i + 1] = g + p;
                        g = (c * r) - b;
                    }

                    if (underflow)
                    {
                        continue;
                    }

                    dd[l] -= p;
                    ee[l] = g;
                    ee[m] = 0;
                }
            }
            while (m != l);
        }

        dd.CopyTo(values);
    }

    /// <summary>
    /// The largest <c>values.Length</c> eigenvalues of the whole tridiagonal matrix, descending, by bisection on Sturm
    /// counts (LAPACK <c>dstebz</c>'s tolerances), eight eigenvalues per vector.
    /// </summary>
    /// <remarks>
    /// The Sturm recurrence q_i = (d_i − x) − e²_{i−1}/q_{i−1} is backward stable (pivots smaller than pivmin become
    /// −pivmin), and each eigenvalue is bisected until its interval is below max(ε·‖T‖, 2ε·|λ|): the same absolute
    /// accuracy as QL. Every eigenvalue's bisection depends only on its own index, so the result does not depend on
    /// how they are grouped into vectors. Costs O(count·n·log(‖T‖/ε)) instead of QL's O(n²) with square roots.
    /// </remarks>
    public static void LargestEigenvalues(ReadOnlySpan<double> d, ReadOnlySpan<double> e, Span<double> values)
    {
        int n = d.Length;
        int count = values.Length;
        double[] e2 = new double[Math.Max(1, n - 1)];
        double low = double.PositiveInfinity;
        double high = double.NegativeInfinity;
        double maxE2 = 0;
        for (int i = 0; i < n; i++)
        {
            double left = i > 0 ? Math.Abs(e[i - 1]) : 0;
            double right = i < n - 1 ? Math.Abs(e[i]) : 0;
            low = Math.Min(low, d[i] - left - right);
            high = Math.Max(high, d[i] + left + right);
            if (i < n - 1)
            {
                e2[i] = e[i] * e[i];
                maxE2 = Math.Max(maxE2, e2[i]);
            }
        }

        // dstebz: pivmin = safe minimum·max(1, max e²); Gershgorin bounds widened by a few ulps of the norm.
        const double SafeMinimum = 2.2250738585072014e-308;
        double pivmin = SafeMinimum * Math.Max(1, maxE2);
        double norm = Math.Max(Math.Abs(low), Math.Abs(high));
        const double Fudge = 2.1;
        low -= (Fudge * norm * Eps * n) + (Fudge * 2 * pivmin);
        high += (Fudge * norm * Eps * n) + (Fudge * 2 * pivmin);
        double absoluteTolerance = Eps * norm;
        double relativeTolerance = 2 * Eps;
        const int Lanes = 8;
        double[] lo = new double[Lanes];
        double[] hi = new double[Lanes];
        double[] target = new double[Lanes];
        for (int g = 0; g < count; g += Lanes)
        {
            int lanes = Math.Min(Lanes, count - g);
            for (int l = 0; l < Lanes; l++)
            {
                // Eigenvalue g + l from the top is the (n − 1 − g − l)-th smallest: the least x with more than that
                // many eigenvalues below it. Unused lanes repeat the last one.
                target[l] = n - 1 - (g + Math.Min(l, lanes - 1));
                lo[l] = low;
                hi[l] = high;
            }

            Bisect(d, e2, pivmin, absoluteTolerance, relativeTolerance, target, lo, hi);
            for (int l = 0; l < lanes; l++)
            {
                values[g + l] = 0.5 * (lo[l] + hi[l]);
            }
        }
    }

    /// <summary>Bisects each lane's [lo, hi] until it brackets the lane's eigenvalue to the tolerance.</summary>
    private static void Bisect(
        ReadOnlySpan<double> d, double[] e2, double pivmin, double absoluteTolerance, double relativeTolerance, double[] target, double[] lo, double[] hi)
    {
        const int MaxIterations = 200;
        int n = d.Length;
        Vector512<double> index = Vector512.Create(target);
        Vector512<double> a = Vector512.Create(lo);
        Vector512<double> b = Vector512.Create(hi);
        Vector512<double> half = Vector512.Create(0.5);
        Vector512<double> minusPivmin = Vector512.Create(-pivmin);
        Vector512<double> pivminV = Vector512.Create(pivmin);
        Vector512<double> one = Vector512<double>.One;
        Vector512<double> absTol = Vector512.Create(Math.Max(absoluteTolerance, pivmin));
        Vector512<double> relTol = Vector512.Create(relativeTolerance);
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            Vector512<double> width = b - a;
            Vector512<double> tolerance = Vector512.Max(absTol, relTol * Vector512.Max(Vector512.Abs(a), Vector512.Abs(b)));
            Vector512<double> open = Vector512.GreaterThan(width, tolerance);
            if (open == Vector512<double>.Zero)
            {
                break;
            }

            Vector512<double> x = half * (a + b);
            Vector512<double> q = Vector512.Create(d[0]) - x;
            q = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(q), pivminV), minusPivmin, q);
            Vector512<double> below = Vector512.ConditionalSelect(Vector512.LessThan(q, Vector512<double>.Zero), one, Vector512<double>.Zero);
            for (int i = 1; i < n; i++)
            {
                q = Vector512.Create(d[i]) - x - (Vector512.Create(e2[i - 1]) / q);
                q = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(q), pivminV), minusPivmin, q);
                below += Vector512.ConditionalSelect(Vector512.LessThan(q, Vector512<double>.Zero), one, Vector512<double>.Zero);
            }

            // More than `index` eigenvalues below x: the eigenvalue is below x. Converged lanes stay as they are.
            Vector512<double> eigenvalueBelow = Vector512.GreaterThan(below, index);
            b = Vector512.ConditionalSelect(open & eigenvalueBelow, x, b);
            a = Vector512.ConditionalSelect(open & ~eigenvalueBelow, x, a);
        }

        a.CopyTo(lo);
        b.CopyTo(hi);
    }

    /// <summary>
    /// Unit eigenvectors of the unreduced block [start, end) for <paramref name="lambdas"/> (ascending), written to
    /// rows of <paramref name="vectors"/> (length-n rows, zero outside the block).
    /// </summary>
    /// <remarks>
    /// LAPACK <c>dstein</c>'s scheme: LU with partial pivoting of T − λI, a deterministic pseudo-random start, a
    /// growth test, perturbation of (nearly) equal eigenvalues and Gram–Schmidt against the vectors already computed
    /// for eigenvalues in the same cluster (gap ≤ 10⁻³·‖T‖₁), which keeps repeated eigenvalues orthogonal.
    /// </remarks>
    public static void InverseIteration(ReadOnlySpan<double> d, ReadOnlySpan<double> e, int start, int end, ReadOnlySpan<double> lambdas, Span<double[]> vectors)
    {
        int bs = end - start;
        if (bs == 1)
        {
            for (int q = 0; q < lambdas.Length; q++)
            {
                Array.Clear(vectors[q]);
                vectors[q][start] = 1;
            }

            return;
        }

        double norm = 0;
        for (int i = 0; i < bs; i++)
        {
            double s = Math.Abs(d[start + i]) + (i > 0 ? Math.Abs(e[start + i - 1]) : 0) + (i < bs - 1 ? Math.Abs(e[start + i]) : 0);
            norm = Math.Max(norm, s);
        }

        double ortol = 1e-3 * norm;
        double criterion = Math.Sqrt(0.1 / bs);
        double[] dl = new double[bs];
        double[] dg = new double[bs];
        double[] du = new double[bs];
        double[] du2 = new double[bs];
        bool[] swap = new bool[bs];
        double[] x = new double[bs];
        int clusterStart = 0;
        double previous = double.NegativeInfinity;
        uint seed = 0x9E3779B9u;
        for (int q = 0; q < lambdas.Length; q++)
        {
            double lambda = lambdas[q];
            if (q > 0 && lambdas[q] - lambdas[q - 1] > ortol)
            {
                clusterStart = q;
            }

            // Separate (nearly) equal eigenvalues so inverse iteration can converge to different vectors.
            double pertol = 10 * Math.Abs(Eps * lambda) + (Eps * norm);
            if (q > 0 && lambda - previous < pertol)
            {
                lambda = previous + pertol;
            }

            previous = lambda;
            Factor(d.Slice(start, bs), e.Slice(start, bs - 1), lambda, norm, dl, dg, du, du2, swap);
            for (int i = 0; i < bs; i++)
            {
                seed = (seed * 1664525u) + 1013904223u;
                x[i] = ((seed >> 8) * (1.0 / (1 << 24))) - 0.5;
            }

            int converged = 0;
            for (int it = 0; it < MaxInverseIterations && converged < 2; it++)
            {
                // Scale the right-hand side to unit 1-norm, solve, and judge convergence by the growth.
                double l1 = 0;
                for (int i = 0; i < bs; i++)
                {
                    l1 += Math.Abs(x[i]);
                }

                for (int i = 0; i < bs; i++)
                {
                    x[i] /= l1;
                }

                Solve(dl, dg, du, du2, swap, x);
                for (int pass = 0; pass < 2; pass++)
                {
                    for (int r = clusterStart; r < q; r++)
                    {
                        double[] y = vectors[r];
                        double dot = 0;
                        for (int i = 0; i < bs; i++)
                        {
                            dot += y[start + i] * x[i];
                        }

                        for (int i = 0; i < bs; i++)
                        {
                            x[i] -= dot * y[start + i];
                        }
                    }
                }

                double max = 0;
                for (int i = 0; i < bs; i++)
                {
                    max = Math.Max(max, Math.Abs(x[i]));
                }

                if (max * bs * norm * Eps >= criterion)
                {
                    converged++;
                }
            }

            double sum = 0;
            for (int i = 0; i < bs; i++)
            {
                sum += x[i] * x[i];
            }

            double inv = 1 / Math.Sqrt(sum);
            double[] v = vectors[q];
            Array.Clear(v);
            for (int i = 0; i < bs; i++)
            {
                v[start + i] = x[i] * inv;
            }
        }
    }

    /// <summary>LU with partial pivoting of T − λI (LAPACK <c>dgttrf</c>); tiny pivots become ε‖T‖.</summary>
    private static void Factor(
        ReadOnlySpan<double> d, ReadOnlySpan<double> e, double lambda, double norm, double[] dl, double[] dg, double[] du, double[] du2, bool[] swap)
    {
        int n = d.Length;
        for (int i = 0; i < n; i++)
        {
            dg[i] = d[i] - lambda;
            du2[i] = 0;
            swap[i] = false;
            if (i < n - 1)
            {
                dl[i] = e[i];
                du[i] = e[i];
            }
        }

        for (int i = 0; i < n - 1; i++)
        {
            if (Math.Abs(dg[i]) >= Math.Abs(dl[i]))
            {
                double fact = dg[i] != 0 ? dl[i] / dg[i] : 0;
                dl[i] = fact;
                dg[i + 1] -= fact * du[i];
            }
            else
            {
                double fact = dg[i] / dl[i];
                dg[i] = dl[i];
                dl[i] = fact;
                double temp = du[i];
                du[i] = dg[i + 1];
                dg[i + 1] = temp - (fact * dg[i + 1]);
                if (i < n - 2)
                {
                    du2[i] = du[i + 1];
                    du[i + 1] = -fact * du[i + 1];
                }

                swap[i] = true;
            }
        }

        double tiny = Eps * Math.Max(norm, double.Epsilon);
        for (int i = 0; i < n; i++)
        {
            if (Math.Abs(dg[i]) < tiny)
            {
                dg[i] = dg[i] < 0 ? -tiny : tiny;
            }
        }
    }

    private static void Solve(double[] dl, double[] dg, double[] du, double[] du2, bool[] swap, double[] x)
    {
        int n = x.Length;
        for (int i = 0; i < n - 1; i++)
        {
            if (swap[i])
            {
                (x[i], x[i + 1]) = (x[i + 1], x[i] - (dl[i] * x[i + 1]));
            }
            else
            {
                x[i + 1] -= dl[i] * x[i];
            }
        }

        x[n - 1] /= dg[n - 1];
        if (n > 1)
        {
            x[n - 2] = (x[n - 2] - (du[n - 2] * x[n - 1])) / dg[n - 2];
        }

        for (int i = n - 3; i >= 0; i--)
        {
            x[i] = (x[i] - (du[i] * x[i + 1]) - (du2[i] * x[i + 2])) / dg[i];
        }
    }
}
