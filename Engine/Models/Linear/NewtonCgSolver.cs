using System.Numerics.Tensors;

namespace FashionCore.Models.Linear;

/// <summary>
/// sklearn 1.2.1's <c>_newton_cg</c>: each outer iteration solves H·p = −∇F by conjugate gradients (≤ 200 inner
/// iterations, stop when Σ|r| ≤ min(0.5, √Σ|∇F|)·Σ|∇F|, sklearn's curvature rules) and then line-searches along p.
/// Stops when max|∇F| ≤ tol.
/// </summary>
/// <remarks>
/// The line search is scipy's <c>line_search_wolfe1</c>: MINPACK's Moré–Thuente search (<see cref="MoreThuenteSearch"/>;
/// c1 = 1e-4, c2 = 0.9, xtol = 1e-14, steps in [1e-8, 50], at most 100 calls) from the step
/// min(1, 1.01·2·(F_k − F_{k−1})/∇F·p) (1 on the first iteration or when that is negative), so the iterates are
/// sklearn's up to rounding. When it fails (a warning, or no convergence), scipy's <c>line_search_wolfe2</c> runs from
/// the same point (<see cref="WolfeZoomSearch"/>), as in sklearn's <c>_line_search_wolfe12</c>; when that finds no step
/// either, the run stops there (sklearn's "Line Search failed").
/// </remarks>
internal static class NewtonCgSolver
{
    private const int MaxInner = 200;
    private const double MachineEpsilon = 2.220446049250313e-16;

    // scalar_search_wolfe1 calls dcsrch at most 100 times: the first call starts, each of the others follows an evaluation.
    private const int MaxLineSearchEvaluations = 99;

    public static (double[] W, int Iterations, bool Converged, double FinalGradient) Solve<T>(LogisticObjective<T> f, int maxIterations, double tolerance, CancellationToken cancellationToken)
        where T : unmanaged
    {
        int len = f.Length;
        double[] w = new double[len];
        double[] g = new double[len];
        double[] p = new double[len];
        double[] r = new double[len];
        double[] q = new double[len];
        double[] hq = new double[len];
        double[] trial = new double[len];
        double[] trialGradient = new double[len];
        double value = f.ValueAndGradient(w, g);
        double previousValue = double.NaN; // scipy's old_old_fval: none before the first step
        int k = 0;
        double maxGradient = Math.Abs(TensorPrimitives.MaxMagnitude<double>(g));
        bool converged = false;
        while (k < maxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            maxGradient = Math.Abs(TensorPrimitives.MaxMagnitude<double>(g));
            if (maxGradient <= tolerance)
            {
                converged = true;
                break;
            }

            double magnitude = TensorPrimitives.SumOfMagnitudes<double>(g);
            double termination = Math.Min(0.5, Math.Sqrt(magnitude)) * magnitude;
            ConjugateGradient(f, g, termination, p, r, q, hq);
            double slope = TensorPrimitives.Dot<double>(g, p);
            double step = 1.0;
            if (!double.IsNaN(previousValue) && slope != 0)
            {
                step = Math.Min(1.0, 1.01 * 2 * (value - previousValue) / slope);
                step = step < 0 ? 1.0 : step;
            }

            (LineSearchTask task, double alpha, double newValue, _) = LineSearch.MoreThuente(
                f, new MoreThuenteSearch(1e-4, 0.9, 1e-14, 1e-8, 50), w, value, slope, p, step, MaxLineSearchEvaluations, trial, trialGradient);
            if (task != LineSearchTask.Converged)
            {
                (alpha, newValue) = WolfeZoomSearch.Search(f, w, value, previousValue, slope, p, trial, trialGradient);
                if (double.IsNaN(alpha))
                {
                    break; // sklearn: "Line Search failed" warning, stop
                }
            }

            TensorPrimitives.MultiplyAdd(p, alpha, w, w);
            previousValue = value;
            value = newValue;
            trialGradient.CopyTo(g, 0);

            // The line search evaluated F at the accepted point last, so the cached probabilities are current.
            k++;
        }

        if (!converged)
        {
            maxGradient = Math.Abs(TensorPrimitives.MaxMagnitude<double>(g));
            converged = maxGradient <= tolerance;
        }

        return (w, k, converged, maxGradient);
    }

    // sklearn _cg: solve H·x = −g approximately; x accumulates in `x`.
    private static void ConjugateGradient<T>(LogisticObjective<T> f, double[] g, double termination, double[] x, double[] r, double[] direction, double[] hp)
        where T : unmanaged
    {
        Array.Clear(x);
        g.CopyTo(r, 0);
        TensorPrimitives.Negate(r, direction);
        double dri0 = TensorPrimitives.Dot<double>(r, r);
        for (int i = 0; i <= MaxInner; i++)
        {
            if (TensorPrimitives.SumOfMagnitudes<double>(r) <= termination)
            {
                break;
            }

            f.HessianVector(direction, hp);
            double curvature = TensorPrimitives.Dot<double>(direction, hp);
            if (curvature >= 0 && curvature <= 3 * MachineEpsilon)
            {
                break;
            }

            if (curvature < 0)
            {
                if (i == 0)
                {
                    TensorPrimitives.MultiplyAdd(direction, dri0 / curvature, x, x);
                }

                break;
            }

            double alpha = dri0 / curvature;
            TensorPrimitives.MultiplyAdd(direction, alpha, x, x);
            TensorPrimitives.MultiplyAdd(hp, alpha, r, r);
            double dri1 = TensorPrimitives.Dot<double>(r, r);
            double beta = dri1 / dri0;
            TensorPrimitives.Multiply(direction, beta, direction);
            TensorPrimitives.Subtract(direction, r, direction);
            dri0 = dri1;
        }
    }
}
