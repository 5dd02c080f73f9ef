using CommunityToolkit.HighPerformance;
using CommunityToolkit.HighPerformance.Buffers;
using FashionCore.Abstractions;
using FashionCore.Features;
using FashionCore.Internals;
using FashionCore.Numerics;

namespace FashionCore.Selection;

/// <summary>
/// A chain of transformer estimators ending in a classifier estimator — scikit-learn's <c>Pipeline</c> — and itself a
/// classifier estimator: <see cref="Fit"/> fits each step on the previous step's output and returns an immutable
/// <see cref="PipelineModel"/>.
/// </summary>
/// <remarks>
/// Options of any step are addressable as <c>step.option</c> (<c>pca.Components</c>, <c>logreg.C</c>, or sklearn's
/// <c>logreg__max_iter</c>) via <see cref="EstimatorOptions"/>; grid search uses the same names. Leading steps that are
/// <see cref="IStatelessTransformerEstimator"/>s (HOG, x/255) are applied once to all rows by cross-validation and grid
/// search instead of once per fold (<see cref="StatelessPrefixLength"/>). Intermediate features during Fit live in pooled
/// buffers that are returned when the next step has been fitted, so estimators must not keep a reference to their
/// training rows (the house contract: models hold only what they learned).
/// </remarks>
public sealed class Pipeline : IClassifierEstimator<PipelineModel>, ICompositeEstimator
{
    private readonly TransformStep[] _transforms;
    private readonly string[] _names;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="transforms">The transformer steps in order (may be empty).</param>
    /// <param name="classifierName">The final step's name (e.g. <c>logreg</c>).</param>
    /// <param name="classifier">The final classifier estimator.</param>
    /// <exception cref="ArgumentException">A null step, or a bad or duplicate step name.</exception>
    public Pipeline(IReadOnlyList<TransformStep> transforms, string classifierName, IClassifierEstimator<IClassifier> classifier)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        ArgumentNullException.ThrowIfNull(classifierName);
        ArgumentNullException.ThrowIfNull(classifier);
        foreach (TransformStep step in transforms)
        {
            if (step?.Estimator is null)
            {
                ThrowHelper.ThrowArgument("Pipeline steps and their estimators must not be null.", nameof(transforms));
            }
        }

        _transforms = [.. transforms];
        _names = [.. transforms.Select(t => t.Name), classifierName];
        StepNames.Validate(_names, nameof(transforms));
        ClassifierName = classifierName;
        Classifier = classifier;
    }

    /// <summary>The transformer steps, in order.</summary>
    public IReadOnlyList<TransformStep> Transforms => _transforms;

    /// <summary>The final step's name.</summary>
    public string ClassifierName { get; }

    /// <summary>The final classifier estimator.</summary>
    public IClassifierEstimator<IClassifier> Classifier { get; }

    /// <inheritdoc/>
    IReadOnlyList<string> ICompositeEstimator.StepNames => _names;

    /// <summary>Number of leading transformer steps whose fit does not depend on the rows (see <see cref="IStatelessTransformerEstimator"/>).</summary>
    public int StatelessPrefixLength
    {
        get
        {
            int k = 0;
            while (k < _transforms.Length && IsStateless(_transforms[k].Estimator))
            {
                k++;
            }

            return k;
        }
    }

    /// <summary>Fits every step in order on the previous step's output.</summary>
    /// <param name="x">n×d training rows.</param>
    /// <param name="y">n labels.</param>
    /// <param name="cancellationToken">Checked between steps and passed to each.</param>
    /// <returns>The fitted pipeline.</returns>
    /// <exception cref="ArgumentException">Whatever a step rejects (shapes, labels, NaN).</exception>
    public PipelineModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken = default) =>
        FitFrom(0, [], x, y, cancellationToken);

    /// <inheritdoc/>
    public object GetStep(string name)
    {
        int index = StepNames.IndexOf(_names, name);
        return index == _transforms.Length ? Classifier : _transforms[index].Estimator;
    }

    /// <inheritdoc/>
    public object WithStep(string name, object estimator)
    {
        int index = StepNames.IndexOf(_names, name);
        if (index == _transforms.Length)
        {
            if (estimator is not IClassifierEstimator<IClassifier> classifier)
            {
                ThrowHelper.ThrowArgument($"Step '{name}' needs a classifier estimator, not {estimator?.GetType().Name ?? "null"}.", nameof(estimator));
                return null!;
            }

            return new Pipeline(_transforms, ClassifierName, classifier);
        }

        if (estimator is not ITransformerEstimator<ITransformer> transformer)
        {
            ThrowHelper.ThrowArgument($"Step '{name}' needs a transformer estimator, not {estimator?.GetType().Name ?? "null"}.", nameof(estimator));
            return null!;
        }

        TransformStep[] steps = (TransformStep[])_transforms.Clone();
        steps[index] = steps[index] with { Estimator = transformer };
        return new Pipeline(steps, ClassifierName, Classifier);
    }

    internal static bool IsStateless(object estimator) =>
        estimator is IStatelessTransformerEstimator || estimator is FeatureUnion { IsStateless: true };

    /// <summary>Fits steps <paramref name="start"/>… on <paramref name="x"/>, which is the output of the already fitted <paramref name="prefix"/>.</summary>
    internal PipelineModel FitFrom(int start, ITransformer[] prefix, ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken)
    {
        ITransformer[] models = new ITransformer[_transforms.Length];
        prefix.CopyTo(models, 0);
        ReadOnlyMemory2D<float> current = x;
        MemoryOwner<float>? owner = null;
        try
        {
            for (int i = start; i < _transforms.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ITransformer model = _transforms[i].Estimator.Fit(current, cancellationToken);
                models[i] = model;
                MemoryOwner<float> next = PooledArray.Allocate<float>(current.Height * model.OutputFeatureCount);
                Memory2D<float> output = next.Memory.AsMemory2D(current.Height, model.OutputFeatureCount);
                model.Transform(current.Span, output.Span);
                owner?.Dispose();
                owner = next;
                current = output;
            }

            cancellationToken.ThrowIfCancellationRequested();
            IClassifier classifier = Classifier.Fit(current, y, cancellationToken);
            return new PipelineModel(_names, models, classifier);
        }
        finally
        {
            owner?.Dispose();
        }
    }
}
