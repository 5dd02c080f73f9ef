using System.Numerics.Tensors;

namespace FashionCore.Models.Linear;

/// <summary>
/// Limited-memory BFGS run as scipy 1.10's L-BFGS-B runs an unbounded problem for sklearn 1.2.1: 10 correction pairs,
/// the first step along −∇F with length 1, MINPACK's Moré–Thuente line search (<see cref="MoreThuenteSearch"/>; ftol
/// 1e-3, gtol 0.9, xtol 0.1, at most 20 evaluations; its warnings accept the step), a pair skipped when
/// sᵀy ≤ ε·(−sᵀ∇F_k), the memory dropped and the iteration restarted along −∇F when the search fails (an abnormal stop
/// when the memory was already empty); stop when max|∇F| ≤ tol (gtol) or the relative reduction
/// (f_k − f_{k+1})/max(|f_k|, |f_{k+1}|, 1) ≤ 2.22e-9 (ftol), at most max_iter iterations.
/// </summary>
/// <remarks>
/// Without bounds L-BFGS-B's generalised Cauchy point and subspace minimisation give the quasi-Newton step −H·∇F that
/// the two-loop recursion computes here (H₀ = sᵀy/yᵀy of the newest pair), so the iterates are scipy's up to rounding;
/// on long, ill-conditioned runs rounding can still steer the two apart.
/// </remarks>
internal static class LbfgsSolver
{
    private const int Memory = 10;
    private const double FunctionTolerance = 2.220446049250313e-09;
    private const double MachineEpsilon = 2.220446049250313e-16;
    private const int MaxLineSearchEvaluations = 20;

    public static (double[] W, int Iterations, bool Converged, double FinalGradient) Solve<T>(LogisticObjective<T> f, int maxIterations, double tolerance, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int len = f.Length;
        double[] w = new double[len];
        double[] g = new double[len];
        double[] d = new double[len];
        double[] trial = new double[len];
        double[] trialGradient = new double[len];
        double[][] s = [.. Enumerable.Range(0, Memory).Select(_ => new double[len])];
        double[][] y = [.. Enumerable.Range(0, Memory).Select(_ => new double[len])];
        double[] rho = new double[Memory];
        double[] alphas = new double[Memory];
        int stored = 0;
        int newest = -1;
        double value = f.ValueAndGradient(w, g);
        bool converged = false;
        int k = 0;
        double maxGradient = Math.Abs(TensorPrimitives.MaxMagnitude<double>(g));
        while (k < maxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (maxGradient <= tolerance)
            {
                converged = true;
                break;
            }

            // Two-loop recursion: d = −H·g (d = −g with no pairs).
            g.CopyTo(d, 0);
            for (int m = 0; m < stored; m++)
            {
                int idx = (newest - m + Memory) % Memory;
                alphas[idx] = rho[idx] * TensorPrimitives.Dot<double>(s[idx], d);
                TensorPrimitives.MultiplyAdd(y[idx], -alphas[idx], d, d);
            }

            if (stored > 0)
            {
                TensorPrimitives.Multiply(d, 1.0 / (rho[newest] * TensorPrimitives.Dot<double>(y[newest], y[newest])), d);
            }

            for (int m = stored - 1; m >= 0; m--)
            {
                int idx = (newest - m + Memory) % Memory;
                double beta = rho[idx] * TensorPrimitives.Dot<double>(y[idx], d);
                TensorPrimitives.MultiplyAdd(s[idx], alphas[idx] - beta, d, d);
            }

            TensorPrimitives.Negate(d, d);
            double slope = TensorPrimitives.Dot<double>(g, d);

            // lnsrlb: the very first step has length 1, every later one starts at the full quasi-Newton step.
            double step = k == 0 ? Math.Min(1.0 / TensorPrimitives.Norm<double>(d), 1e10) : 1.0;
            (LineSearchTask task, double alpha, double newValue, _) = slope < 0
                ? LineSearch.MoreThuente(f, new MoreThuenteSearch(1e-3, 0.9, 0.1, 0.0, 1e10), w, value, slope, d, step, MaxLineSearchEvaluations, trial, trialGradient)
                : (LineSearchTask.Error, 0.0, value, 0);
            if (task is LineSearchTask.Evaluate or LineSearchTask.Error)
            {
                if (stored == 0)
                {
                    break; // scipy: ABNORMAL_TERMINATION_IN_LNSRCH
                }

                // scipy: RESTART_FROM_LNSRCH, from the same point with the memory dropped (not an iteration).
                stored = 0;
                newest = -1;
                continue;
            }

            // The pair s = α·d, y = ∇F_{k+1} − ∇F_k, with sᵀy from the directional derivatives as L-BFGS-B forms it.
            double newSlope = TensorPrimitives.Dot<double>(trialGradient, d);
            double sy = (newSlope - slope) * alpha;
            if (sy > MachineEpsilon * (-slope * alpha))
            {
                int next = (newest + 1) % Memory;
                TensorPrimitives.Multiply(d, alpha, s[next]);
                TensorPrimitives.Subtract(trialGradient, g, y[next]);
                rho[next] = 1.0 / sy;
                newest = next;
                stored = Math.Min(stored + 1, Memory);
            }

            trial.CopyTo(w, 0);
            trialGradient.CopyTo(g, 0);
            double previous = value;
            value = newValue;
            k++;
            maxGradient = Math.Abs(TensorPrimitives.MaxMagnitude<double>(g));
            if (k < maxIterations && maxGradient > tolerance
                && (previous - value) / Math.Max(Math.Max(Math.Abs(previous), Math.Abs(value)), 1.0) <= FunctionTolerance)
            {
                converged = true;
                break;
            }
        }

        if (!converged)
        {
            converged = maxGradient <= tolerance;
        }

        return (w, k, converged, maxGradient);
    }
}
