using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Selection;

/// <summary>
/// Transformer estimators applied one after the other, itself a transformer estimator — what the study's "mix1" needs
/// inside a feature union: the PCA part is StandardScaler → PCA while the HOG part sees the raw pixels.
/// </summary>
/// <remarks>
/// scikit-learn spells this a <c>Pipeline</c> without a final estimator. <see cref="Pipeline"/> ends in a classifier and
/// <see cref="Features.FeatureUnion"/> parts are single transformers, so a chain is how one union part can be scaler → PCA. It is a
/// composite, so grid search reaches its options as <c>union.pca.pca.n_components</c>; its fitted model can be saved.
/// </remarks>
public sealed class TransformChain : ITransformerEstimator<TransformChainModel>, ICompositeEstimator
{
    private readonly TransformStep[] _steps;

    /// <summary>Creates the chain (no steps: the identity).</summary>
    /// <param name="steps">The transformer steps in order (may be empty); names unique (case-insensitive), without '.' or "__",
    /// as <see cref="Pipeline"/> requires, so that <see cref="EstimatorOptions"/> can address every step.</param>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A null step or estimator, or a bad or duplicate step name.</exception>
    public TransformChain(IReadOnlyList<TransformStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        foreach (TransformStep step in steps)
        {
            if (step?.Estimator is null)
            {
                ThrowHelper.ThrowArgument("Transform chain steps and their estimators must not be null.", nameof(steps));
            }
        }

        _steps = [.. steps];
        StepNames.Validate(_steps.Select(s => s.Name), nameof(steps));
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<TransformStep> Steps => _steps;

    /// <inheritdoc/>
    IReadOnlyList<string> ICompositeEstimator.StepNames => [.. _steps.Select(s => s.Name)];

    /// <summary>Fits each step on the previous step's output.</summary>
    /// <param name="x">n×d training rows, d ≥ 1.</param>
    /// <param name="cancellationToken">Checked before each step and passed to it.</param>
    /// <returns>The fitted chain.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has no columns, or whatever a step rejects.</exception>
    public TransformChainModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default)
    {
        // Checked here because an empty chain has no step to reject it, and its model needs a positive input width.
        if (x.Width < 1)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one column.", nameof(x));
        }

        ITransformer[] models = new ITransformer[_steps.Length];
        ReadOnlyMemory2D<float> current = x;
        for (int i = 0; i < _steps.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            models[i] = _steps[i].Estimator.Fit(current, cancellationToken);
            if (i < _steps.Length - 1)
            {
                float[] next = new float[current.Height * models[i].OutputFeatureCount];
                var output = new Memory2D<float>(next, current.Height, models[i].OutputFeatureCount);
                models[i].Transform(current.Span, output.Span);
                current = output;
            }
        }

        return new TransformChainModel([.. _steps.Select(s => s.Name)], models, x.Width);
    }

    /// <inheritdoc/>
    public object GetStep(string name) => _steps[IndexOf(name)].Estimator;

    /// <inheritdoc/>
    public object WithStep(string name, object estimator)
    {
        if (estimator is not ITransformerEstimator<ITransformer> transformer)
        {
            throw new ArgumentException($"Step '{name}' needs a transformer estimator, not {estimator?.GetType().Name ?? "null"}.", nameof(estimator));
        }

        TransformStep[] steps = (TransformStep[])_steps.Clone();
        int index = IndexOf(name);
        steps[index] = steps[index] with { Estimator = transformer };
        return new TransformChain(steps);
    }

    private int IndexOf(string name)
    {
        int index = Array.FindIndex(_steps, s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0
            ? index
            : throw new ArgumentException($"Unknown step '{name}'; the steps are: {string.Join(", ", _steps.Select(s => s.Name))}.", nameof(name));
    }
}
