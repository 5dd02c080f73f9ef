using FashionCore.Internals;

namespace FashionCore.Metrics;

/// <summary>
/// Counts of (true label, predicted label) pairs (scikit-learn <c>confusion_matrix</c>): row = true class,
/// column = predicted class, both in the order of <see cref="Labels"/>.
/// </summary>
public sealed class ConfusionMatrix
{
    // Most labels a matrix can have: the k×k counts live in one array, so k² ≤ Array.MaxLength (0x7FFFFFC7).
    private const int MaxSize = 46_340;

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
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0 … <see cref="Size"/>−1.</exception>
    public long this[int trueIndex, int predictedIndex]
    {
        get
        {
            // Each index is checked on its own: the flat offset alone lets [0, 5] read another cell of a 3×3 matrix.
            CheckIndex(trueIndex, nameof(trueIndex));
            CheckIndex(predictedIndex, nameof(predictedIndex));
            return _counts[(trueIndex * _labels.Length) + predictedIndex];
        }
    }

    /// <summary>The counts row-major (row = true label), as sklearn's <c>confusion_matrix(...).ravel()</c>.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Counts the pairs.</summary>
    /// <param name="yTrue">True labels.</param>
    /// <param name="yPred">Predicted labels, same length.</param>
    /// <param name="labels">The labels to index by (sklearn <c>labels</c>); pairs with a label outside it are not counted.
    /// Default (empty): the sorted union of both label vectors.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException">Lengths differ or are zero, <paramref name="labels"/> has duplicates or none of
    /// its labels is in <paramref name="yTrue"/> (as sklearn), or there are
    /// more labels than a k×k matrix in one array can hold (at most 46 340 labels). An empty <paramref name="labels"/>
    /// is not an error: it means the default.</exception>
    public static ConfusionMatrix Compute(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, ReadOnlySpan<int> labels = default)
    {
        Accuracy.CheckLabels(yTrue, yPred);
        int[] sorted = LabelSet.Resolve(yTrue, yPred, labels, out int[] order);
        int k = sorted.Length;
        if (k > MaxSize)
        {
            ThrowHelper.ThrowArgument(
                $"{k} labels need a {k}x{k} matrix, more than one array can hold (at most {MaxSize} labels).",
                labels.IsEmpty ? nameof(yTrue) : nameof(labels));
        }

        long[] counts = new long[k * k];
        bool anyTrue = false;
        for (int i = 0; i < yTrue.Length; i++)
        {
            int t = Array.BinarySearch(sorted, yTrue[i]);
            int p = Array.BinarySearch(sorted, yPred[i]);
            anyTrue |= t >= 0;
            if (t >= 0 && p >= 0)
            {
                counts[(order[t] * k) + order[p]]++;
            }
        }

        if (!anyTrue)
        {
            // sklearn refuses this too: no row could count anything, almost surely a mistake in the labels.
            ThrowHelper.ThrowArgument($"At least one label specified must be in yTrue; none of the {k} labels is.", nameof(labels));
        }

        return new ConfusionMatrix(labels.IsEmpty ? sorted : labels.ToArray(), counts);
    }

    private void CheckIndex(int index, string paramName)
    {
        if ((uint)index >= (uint)_labels.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(paramName, index, $"{paramName} must be in 0..{_labels.Length - 1}.");
        }
    }
}
