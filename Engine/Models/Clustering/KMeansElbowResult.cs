namespace FashionCore.Models.Clustering;

/// <summary>An elbow curve: inertia per k, the Lloyd iterations of each kept run, and the knee.</summary>
public sealed class KMeansElbowResult
{
    private readonly int[] _clusterCounts;
    private readonly double[] _inertia;
    private readonly int[] _iterations;

    internal KMeansElbowResult(int[] clusterCounts, double[] inertia, int[] iterations, int kneeIndex)
    {
        _clusterCounts = clusterCounts;
        _inertia = inertia;
        _iterations = iterations;
        KneeIndex = kneeIndex;
    }

    /// <summary>The k values, increasing.</summary>
    public ReadOnlySpan<int> ClusterCounts => _clusterCounts;

    /// <summary>Inertia (SSE, sklearn <c>inertia_</c>) of the best run for each k.</summary>
    public ReadOnlySpan<double> Inertia => _inertia;

    /// <summary>Lloyd iterations (sklearn <c>n_iter_</c>) of the best run for each k.</summary>
    public ReadOnlySpan<int> Iterations => _iterations;

    /// <summary>Index into <see cref="ClusterCounts"/> of the knee, or −1 when the curve has none (see <see cref="KMeansElbow.FindKnee"/>).</summary>
    public int KneeIndex { get; }

    /// <summary>The k at the knee, or <see langword="null"/> when there is none.</summary>
    public int? KneeClusterCount => KneeIndex >= 0 ? _clusterCounts[KneeIndex] : null;
}
