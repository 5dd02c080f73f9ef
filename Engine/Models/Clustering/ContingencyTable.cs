using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Models.Clustering;

/// <summary>
/// Counts of rows per (cluster, label) pair: row r is cluster <c>RowLabels[r]</c>, column c is label
/// <c>ColumnLabels[c]</c> (the transpose of scikit-learn's <c>contingency_matrix(labels_true, labels_pred)</c>).
/// </summary>
public sealed class ContingencyTable
{
    private readonly int[] _rowLabels;
    private readonly int[] _columnLabels;
    private readonly long[] _counts;

    private ContingencyTable(int[] rowLabels, int[] columnLabels, long[] counts)
    {
        _rowLabels = rowLabels;
        _columnLabels = columnLabels;
        _counts = counts;
    }

    /// <summary>Distinct cluster ids, ascending (one per row).</summary>
    public ReadOnlySpan<int> RowLabels => _rowLabels;

    /// <summary>Distinct labels, ascending (one per column).</summary>
    public ReadOnlySpan<int> ColumnLabels => _columnLabels;

    /// <summary>The counts, <c>RowLabels.Length × ColumnLabels.Length</c>.</summary>
    public ReadOnlySpan2D<long> Counts => new(_counts, _rowLabels.Length, _columnLabels.Length);

    /// <summary>Total number of rows counted.</summary>
    public long Total => _counts.Sum();

    /// <summary>Tabulates <paramref name="clusters"/> (rows) against <paramref name="labels"/> (columns).</summary>
    /// <param name="clusters">Cluster id of each sample.</param>
    /// <param name="labels">Reference label of each sample (same length).</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static ContingencyTable Compute(ReadOnlySpan<int> clusters, ReadOnlySpan<int> labels)
    {
        Check.Length(labels, clusters.Length);
        if (clusters.IsEmpty)
        {
            ThrowHelper.ThrowArgument("'clusters' must not be empty.", nameof(clusters));
        }

        int[] rowLabels = Distinct(clusters);
        int[] columnLabels = Distinct(labels);
        long[] counts = new long[rowLabels.Length * columnLabels.Length];
        for (int i = 0; i < clusters.Length; i++)
        {
            int r = Array.BinarySearch(rowLabels, clusters[i]);
            int c = Array.BinarySearch(columnLabels, labels[i]);
            counts[(r * columnLabels.Length) + c]++;
        }

        return new ContingencyTable(rowLabels, columnLabels, counts);
    }

    private static int[] Distinct(ReadOnlySpan<int> values)
    {
        HashSet<int> set = [];
        foreach (int v in values)
        {
            set.Add(v);
        }

        int[] sorted = [.. set];
        Array.Sort(sorted);
        return sorted;
    }
}
