using System.Numerics.Tensors;

namespace FashionCore.Models.Linear;

/// <summary>
/// Line searches along a direction p from w: scipy's Moré–Thuente search (<see cref="MoreThuente"/>), and a plain
/// strong-Wolfe search (c1 = 1e-4, c2 = 0.9) that tries the step 1 first, then brackets and bisects (the fallback when
/// the first fails, where scipy falls back to its <c>line_search_wolfe2</c>).
/// </summary>
internal static class LineSearch
{
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const int MaxEvaluations = 40;

    /// <summary>
    /// Drives <paramref name="search"/> from step <paramref name="step"/>: evaluates F and ∇F·p at each step it asks for
    /// until it stops or <paramref name="maxEvaluations"/> evaluations were made. On return
    /// <paramref name="trial"/>, <paramref name="trialGradient"/> and F's cached state are at the last step evaluated,
    /// which is the returned step when the task is not <see cref="LineSearchTask.Evaluate"/> or an error.
    /// </summary>
    /// <returns>The final task (<see cref="LineSearchTask.Evaluate"/>: out of evaluations), the step, F there, and the evaluations made.</returns>
    public static (LineSearchTask Task, double Step, double Value, int Evaluations) MoreThuente<T>(
        LogisticObjective<T> f, MoreThuenteSearch search, double[] w, double value, double slope, double[] direction,
        double step, int maxEvaluations, double[] trial, double[] trialGradient)
        where T : unmanaged
    {
        double v = value, d = slope;
        for (int evaluations = 0; ; evaluations++)
        {
            LineSearchTask task = search.Next(ref step, v, d);
            if (task != LineSearchTask.Evaluate || evaluations == maxEvaluations)
            {
                return (task, step, v, evaluations);
            }

            TensorPrimitives.MultiplyAdd(direction, step, w, trial);
            v = f.ValueAndGradient(trial, trialGradient);
            d = TensorPrimitives.Dot<double>(trialGradient, direction);
        }
    }

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
