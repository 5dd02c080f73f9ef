namespace FashionCore.Abstractions;

/// <summary>A named transformer estimator: one step of a pipeline or one part of a feature union.</summary>
/// <param name="Name">The step name used in option paths (<c>pca</c> in <c>pca.components</c>); no '.' and no "__".</param>
/// <param name="Estimator">The unfitted transformer.</param>
public sealed record TransformStep(string Name, ITransformerEstimator<ITransformer> Estimator);
