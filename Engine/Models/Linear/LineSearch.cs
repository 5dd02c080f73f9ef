using System.Numerics.Tensors;

namespace FashionCore.Models.Linear;

/// <summary>A strong-Wolfe line search (c1 = 1e-4, c2 = 0.9) that tries the step 1 first, then brackets and bisects.</summary>
internal static class LineSearch
{
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const int MaxEvaluations = 40;

    /// <summary>
    /// Finds α along <paramref name="direction"/> from <paramref name="w"/>; on return <paramref name="trialGradient"/>
    /// holds ∇F(w + α·p) and F's cached state is at that point. Returns NaN for α when no Wolfe point was found.
    /// </summary>
    public static (double Alpha, double Value) StrongWolfe<T>(LogisticObjective<T> f, double[] w, double value, double[] gradient, double[] direction, double[] trial, double[] trialGradient)
        where T : unmanaged
    {
        double slope = TensorPrimitives.Dot<double>(gradient, direction);
        if (!(slope < 0))
        {
            return (double.NaN, value);
        }

        double alpha = 1.0;
        double lo = 0.0;
        double hi = double.PositiveInfinity;
        for (int e = 0; e < MaxEvaluations; e++)
        {
            TensorPrimitives.MultiplyAdd(direction, alpha, w, trial);
            double v = f.ValueAndGradient(trial, trialGradient);
            double d = TensorPrimitives.Dot<double>(trialGradient, direction);
            if (!double.IsFinite(v) || v > value + (C1 * alpha * slope))
            {
                hi = alpha;
            }
            else if (Math.Abs(d) <= -C2 * slope)
            {
                return (alpha, v);
            }
            else if (d > 0)
            {
                hi = alpha;
            }
            else
            {
                lo = alpha;
            }

            alpha = double.IsPositiveInfinity(hi) ? 2 * alpha : 0.5 * (lo + hi);
        }

        return (double.NaN, value);
    }
}
