namespace FashionCore.Tools.Study;

/// <summary>The study's feature sets (the CLI spells them <c>pixels</c>, <c>hog</c>, <c>pca</c>, <c>pca+hog</c>).</summary>
internal enum FeatureKind
{
    /// <summary>The 784 pixel values (x/255 by default).</summary>
    Pixels,

    /// <summary>HOG of the raw pixels (the study: orientations 8, 8×8 cells, 3×3 blocks, L2-Hys → 72 features).</summary>
    Hog,

    /// <summary>PCA of the standardized pixels (the study: 40 components).</summary>
    Pca,

    /// <summary>The study's "mix1": PCA features next to HOG features.</summary>
    PcaHog,
}
