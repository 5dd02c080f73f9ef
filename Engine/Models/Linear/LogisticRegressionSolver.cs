namespace FashionCore.Models.Linear;

/// <summary>The optimisation algorithm of <see cref="LogisticRegression"/> (scikit-learn <c>solver</c>).</summary>
public enum LogisticRegressionSolver
{
    /// <summary><c>'saga'</c>: stochastic average gradient with unbiased steps; all penalties; the study's solver.</summary>
    Saga,

    /// <summary><c>'sag'</c>: stochastic average gradient; L2 or no penalty.</summary>
    Sag,

    /// <summary><c>'newton-cg'</c>: truncated Newton with conjugate gradients; L2 or no penalty.</summary>
    NewtonCg,

    /// <summary><c>'lbfgs'</c>: limited-memory BFGS (scipy L-BFGS-B); L2 or no penalty.</summary>
    Lbfgs,
}
