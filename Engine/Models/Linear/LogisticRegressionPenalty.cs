namespace FashionCore.Models.Linear;

/// <summary>The regularisation term of <see cref="LogisticRegression"/> (scikit-learn <c>penalty</c>).</summary>
public enum LogisticRegressionPenalty
{
    /// <summary><c>'l2'</c>: (1/2C)·‖W‖²; supported by every solver (the default).</summary>
    L2,

    /// <summary><c>'l1'</c>: (1/C)·‖W‖₁; SAGA only.</summary>
    L1,

    /// <summary><c>'elasticnet'</c>: (1/C)·(ρ‖W‖₁ + (1−ρ)/2·‖W‖²) with ρ = <see cref="LogisticRegressionOptions.L1Ratio"/>; SAGA only.</summary>
    ElasticNet,

    /// <summary><c>None</c>: no penalty (C is ignored).</summary>
    None,
}
