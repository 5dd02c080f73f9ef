using FashionCore.Models.Clustering;

namespace FashionCore.Tools.Study;

/// <summary>How many rows each cluster of a fitted k-means holds (what the study's elbow and cluster tables print).</summary>
internal static class ClusterSizes
{
    /// <summary>Rows per cluster, indexed by cluster.</summary>
    public static int[] Of(KMeansModel model)
    {
        int[] sizes = new int[model.ClusterCount];
        foreach (int label in model.Labels)
        {
            sizes[label]++;
        }

        return sizes;
    }
}
