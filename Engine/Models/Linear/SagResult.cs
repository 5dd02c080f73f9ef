namespace FashionCore.Models.Linear;

/// <summary>What one SAG/SAGA run returns.</summary>
/// <param name="Weights">d×K true weights, row-major (feature j's K weights contiguous).</param>
/// <param name="Intercept">K intercepts.</param>
/// <param name="Iterations">Epochs run (sklearn <c>n_iter_</c>).</param>
/// <param name="Converged">Whether the stopping test was met.</param>
/// <param name="FinalChange">max|ΔW|/max|W| of the last epoch.</param>
internal readonly record struct SagResult(double[] Weights, double[] Intercept, int Iterations, bool Converged, double FinalChange);
