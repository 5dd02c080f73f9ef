using FashionCore.Selection;

namespace FashionCore.Tools.Report;

/// <summary>What the report draws and saves besides its numbers.</summary>
/// <param name="FinalModel">The study's final model: x/255 → LogisticRegression(saga, max_iter=3), fitted on all train rows.</param>
/// <param name="ExampleIndex">Train index of the HOG example image.</param>
/// <param name="ExampleImage">Its 28×28 pixels.</param>
/// <param name="ExampleHogPicture">Its HOG glyph picture (skimage's <c>hog_image</c>), 28×28.</param>
/// <param name="Pca3">n×3 PCA coordinates of the 5-class subset, row-major.</param>
/// <param name="ClusterLabels">k-means (k=5) cluster of each subset row.</param>
/// <param name="TrueLabels">True label of each subset row.</param>
public sealed record StudyArtifacts(
    PipelineModel FinalModel,
    int ExampleIndex,
    byte[] ExampleImage,
    double[] ExampleHogPicture,
    float[] Pca3,
    int[] ClusterLabels,
    int[] TrueLabels);
