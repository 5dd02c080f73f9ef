namespace FashionCore.Numerics;

/// <summary>
/// numpy 1.24's <c>argpartition</c> for one <c>kth</c> on a float64 vector: its introselect (median-of-3 quickselect,
/// falling back to median of medians of 5 after 2·⌊log2 n⌋ rounds; selection sort when kth is among the first three;
/// a linear scan for the maximum when kth is the last position), so the index order it leaves is numpy's, ties
/// included.
/// </summary>
/// <remarks>
/// sklearn 1.2.1 picks the rows that seed empty k-means clusters with <c>np.argpartition(d, -m)[:-m-1:-1]</c>: which
/// of several equally far rows is taken, and in which order several are handed out, is whatever this algorithm
/// leaves, so only the same algorithm reproduces sklearn's centres. Comparisons are numpy's (NaN sorts last).
/// </remarks>
internal static class NumpyArgPartition
{
    /// <summary>
    /// Reorders <paramref name="index"/> (initially 0 … n−1, as numpy starts) so that <c>values[index[kth]]</c> is the
    /// kth smallest, none before it larger and none after it smaller.
    /// </summary>
    /// <param name="values">The n values, indexed by the entries of <paramref name="index"/>.</param>
    /// <param name="index">n indices into <paramref name="values"/>, reordered in place.</param>
    /// <param name="kth">The position to settle, 0 … n−1 (numpy's negative kth −m is n − m).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kth"/> is outside the indices.</exception>
    public static void Select(ReadOnlySpan<double> values, Span<int> index, int kth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kth);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(kth, index.Length);
        IntroSelect(values, index, kth);
    }

    // numpy's Tag::less for doubles: NaN is larger than everything else.
    private static bool Less(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));

    private static void Swap(Span<int> index, int i, int j) => (index[i], index[j]) = (index[j], index[i]);

    private static void IntroSelect(ReadOnlySpan<double> v, Span<int> index, int kth)
    {
        int num = index.Length;
        int low = 0;
        int high = num - 1;
        if (kth - low < 3)
        {
            SelectionSelect(v, index, kth);
            return;
        }

        if (kth == num - 1)
        {
            // The last of the largest values wins (the scan keeps any value not below the maximum so far).
            int maxAt = low;
            double max = v[index[low]];
            for (int i = low + 1; i < num; i++)
            {
                if (!Less(v[index[i]], max))
                {
                    maxAt = i;
                    max = v[index[i]];
                }
            }

            Swap(index, kth, maxAt);
            return;
        }

        int depthLimit = 2 * (31 - int.LeadingZeroCount(num));
        while (low + 1 < high)
        {
            int ll = low + 1;
            int hh = high;
            if (depthLimit > 0 || hh - ll < 5)
            {
                MedianOfThreeToLow(v, index, low, low + ((high - low) / 2), high);
            }
            else
            {
                int mid = ll + MedianOfMediansOfFive(v, index[ll..hh]);
                Swap(index, mid, low);

                // Unlike the median of 3, this pivot leaves no sentinels at ll and hh.
                ll--;
                hh++;
            }

            depthLimit--;
            double pivot = v[index[low]];
            while (true)
            {
                do
                {
                    ll++;
                }
                while (Less(v[index[ll]], pivot));

                do
                {
                    hh--;
                }
                while (Less(pivot, v[index[hh]]));

                if (hh < ll)
                {
                    break;
                }

                Swap(index, ll, hh);
            }

            Swap(index, low, hh);
            if (hh >= kth)
            {
                high = hh - 1;
            }

            if (hh <= kth)
            {
                low = ll;
            }
        }

        if (high == low + 1 && Less(v[index[high]], v[index[low]]))
        {
            Swap(index, high, low);
        }
    }

    // Puts the median of positions low, mid, high at low and the smallest of them at low + 1, so that the partition
    // scans need no bound checks.
    private static void MedianOfThreeToLow(ReadOnlySpan<double> v, Span<int> index, int low, int mid, int high)
    {
        if (Less(v[index[high]], v[index[mid]]))
        {
            Swap(index, high, mid);
        }

        if (Less(v[index[high]], v[index[low]]))
        {
            Swap(index, high, low);
        }

        if (Less(v[index[low]], v[index[mid]]))
        {
            Swap(index, low, mid);
        }

        Swap(index, mid, low + 1);
    }

    // Moves each group of five's median to the front, selects the median of those, and returns its position.
    private static int MedianOfMediansOfFive(ReadOnlySpan<double> v, Span<int> index)
    {
        int medians = index.Length / 5;
        for (int g = 0; g < medians; g++)
        {
            int m = MedianOfFive(v, index.Slice(5 * g, 5));
            Swap(index, (5 * g) + m, g);
        }

        if (medians > 2)
        {
            IntroSelect(v, index[..medians], medians / 2);
        }

        return medians / 2;
    }

    // The position (within the five) of their median, after numpy's partial ordering swaps.
    private static int MedianOfFive(ReadOnlySpan<double> v, Span<int> index)
    {
        if (Less(v[index[1]], v[index[0]]))
        {
            Swap(index, 1, 0);
        }

        if (Less(v[index[4]], v[index[3]]))
        {
            Swap(index, 4, 3);
        }

        if (Less(v[index[3]], v[index[0]]))
        {
            Swap(index, 3, 0);
        }

        if (Less(v[index[4]], v[index[1]]))
        {
            Swap(index, 4, 1);
        }

        if (Less(v[index[2]], v[index[1]]))
        {
            Swap(index, 2, 1);
        }

        if (Less(v[index[3]], v[index[2]]))
        {
            return Less(v[index[3]], v[index[1]]) ? 1 : 3;
        }

        return 2;
    }

    // Selection sort of positions 0 … kth: the first strictly smaller value wins each round.
    private static void SelectionSelect(ReadOnlySpan<double> v, Span<int> index, int kth)
    {
        for (int i = 0; i <= kth; i++)
        {
            int minAt = i;
            double min = v[index[i]];
            for (int j = i + 1; j < index.Length; j++)
            {
                if (Less(v[index[j]], min))
                {
                    minAt = j;
                    min = v[index[j]];
                }
            }

            Swap(index, i, minAt);
        }
    }
}
