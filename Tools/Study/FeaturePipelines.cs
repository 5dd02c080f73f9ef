using FashionCore.Abstractions;
using FashionCore.Features;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Selection;

namespace FashionCore.Tools.Study;

/// <summary>
/// Turns a feature set and the shared options into engine estimators: the transform steps from raw pixels (floats
/// 0..255) to features, and the full pipeline ending in logistic regression.
/// </summary>
/// <remarks>
/// Step names (for <c>--grid</c> and model files): <c>scale</c>, <c>hog</c>, <c>pca</c>, <c>logreg</c>; for
/// <c>pca+hog</c> the first step is <c>union</c> with the parts <c>pca</c> (itself <c>scale</c> → <c>pca</c>) and
/// <c>hog</c>. <c>--scale</c> scales the input of PCA for <c>pca+hog</c>; its HOG part always sees the raw pixels,
/// as in the study.
/// </remarks>
internal static class FeaturePipelines
{
    /// <summary>The study's scaling: x/255 for pixels, standardization before PCA, raw pixels for HOG.</summary>
    public static ScaleKind DefaultScale(FeatureKind kind) => kind switch
    {
        FeatureKind.Pixels => ScaleKind.X255,
        FeatureKind.Hog => ScaleKind.None,
        _ => ScaleKind.Standard,
    };

    /// <summary>The scaler estimator of <paramref name="scale"/> (<see langword="null"/> for none).</summary>
    public static ITransformerEstimator<ITransformer>? Scaler(ScaleKind scale) => scale switch
    {
        ScaleKind.X255 => new PixelScaler(),
        ScaleKind.Standard => new StandardScaler(),
        ScaleKind.MinMax => new MinMaxScaler(),
        _ => null,
    };

    /// <summary>The transform steps from raw pixels to the features of <paramref name="kind"/>.</summary>
    public static IReadOnlyList<TransformStep> Transforms(FeatureKind kind, StudySettings settings)
    {
        List<TransformStep> steps = [];
        ITransformerEstimator<ITransformer>? scaler = Scaler(settings.ScaleFor(kind));
        if (kind == FeatureKind.PcaHog)
        {
            List<TransformStep> pcaPart = [];
            if (scaler is not null)
            {
                pcaPart.Add(new("scale", scaler));
            }

            pcaPart.Add(new("pca", Pca(settings)));
            steps.Add(new("union", new FeatureUnion([new("pca", new TransformChain(pcaPart)), new("hog", new Hog(settings.Hog))])));
            return steps;
        }

        if (scaler is not null)
        {
            steps.Add(new("scale", scaler));
        }

        if (kind == FeatureKind.Hog)
        {
            steps.Add(new("hog", new Hog(settings.Hog)));
        }
        else if (kind == FeatureKind.Pca)
        {
            steps.Add(new("pca", Pca(settings)));
        }

        return steps;
    }

    /// <summary>The transform of <paramref name="kind"/> as one estimator (fit on training pixels, then apply to any split).</summary>
    public static TransformChain Features(FeatureKind kind, StudySettings settings) => new(Transforms(kind, settings));

    /// <summary>The study's classifier on <paramref name="kind"/>: the transform steps, then logistic regression (<c>logreg</c>) with random state <c>--seed</c>.</summary>
    public static Pipeline Classifier(FeatureKind kind, StudySettings settings) =>
        new(Transforms(kind, settings), "logreg", new LogisticRegression(settings.LogisticRegression with { RandomState = settings.Seed }));

    private static Pca Pca(StudySettings settings) =>
        new(new PcaOptions { Components = settings.Components, MaxDegreeOfParallelism = settings.Threads });
}
