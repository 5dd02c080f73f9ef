namespace FashionCore.Features.Hog;

/// <summary>How each HOG block of cell histograms is normalised (scikit-image <c>block_norm</c>).</summary>
/// <remarks>With ε = 1e-5 and <c>v</c> the block's histogram values in output order.</remarks>
public enum HogBlockNorm
{
    /// <summary><c>'L1'</c>: v / (Σ|v| + ε).</summary>
    L1,

    /// <summary><c>'L1-sqrt'</c>: sqrt(v / (Σ|v| + ε)).</summary>
    L1Sqrt,

    /// <summary><c>'L2'</c>: v / sqrt(Σv² + ε²).</summary>
    L2,

    /// <summary><c>'L2-Hys'</c> (default): L2, then clip at 0.2, then L2 again.</summary>
    L2Hys,
}
