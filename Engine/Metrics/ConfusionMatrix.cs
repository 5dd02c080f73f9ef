namespace FashionCore.Metrics;

/// <summary>
/// Counts of (true label, predicted label) pairs (scikit-learn <c>confusion_matrix</c>): row = true class,
/// column = predicted class, both in the order of <see cref="Labels"/>.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[] _labels;
    private readonly long[] _counts;

    private ConfusionMatrix(int[] labels, long[] counts)
    {
        _labels = labels;
        _counts = counts;
    }

    /// <summary>The labels indexing rows and columns: sorted union of the true and predicted labels unless given.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Number of labels (rows = columns).</summary>
    public int Size => _labels.Length;

    /// <summary>Number of samples whose true label is <c>Labels[trueIndex]</c> and prediction <c>Labels[predictedIndex]</c>.</summary>
    /// <param name="trueIndex">Row (index into <see cref="Labels"/>).</param>
    /// <param name="predictedIndex">Column (index into <see cref="Labels"/>).</param>
    public long this[int trueIndex, int predictedIndex] => _counts[(trueIndex * _labels.Length) + predictedIndex];

    /// <summary>The counts row-major (row = true label), as sklearn's <c>confusion_matrix(...).ravel()</c>.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Counts the pairs.</summary>
    /// <param name="yTrue">True labels.</param>
    /// <param name="yPred">Predicted labels, same length.</param>
    /// <param name="labels">The labels to index by (sklearn <c>labels</c>); pairs with a label outside it are not counted.
    /// Default: the sorted union of both label vectors.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">Lengths differ, are zero, or <paramref name="labels"/> is empty or has duplicates.</exception>
    public static ConfusionMatrix Compute(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, ReadOnlySpan<int> labels = default)
    {
        Accuracy.CheckLabels(yTrue, yPred);
        int[] sorted = LabelSet.Resolve(yTrue, yPred, labels, out int[] order);
        int k = sorted.Length;
        long[] counts = new long[k * k];
        for (int i = 0; i < yTrue.Length; i++)
        {
            int t = Array.BinarySearch(sorted, yTrue[i]);
            int p = Array.BinarySearch(sorted, yPred[i]);
            if (t >= 0 && p >= 0)
            {
                counts[(order[t] * k) + order[p]]++;
            }
        }

        return new ConfusionMatrix(labels.IsEmpty ? sorted : labels.ToArray(), counts);
    }
}
