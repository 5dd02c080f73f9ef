using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Linear;

/// <summary>
/// scikit-learn 1.2.1's SAG/SAGA epoch loop (<c>sag_fast.pyx</c>) for dense rows: the same sample draws, step size,
/// weight scale, just-in-time updates, L1 prox and stopping test, so a seed gives sklearn's model up to rounding.
/// The general path (L1 prox, more than 10 classes, a single binary problem); <see cref="SagLaneSolver"/> runs the
/// common cases.
/// </summary>
/// <remarks>
/// State: unscaled weights V (d×K, true W = s·V), gradient sums A (d×K), per-sample gradient memory G (n×K),
/// cumulative step sums cs/cp and the per-feature step h[j] of the last catch-up. sklearn's dense loop catches up
/// every feature at every step; here only the sample's non-zero features are touched and the others catch up, with
/// the summed pending steps, when next touched or at the flush (sklearn's sparse path). Without the L1 prox the two
/// differ only by rounding; with it the pending steps are replayed one by one in order, which is exactly the dense
/// sequence. Without the prox the weights are kept in the U-form (U = V̂ + cs·A, so x·V̂ = x·U − cs·(x·A) and no catch-up
/// is needed) unless <see cref="SagProblem.LaggedUpdates"/> asks for sklearn's per-feature catch-up. Weights and all
/// arithmetic are double; float input is widened per element.
/// </remarks>
internal static class SagSolver
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SagResult Solve<T>(ReadOnlySpan2D<T> x, ReadOnlySpan<int> y, in SagProblem p, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int n = x.Height;
        int d = x.Width;
        int k = p.ClassCount;
        double eta = p.StepSize;
        bool prox = p.Saga && p.BetaScaled > 0;
        bool lagged = prox || p.LaggedUpdates;
        double[] v = new double[d * k];
        double[] a = new double[d * k];
        double[] previous = new double[d * k];
        double[] g = new double[n * k];
        double[] b = new double[k];
        double[] sumB = new double[k];
        bool[] seen = new bool[n];
        // Cumulative step sums shifted by one (cs[l + 1] is sklearn's cumulative_sums[l], cs[0] = 0), so
        // "pending since h" is cs[t] − cs[h] without a branch for h = 0. Same for the prox sums cp.
        double[] cs = new double[n + 1];
        double[] cp = prox ? new double[n + 1] : [];
        int[] h = new int[d];
        int[] nzBuffer = new int[d + Vector256<int>.Count];
        Span<double> z = k <= 64 ? stackalloc double[k] : new double[k];
        Span<double> grad = k <= 64 ? stackalloc double[k] : new double[k];
        Span<double> delta = k <= 64 ? stackalloc double[k] : new double[k];
        Span<double> coef = k <= 64 ? stackalloc double[k] : new double[k];
        Span<double> zA = k <= 64 ? stackalloc double[k] : new double[k];
        SagDraws order = new(p, n);
        int next = order.Next();
        double scale = 1.0;
        double scaleUpdate = 1.0 - (eta * p.AlphaScaled);
        int seenCount = 0;
        int epoch = 0;
        bool converged = false;
        double change = double.NaN;
        while (epoch < p.MaxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int t = 0; t < n; t++)
            {
                // The draw order does not depend on the weights, so the next sample is known a step ahead: its row
                // and gradient memory are prefetched while this step computes (rows are random, i.e. cache misses).
                int i = next;
                next = order.Next();
                Prefetch(x.GetRowSpan(next), g.AsSpan(next * k, k));
                if (!seen[i])
                {
                    seen[i] = true;
                    seenCount++;
                }

                ReadOnlySpan<T> row = x.GetRowSpan(i);
                ReadOnlySpan<int> nz = nzBuffer.AsSpan(0, SparseRows.Compact(row, nzBuffer));
                if (lagged)
                {
                    if (t > 0 && prox)
                    {
                        SagKernels.CatchUpProx(nz, v, a, h, cs, cp, t, k);
                    }
                    else if (t > 0)
                    {
                        SagKernels.CatchUp(nz, v, a, h, cs, t, k);
                    }

                    SagKernels.Dot(nz, row, v, z, k);
                }
                else
                {
                    // U-form: x·V̂ = x·U − cs[t]·(x·A).
                    SagKernels.Dot(nz, row, v, z, k);
                    SagKernels.Dot(nz, row, a, zA, k);

                    for (int c = 0; c < k; c++)
                    {
                        z[c] -= cs[t] * zA[c];
                    }
                }

                for (int c = 0; c < k; c++)
                {
                    z[c] = (scale * z[c]) + b[c];
                }

                if (p.Multinomial)
                {
                    MultinomialGradient(z, y[i], grad);
                }
                else
                {
                    grad[0] = BinaryGradient(z[0], y[i]);
                }

                scale *= scaleUpdate;
                Span<double> memory = g.AsSpan(i * k, k);
                double fresh = 1.0 - (1.0 / seenCount);
                for (int c = 0; c < k; c++)
                {
                    delta[c] = grad[c] - memory[c];

                    // sklearn: V −= ((x·δ)·η·(1−1/m))/s; the per-class factor is hoisted (rounding-level difference).
                    // In the U-form the A change also moves U by cs[t]·x·δ (U = V̂ + cs[t]·A must keep holding).
                    double step = p.Saga ? delta[c] * eta * fresh / scale : 0.0;
                    coef[c] = lagged ? -step : (cs[t] * delta[c]) - step;
                }

                SagKernels.Update(nz, row, v, a, delta, coef, k);

                if (p.FitIntercept)
                {
                    for (int c = 0; c < k; c++)
                    {
                        double cb = delta[c];
                        sumB[c] += cb;
                        cb *= eta * fresh;
                        b[c] -= p.Saga ? (eta * sumB[c] / seenCount) + cb : eta * sumB[c] / seenCount;
                        if (!double.IsFinite(b[c]))
                        {
                            ThrowOverflow(epoch);
                        }
                    }
                }

                grad.CopyTo(memory);
                cs[t + 1] = cs[t] + (eta / (scale * seenCount));
                if (prox)
                {
                    cp[t + 1] = cp[t] + (eta * p.BetaScaled / scale);
                }

                if (scale < 1e-9)
                {
                    // Rare (η/C ≳ 20): fold the scale into V before it underflows, as sklearn does.
                    Flush(v, a, h, cs, cp, t + 1, n, k, scale, prox, lagged, epoch);
                    cs[t + 1] = 0.0;
                    if (prox)
                    {
                        cp[t + 1] = 0.0;
                    }

                    scale = 1.0;
                }
            }

            Flush(v, a, h, cs, cp, n, n, k, scale, prox, lagged, epoch);
            cs[n] = 0.0;
            if (prox)
            {
                cp[n] = 0.0;
            }

            scale = 1.0;
            epoch++;
            double maxWeight = 0.0;
            double maxChange = 0.0;
            for (int j = 0; j < v.Length; j++)
            {
                maxWeight = Math.Max(maxWeight, Math.Abs(v[j]));
                maxChange = Math.Max(maxChange, Math.Abs(v[j] - previous[j]));
            }

            v.AsSpan().CopyTo(previous);
            change = maxWeight != 0 ? maxChange / maxWeight : (maxChange == 0 ? 0.0 : double.PositiveInfinity);
            if ((maxWeight != 0 && maxChange / maxWeight <= p.Tolerance) || (maxWeight == 0 && maxChange == 0))
            {
                converged = true;
                break;
            }
        }

        return new SagResult(v, b, epoch, converged, change);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch<T>(ReadOnlySpan<T> row, ReadOnlySpan<double> memory)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(row));
            int bytes = row.Length * sizeof(T);
            for (int o = 0; o < bytes; o += 64)
            {
                Sse.Prefetch0(start + o);
            }

            Sse.Prefetch0(Unsafe.AsPointer(ref MemoryMarshal.GetReference(memory)));
        }
    }

    // sklearn lagged_update(reset=True): bring every feature up to `position`, fold the scale into V, restart history.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Flush(double[] v, double[] a, int[] h, double[] cs, double[] cp, int position, int n, int k, double scale, bool prox, bool lagged, int epoch)
    {
        int d = h.Length;
        for (int j = 0; j < d; j++)
        {
            Span<double> vj = v.AsSpan(j * k, k);
            ReadOnlySpan<double> aj = a.AsSpan(j * k, k);
            if (prox)
            {
                SagKernels.ReplayProx(vj, aj, cs, cp, h[j], position);
            }
            else if (lagged)
            {
                SagKernels.SubtractScaled(vj, aj, cs[position] - cs[h[j]]);
            }
            else
            {
                // U-form: V̂ = U − cs[position]·A (the prox path keeps sklearn's per-feature history instead).
                double pending = cs[position];
                SagKernels.SubtractScaled(vj, aj, pending);
            }

            for (int c = 0; c < k; c++)
            {
                vj[c] *= scale;
                if (!double.IsFinite(vj[c]))
                {
                    ThrowOverflow(epoch);
                }
            }

            h[j] = position % n;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultinomialGradient(ReadOnlySpan<double> z, int label, Span<double> grad)
    {
        double max = z[0];
        for (int c = 1; c < z.Length; c++)
        {
            max = Math.Max(max, z[c]);
        }

        double sum = 0.0;
        for (int c = 0; c < z.Length; c++)
        {
            sum += Math.Exp(z[c] - max);
        }

        double lse = Math.Log(sum) + max;
        for (int c = 0; c < z.Length; c++)
        {
            grad[c] = Math.Exp(z[c] - lse);
        }

        grad[label] -= 1.0;
    }

    // sklearn Log.dloss for y ∈ {−1, +1}, with its ±18 cut-offs.
    private static double BinaryGradient(double z, int y)
    {
        double q = z * y;
        if (q > 18.0)
        {
            return Math.Exp(-q) * -y;
        }

        if (q < -18.0)
        {
            return -y;
        }

        return -y / (Math.Exp(q) + 1.0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowOverflow(int epoch) =>
        throw new ArithmeticException($"Floating-point under-/overflow occurred at epoch #{epoch + 1}. Scaling the input features or lowering C may help.");
}
