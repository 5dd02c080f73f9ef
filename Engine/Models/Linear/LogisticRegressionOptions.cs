using FashionCore.Internals;

namespace FashionCore.Models.Linear;

/// <summary>
/// Options of <see cref="LogisticRegression"/>, mirroring scikit-learn 1.2.1's <c>LogisticRegression</c> constructor.
/// </summary>
/// <remarks>
/// The one deliberate difference is the default <see cref="Solver"/>: <see cref="LogisticRegressionSolver.Saga"/>
/// (sklearn: <c>'lbfgs'</c>), because it is the study's solver, supports every penalty and is by far the fastest here.
/// Pass <c>Solver = LogisticRegressionSolver.Lbfgs</c> for sklearn's default behaviour.
/// </remarks>
public sealed record LogisticRegressionOptions
{
    /// <summary>The penalty (sklearn <c>penalty</c>, default <see cref="LogisticRegressionPenalty.L2"/>).</summary>
    public LogisticRegressionPenalty Penalty { get; init; } = LogisticRegressionPenalty.L2;

    /// <summary>Inverse regularisation strength, &gt; 0 (sklearn <c>C</c>, default 1).</summary>
    public double C { get; init; } = 1.0;

    /// <summary>Fit an (unpenalised) intercept per class (sklearn <c>fit_intercept</c>, default <see langword="true"/>).</summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary>The solver (sklearn <c>solver</c>); default <see cref="LogisticRegressionSolver.Saga"/>, see remarks on the type.</summary>
    public LogisticRegressionSolver Solver { get; init; } = LogisticRegressionSolver.Saga;

    /// <summary>Multi-class scheme (sklearn <c>multi_class</c>, default <see cref="LogisticRegressionMultiClass.Auto"/>).</summary>
    public LogisticRegressionMultiClass MultiClass { get; init; } = LogisticRegressionMultiClass.Auto;

    /// <summary>Maximum epochs (SAG/SAGA) or iterations (newton-cg, lbfgs), ≥ 1 (sklearn <c>max_iter</c>, default 100).</summary>
    /// <remarks>
    /// sklearn 1.2.1 also accepts 0, with solver-dependent results: zero weights with <c>n_iter_</c> 1 (sag, saga) or 0
    /// (newton-cg), and one step anyway for lbfgs (scipy checks its limit only after an iteration). That is rejected here.
    /// </remarks>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stopping tolerance, ≥ 0 (sklearn <c>tol</c>, default 1e-4). SAG/SAGA: max|ΔW|/max|W| per epoch; newton-cg/lbfgs: max gradient.</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Elastic-net mixing ρ in [0, 1] (checked whenever set); required for (and only used by) <see cref="LogisticRegressionPenalty.ElasticNet"/> (sklearn <c>l1_ratio</c>).</summary>
    public double? L1Ratio { get; init; }

    /// <summary>
    /// Seed of the SAG/SAGA sample order, like an integer sklearn <c>random_state</c> (same seed ⇒ sklearn's exact draws,
    /// with the default <see cref="SampleOrder"/>).
    /// <see langword="null"/> draws a seed from <see cref="System.Random.Shared"/> (not reproducible, like sklearn's <c>None</c>).
    /// </summary>
    public uint? RandomState { get; init; }

    /// <summary>
    /// The order in which SAGA visits the samples (no sklearn counterpart; default
    /// <see cref="LogisticRegressionSampleOrder.WithReplacement"/>, sklearn's draws).
    /// <see cref="LogisticRegressionSampleOrder.Shuffled"/> is rejected with <see cref="LogisticRegressionSolver.Sag"/>
    /// and ignored by newton-cg and lbfgs (which visit no samples in turn, as they ignore <see cref="RandomState"/>).
    /// </summary>
    public LogisticRegressionSampleOrder SampleOrder { get; init; } = LogisticRegressionSampleOrder.WithReplacement;

    /// <summary>The multi-class scheme actually used for <paramref name="classCount"/> classes (sklearn's <c>_check_multi_class</c>).</summary>
    /// <param name="classCount">Number of distinct labels.</param>
    /// <returns><see cref="LogisticRegressionMultiClass.Ovr"/> or <see cref="LogisticRegressionMultiClass.Multinomial"/>.</returns>
    public LogisticRegressionMultiClass ResolveMultiClass(int classCount) => MultiClass switch
    {
        LogisticRegressionMultiClass.Auto => classCount <= 2 ? LogisticRegressionMultiClass.Ovr : LogisticRegressionMultiClass.Multinomial,
        _ => MultiClass,
    };

    /// <summary>
    /// The options set here that a fit ignores, which scikit-learn 1.2.1's <c>LogisticRegression.fit</c> warns of
    /// (UserWarning) rather than rejects: <see cref="L1Ratio"/> set with a penalty other than
    /// <see cref="LogisticRegressionPenalty.ElasticNet"/>, and <see cref="C"/> other than 1 with
    /// <see cref="LogisticRegressionPenalty.None"/>. The fit itself does not report them: a host that wants sklearn's
    /// warnings asks here (the <c>fashion</c> tool prints one line per name).
    /// </summary>
    /// <returns>The ignored properties' names (<c>L1Ratio</c>, then <c>C</c>); empty when nothing is ignored.</returns>
    public IReadOnlyList<string> IgnoredSettings()
    {
        bool ratio = L1Ratio is not null && Penalty != LogisticRegressionPenalty.ElasticNet;
        // sklearn compares C with its default exactly: an explicit C = 1 is not reported either.
        bool c = Penalty == LogisticRegressionPenalty.None && C != 1.0;
        return (ratio, c) switch
        {
            (true, true) => [nameof(L1Ratio), nameof(C)],
            (true, false) => [nameof(L1Ratio)],
            (false, true) => [nameof(C)],
            _ => [],
        };
    }

    /// <summary>Checks every value and combination scikit-learn 1.2.1 rejects.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A single option is out of range.</exception>
    /// <exception cref="ArgumentException">A combination is invalid (solver vs penalty, elastic-net without a ratio, SAG with shuffled epochs).</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Penalty))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Penalty), Penalty, "Unknown penalty.");
        }

        if (!Enum.IsDefined(Solver))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Solver), Solver, "Unknown solver.");
        }

        if (!Enum.IsDefined(MultiClass))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(MultiClass), MultiClass, "Unknown multi-class scheme.");
        }

        if (!Enum.IsDefined(SampleOrder))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(SampleOrder), SampleOrder, "Unknown sample order.");
        }

        if (!(C > 0))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(C), C, "C must be > 0 (it is the inverse regularisation strength).");
        }

        if (MaxIterations < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(MaxIterations), MaxIterations, "MaxIterations must be ≥ 1.");
        }

        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Tolerance), Tolerance, "Tolerance must be finite and ≥ 0.");
        }

        // sklearn checks l1_ratio's range whatever the penalty (it only uses it for elasticnet), with the other ranges,
        // before the solver/penalty combination.
        if (L1Ratio is double ratio && !(ratio >= 0 && ratio <= 1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(L1Ratio), ratio, $"L1Ratio must be between 0 and 1 (Penalty={Penalty}).");
        }

        if (Solver != LogisticRegressionSolver.Saga && Penalty is LogisticRegressionPenalty.L1 or LogisticRegressionPenalty.ElasticNet)
        {
            ThrowHelper.ThrowArgument(
                $"Solver={Solver} supports only Penalty=L2 or None, got Penalty={Penalty}; use Solver=Saga for L1/ElasticNet.",
                nameof(Penalty));
        }

        if (SampleOrder == LogisticRegressionSampleOrder.Shuffled && Solver == LogisticRegressionSolver.Sag)
        {
            ThrowHelper.ThrowArgument(
                "SampleOrder=Shuffled is for Solver=Saga: SAG's biased step converges worse over shuffled epochs than over draws with replacement.",
                nameof(SampleOrder));
        }

        if (Penalty == LogisticRegressionPenalty.ElasticNet && L1Ratio is null)
        {
            ThrowHelper.ThrowArgument("Penalty=ElasticNet requires L1Ratio (a value in [0, 1]).", nameof(L1Ratio));
        }
    }
}
