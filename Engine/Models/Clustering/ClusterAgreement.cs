using FashionCore.Internals;

namespace FashionCore.Models.Clustering;

/// <summary>Agreement between a clustering and reference labels.</summary>
public static class ClusterAgreement
{
    /// <summary>
    /// The adjusted Rand index (Hubert &amp; Arabie 1985), as scikit-learn 1.2.1's <c>adjusted_rand_score</c>: 1 for
    /// identical partitions (up to renaming), about 0 for independent ones, symmetric in its arguments.
    /// </summary>
    /// <remarks>
    /// Effectively computes sklearn's pair confusion counts in exact integers — tp = Σ n_ij² − n,
    /// fp = Σ_ij n_ij·b_j − Σ n_ij², fn = Σ_ij n_ij·a_i − Σ n_ij², tn = n² − tp − fp − fn — and returns 1 when
    /// fp = fn = 0, otherwise <c>2(tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))</c>.
    /// </remarks>
    /// <param name="labelsTrue">Reference labels.</param>
    /// <param name="labelsPredicted">Cluster ids (same length).</param>
    /// <returns>The index, in [−0.5, 1].</returns>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static double AdjustedRandIndex(ReadOnlySpan<int> labelsTrue, ReadOnlySpan<int> labelsPredicted)
    {
        // Checked here so the messages name this method's parameters, not ContingencyTable's (clusters, labels).
        Check.Length(labelsPredicted, labelsTrue.Length);
        if (labelsTrue.IsEmpty)
        {
            ThrowHelper.ThrowArgument("'labelsTrue' must not be empty.", nameof(labelsTrue));
        }

        ContingencyTable table = ContingencyTable.Compute(labelsTrue, labelsPredicted);
        CommunityToolkit.HighPerformance.ReadOnlySpan2D<long> n = table.Counts;
        long samples = labelsTrue.Length;
        long[] rowSums = new long[n.Height];
        long[] columnSums = new long[n.Width];
        long sumSquares = 0;
        for (int i = 0; i < n.Height; i++)
        {
            for (int j = 0; j < n.Width; j++)
            {
                long v = n[i, j];
                rowSums[i] += v;
                columnSums[j] += v;
                sumSquares += v * v;
            }
        }

        Int128 viaColumns = 0, viaRows = 0;
        for (int i = 0; i < n.Height; i++)
        {
            for (int j = 0; j < n.Width; j++)
            {
                viaColumns += (Int128)n[i, j] * columnSums[j];
                viaRows += (Int128)n[i, j] * rowSums[i];
            }
        }

        Int128 tp = sumSquares - samples;
        Int128 fp = viaColumns - sumSquares;
        Int128 fn = viaRows - sumSquares;
        Int128 tn = ((Int128)samples * samples) - fp - fn - sumSquares;
        if (fn == 0 && fp == 0)
        {
            return 1.0;
        }

        return 2.0 * (double)((tp * tn) - (fn * fp)) / (double)(((tp + fn) * (fn + tn)) + ((tp + fp) * (fp + tn)));
    }
}
