using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;

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
    public TransformChain(IReadOnlyList<TransformStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        _steps = [.. steps];
        if (_steps.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != _steps.Length)
        {
            throw new ArgumentException("Transform chain step names must be unique.", nameof(steps));
        }
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<TransformStep> Steps => _steps;

    /// <inheritdoc/>
    IReadOnlyList<string> ICompositeEstimator.StepNames => [.. _steps.Select(s => s.Name)];

    /// <summary>Fits each step on the previous step's output.</summary>
    public TransformChainModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default)
    {
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
