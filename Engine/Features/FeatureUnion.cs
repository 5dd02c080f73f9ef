using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features;

/// <summary>
/// Fits several transformers on the same rows and concatenates their outputs column-wise, in part order — scikit-learn's
/// <c>FeatureUnion</c> (the study's "mix1" = PCA features next to HOG features).
/// </summary>
/// <remarks>Options of a part are addressed as <c>part.option</c> (e.g. <c>pca.Components</c>) through <see cref="ICompositeEstimator"/>.</remarks>
public sealed class FeatureUnion : ITransformerEstimator<FeatureUnionModel>, ICompositeEstimator
{
    private readonly TransformStep[] _parts;
    private readonly string[] _names;

    /// <summary>Creates the union.</summary>
    /// <param name="parts">At least one named transformer; names unique (case-insensitive), without '.' or "__".</param>
    /// <exception cref="ArgumentException">No parts, a null part, or a bad/duplicate name.</exception>
    public FeatureUnion(IReadOnlyList<TransformStep> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            ThrowHelper.ThrowArgument("A feature union needs at least one part.", nameof(parts));
        }

        foreach (TransformStep part in parts)
        {
            if (part?.Estimator is null)
            {
                ThrowHelper.ThrowArgument("Feature union parts and their estimators must not be null.", nameof(parts));
            }
        }

        _parts = [.. parts];
        _names = [.. parts.Select(p => p.Name)];
        StepNames.Validate(_names, nameof(parts));
    }

    /// <summary>The parts, in output column order.</summary>
    public IReadOnlyList<TransformStep> Parts => _parts;

    /// <inheritdoc/>
    IReadOnlyList<string> ICompositeEstimator.StepNames => _names;

    /// <summary>Whether every part is an <see cref="IStatelessTransformerEstimator"/> (then so is the union as a whole).</summary>
    public bool IsStateless => Array.TrueForAll(_parts, p => p.Estimator is IStatelessTransformerEstimator || p.Estimator is FeatureUnion { IsStateless: true });

    /// <summary>Fits every part on <paramref name="x"/>, in order.</summary>
    /// <param name="x">n×d training rows.</param>
    /// <param name="cancellationToken">Checked between parts and passed to each.</param>
    /// <returns>The fitted union.</returns>
    public FeatureUnionModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default)
    {
        ITransformer[] models = new ITransformer[_parts.Length];
        for (int i = 0; i < _parts.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            models[i] = _parts[i].Estimator.Fit(x, cancellationToken);
        }

        return new FeatureUnionModel(_names, models);
    }

    /// <inheritdoc/>
    public object GetStep(string name) => _parts[StepNames.IndexOf(_names, name)].Estimator;

    /// <inheritdoc/>
    public object WithStep(string name, object estimator)
    {
        int index = StepNames.IndexOf(_names, name);
        if (estimator is not ITransformerEstimator<ITransformer> transformer)
        {
            ThrowHelper.ThrowArgument($"Part '{name}' needs a transformer estimator, not {estimator?.GetType().Name ?? "null"}.", nameof(estimator));
            return null!;
        }

        TransformStep[] parts = (TransformStep[])_parts.Clone();
        parts[index] = parts[index] with { Estimator = transformer };
        return new FeatureUnion(parts);
    }
}
