namespace FashionCore.Models.Linear;

/// <summary>The constants of one SAG/SAGA run, set up exactly as sklearn 1.2.1's <c>sag_solver</c>.</summary>
/// <param name="ClassCount">K: the number of weight columns (1 for a binary problem).</param>
/// <param name="Multinomial">Softmax loss over K columns (else binary log-loss with y ∈ {−1, +1}).</param>
/// <param name="Saga">SAGA (else SAG).</param>
/// <param name="AlphaScaled">L2 strength divided by n (α_s).</param>
/// <param name="BetaScaled">L1 strength divided by n (β_s).</param>
/// <param name="StepSize">η from <c>get_auto_step_size</c>.</param>
/// <param name="MaxIterations">Maximum epochs.</param>
/// <param name="Tolerance">Stopping tolerance on max|ΔW|/max|W|.</param>
/// <param name="Seed">The xorshift32 state (from the random state through MT19937).</param>
/// <param name="FitIntercept">Whether to fit intercepts.</param>
internal readonly record struct SagProblem(
    int ClassCount,
    bool Multinomial,
    bool Saga,
    double AlphaScaled,
    double BetaScaled,
    double StepSize,
    int MaxIterations,
    double Tolerance,
    uint Seed,
    bool FitIntercept)
{
    /// <summary>
    /// Catch each feature up with sklearn's lagged step sums, V −= (cs_t − cs_h)·A, instead of the U-form
    /// (W = s·(U − cs·A)), whose dot products x·A grow like n·max‖x‖² and overflow for rows near double's range, where
    /// sklearn's do not (<see cref="SagSolver"/> only; the lanes always use the U-form).
    /// </summary>
    public bool LaggedUpdates { get; init; }

    /// <summary>
    /// Visit the samples epoch by epoch in fresh permutations (<see cref="LogisticRegressionSampleOrder.Shuffled"/>)
    /// instead of sklearn's draws with replacement; see <see cref="SagDraws"/>.
    /// </summary>
    public bool Shuffled { get; init; }

    /// <summary>
    /// The feature values are the rows' elements times this (byte rows: 1/divisor, see
    /// <see cref="LogisticRegression.Fit(CommunityToolkit.HighPerformance.ReadOnlyMemory2D{byte}, double, ReadOnlyMemory{int}, CancellationToken)"/>);
    /// 1 for float and double rows. Only <see cref="SagLaneSplitSolver"/> reads rows of another scale.
    /// </summary>
    public double RowScale { get; init; } = 1.0;

    /// <summary>sklearn <c>get_auto_step_size</c> (same formula for the binary and the multinomial loss).</summary>
    public static double AutoStepSize(double maxSquaredSum, double alphaScaled, bool fitIntercept, int n, bool saga)
    {
        double l = (0.25 * (maxSquaredSum + (fitIntercept ? 1 : 0))) + alphaScaled;
        if (saga)
        {
            double mun = Math.Min(2 * n * alphaScaled, l);
            return 1.0 / ((2 * l) + mun);
        }

        return 1.0 / l;
    }
}
