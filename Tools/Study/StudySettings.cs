using FashionCore.Features.Hog;
using FashionCore.Models.Linear;

namespace FashionCore.Tools.Study;

/// <summary>The validated values of the options the feature-taking commands share (see <c>StudyOptionSet</c>).</summary>
internal sealed record StudySettings
{
    /// <summary>The study's HOG: <c>hog(image, orientations=8)</c>, otherwise skimage's defaults.</summary>
    public static readonly HogOptions StudyHog = new() { Orientations = 8 };

    /// <summary>The study's PCA size.</summary>
    public const int StudyComponents = 40;

    /// <summary><c>--scale</c>; <see langword="null"/> means the study's default for the feature set (<see cref="FeaturePipelines.DefaultScale"/>).</summary>
    public ScaleKind? Scale { get; init; }

    /// <summary>HOG options (<c>--orientations --cell --block --block-norm --transform-sqrt</c>).</summary>
    public HogOptions Hog { get; init; } = StudyHog;

    /// <summary>PCA components (<c>--components</c>).</summary>
    public int Components { get; init; } = StudyComponents;

    /// <summary>Logistic regression (<c>--solver --multi-class --penalty --C --l1-ratio --max-iter --tol</c>; random state from <c>--seed</c>).</summary>
    public LogisticRegressionOptions LogisticRegression { get; init; } = new() { RandomState = 0 };

    /// <summary><c>--seed</c>: the estimators' random state.</summary>
    public uint Seed { get; init; }

    /// <summary><c>--threads</c>: worker threads of the parallel stages.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The scaler actually used for <paramref name="kind"/>.</summary>
    public ScaleKind ScaleFor(FeatureKind kind) => Scale ?? FeaturePipelines.DefaultScale(kind);
}
