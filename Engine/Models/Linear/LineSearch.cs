using System.Numerics.Tensors;

namespace FashionCore.Models.Linear;

/// <summary>
/// scipy's Moré–Thuente line search along a direction p from w, driven by F and ∇F·p (<see cref="MoreThuente"/>); its
/// fallback in newton-cg is <see cref="WolfeZoomSearch"/>.
/// </summary>
internal static class LineSearch
{
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
}
