namespace FashionCore.Models.Clustering;

/// <summary>How <see cref="KMeans"/> chooses the initial centres of each run (scikit-learn <c>init</c>).</summary>
public enum KMeansInit
{
    /// <summary>Greedy k-means++ with <c>2 + ⌊ln k⌋</c> local trials per centre (sklearn <c>'k-means++'</c>, the default).</summary>
    KMeansPlusPlus,

    /// <summary><c>k</c> distinct rows drawn by <c>permutation(n)[:k]</c> (sklearn <c>'random'</c>).</summary>
    Random,

    /// <summary>The centres in <see cref="KMeansOptions.InitialCenters"/> (sklearn: an array passed as <c>init</c>); runs once.</summary>
    Given,
}
