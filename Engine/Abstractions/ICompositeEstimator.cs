namespace FashionCore.Abstractions;

/// <summary>
/// An estimator made of named child estimators (pipeline, feature union), so options of any step are addressable as
/// <c>step.option</c> or <c>step.child.option</c>.
/// </summary>
public interface ICompositeEstimator
{
    /// <summary>The step names, in order.</summary>
    IReadOnlyList<string> StepNames { get; }

    /// <summary>The estimator of step <paramref name="name"/> (ordinal, case-insensitive match).</summary>
    /// <param name="name">The step name.</param>
    /// <returns>The child estimator.</returns>
    /// <exception cref="ArgumentException">No step has that name.</exception>
    object GetStep(string name);

    /// <summary>Returns a copy of this estimator with step <paramref name="name"/> replaced; this one is unchanged.</summary>
    /// <param name="name">The step name.</param>
    /// <param name="estimator">The new child estimator, of a kind the step accepts.</param>
    /// <returns>The new composite.</returns>
    /// <exception cref="ArgumentException">No step has that name, or the estimator does not fit the step.</exception>
    object WithStep(string name, object estimator);
}
