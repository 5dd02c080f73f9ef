using System.Runtime.CompilerServices;

namespace FashionCore.Models.Linear;

/// <summary>The per-feature loops of <see cref="SagSolver"/> over the K weights of each touched feature (generic K).</summary>
internal static class SagKernels
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value<T>(ReadOnlySpan<T> row, int j)
        where T : unmanaged
    {
        T value = row[j];
        return typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value)
            : typeof(T) == typeof(byte) ? Unsafe.As<T, byte>(ref value)
            : Unsafe.As<T, double>(ref value);
    }

    /// <summary>Brings the touched features up to step <paramref name="t"/> with the L1 prox, replaying each pending step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CatchUpProx(ReadOnlySpan<int> nz, Span<double> v, ReadOnlySpan<double> a, Span<int> h, ReadOnlySpan<double> cs, ReadOnlySpan<double> cp, int t, int k)
    {
        foreach (int j in nz)
        {
            ReplayProx(v.Slice(j * k, k), a.Slice(j * k, k), cs, cp, h[j], t);
            h[j] = t;
        }
    }

    /// <summary>
    /// Brings the touched features up to step <paramref name="t"/> without a prox: V −= (cs[t] − cs[h])·A, sklearn's
    /// lagged update.
    /// </summary>
    public static void CatchUp(ReadOnlySpan<int> nz, Span<double> v, ReadOnlySpan<double> a, Span<int> h, ReadOnlySpan<double> cs, int t, int k)
    {
        foreach (int j in nz)
        {
            SubtractScaled(v.Slice(j * k, k), a.Slice(j * k, k), cs[t] - cs[h[j]]);
            h[j] = t;
        }
    }

    /// <summary>
    /// Applies steps <paramref name="from"/> … <paramref name="to"/>−1 in order: V ← S(V − Δ_l·A, Δp_l), the exact
    /// sequence of sklearn's dense loop (one step per call there). Soft-thresholding steps do not commute, so the
    /// order matters once more than one step is pending.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReplayProx(Span<double> vj, ReadOnlySpan<double> aj, ReadOnlySpan<double> cs, ReadOnlySpan<double> cp, int from, int to)
    {
        for (int l = from; l < to; l++)
        {
            double gs = cs[l + 1] - cs[l];
            double ps = cp[l + 1] - cp[l];
            for (int c = 0; c < vj.Length; c++)
            {
                double w = vj[c] - (gs * aj[c]);
                vj[c] = Math.Max(w - ps, 0.0) - Math.Max(-w - ps, 0.0);
            }
        }
    }

    /// <summary>v −= factor·a.</summary>
    public static void SubtractScaled(Span<double> v, ReadOnlySpan<double> a, double factor)
    {
        for (int c = 0; c < v.Length; c++)
        {
            v[c] -= factor * a[c];
        }
    }

    /// <summary>z_c = Σ_j x_j·V[j, c] over the touched features, in feature order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot<T>(ReadOnlySpan<int> nz, ReadOnlySpan<T> row, ReadOnlySpan<double> v, Span<double> z, int k)
        where T : unmanaged
    {
        z.Clear();
        foreach (int j in nz)
        {
            double xj = Value(row, j);
            ReadOnlySpan<double> vj = v.Slice(j * k, k);
            for (int c = 0; c < k; c++)
            {
                z[c] += xj * vj[c];
            }
        }
    }

    /// <summary>V_j += x_j·coef and A_j += x_j·δ for the touched features.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<T>(ReadOnlySpan<int> nz, ReadOnlySpan<T> row, Span<double> v, Span<double> a, ReadOnlySpan<double> delta, ReadOnlySpan<double> coef, int k)
        where T : unmanaged
    {
        foreach (int j in nz)
        {
            double xj = Value(row, j);
            Span<double> vj = v.Slice(j * k, k);
            Span<double> aj = a.Slice(j * k, k);
            for (int c = 0; c < k; c++)
            {
                vj[c] += xj * coef[c];
                aj[c] += xj * delta[c];
            }
        }
    }
}
