using System.Numerics.Tensors;

namespace FashionCore.Models.Linear;

/// <summary>
/// Limited-memory BFGS with scipy L-BFGS-B's stopping rules as sklearn 1.2.1 sets them: 10 correction pairs,
/// stop when max|∇F| ≤ tol (gtol) or the relative reduction (f_k − f_{k+1})/max(|f_k|, |f_{k+1}|, 1) ≤ 2.22e-9 (ftol),
/// at most max_iter iterations.
/// </summary>
/// <remarks>
/// Same objective and stopping tests as scipy, not scipy's exact iterates (its Moré–Thuente line search and
/// Cauchy-point machinery are not replicated): on converged problems the objective agrees to ~1e-9 relative.
/// </remarks>
internal static class LbfgsSolver
{
    private const int Memory = 10;
    private const double FunctionTolerance = 2.220446049250313e-09;

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

            // Two-loop recursion: d = −H·g.
            g.CopyTo(d, 0);
            for (int m = 0; m < stored; m++)
            {
                int idx = (newest - m + Memory) % Memory;
                alphas[idx] = rho[idx] * TensorPrimitives.Dot<double>(s[idx], d);
                TensorPrimitives.MultiplyAdd(y[idx], -alphas[idx], d, d);
            }

            if (stored > 0)
            {
                double gamma = TensorPrimitives.Dot<double>(s[newest], y[newest]) / TensorPrimitives.Dot<double>(y[newest], y[newest]);
                TensorPrimitives.Multiply(d, gamma, d);
            }
            else
            {
                // First step: unit length along −g (scipy also starts with a normalised steepest-descent step).
                TensorPrimitives.Multiply(d, 1.0 / TensorPrimitives.Norm<double>(d), d);
            }

            for (int m = stored - 1; m >= 0; m--)
            {
                int idx = (newest - m + Memory) % Memory;
                double beta = rho[idx] * TensorPrimitives.Dot<double>(y[idx], d);
                TensorPrimitives.MultiplyAdd(s[idx], alphas[idx] - beta, d, d);
            }

            TensorPrimitives.Negate(d, d);
            (double alpha, double newValue) = LineSearch.StrongWolfe(f, w, value, g, d, trial, trialGradient);
            if (double.IsNaN(alpha))
            {
                break; // scipy: ABNORMAL_TERMINATION_IN_LNSRCH
            }

            int next = (newest + 1) % Memory;
            TensorPrimitives.Multiply(d, alpha, s[next]);
            TensorPrimitives.Subtract(trialGradient, g, y[next]);
            double sy = TensorPrimitives.Dot<double>(s[next], y[next]);
            if (sy > 2.220446049250313e-16 * TensorPrimitives.Dot<double>(y[next], y[next]))
            {
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
            if ((previous - value) / Math.Max(Math.Max(Math.Abs(previous), Math.Abs(value)), 1.0) <= FunctionTolerance)
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
