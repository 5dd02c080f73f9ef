using FashionCore.Internals;

namespace FashionCore.Metrics;

/// <summary>Label bookkeeping shared by the metrics: sorted union, or a user order mapped for binary search.</summary>
internal static class LabelSet
{
    /// <summary>Sorted union of the labels in <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static int[] SortedUnion(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        HashSet<int> set = [];
        foreach (int v in a)
        {
            set.Add(v);
        }

        foreach (int v in b)
        {
            set.Add(v);
        }

        int[] result = [.. set];
        Array.Sort(result);
        return result;
    }

    /// <summary>
    /// Returns a sorted label array for binary search and, in <paramref name="order"/>, the output position of each
    /// sorted label (identity unless <paramref name="labels"/> gives another order).
    /// </summary>
    public static int[] Resolve(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, ReadOnlySpan<int> labels, out int[] order)
    {
        if (labels.IsEmpty)
        {
            int[] union = SortedUnion(yTrue, yPred);
            order = new int[union.Length];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            return union;
        }

        int[] sorted = labels.ToArray();
        int[] position = new int[sorted.Length];
        for (int i = 0; i < position.Length; i++)
        {
            position[i] = i;
        }

        Array.Sort(sorted, position);
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] == sorted[i - 1])
            {
                ThrowHelper.ThrowArgument($"'labels' contains {sorted[i]} more than once.", nameof(labels));
            }
        }

        order = position;
        return sorted;
    }
}
