namespace FashionCore.Numerics.Random;

/// <summary>
/// numpy <c>RandomState.shuffle</c> / <c>permutation</c> on top of <see cref="Mt19937"/>: the legacy Fisher–Yates
/// that scikit-learn's shuffled splitters (<c>KFold</c>, <c>StratifiedKFold</c>) consume.
/// </summary>
/// <remarks>
/// For i = n−1 down to 1, j = <c>random_interval(i)</c> (a masked-rejection draw in [0, i], which is what
/// <see cref="Mt19937.NextInt32(int, int)"/> does for [0, i+1)), then swap items i and j.
/// </remarks>
public static class NumpyShuffle
{
    /// <summary>Shuffles <paramref name="items"/> in place exactly as <c>RandomState.shuffle</c> does a 1-D array.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="random">The stream (advanced by n−1 draws or more, from rejections).</param>
    /// <param name="items">The items to shuffle.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    public static void Shuffle<T>(Mt19937 random, Span<T> items)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(0, i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><c>RandomState.permutation(n)</c>: a shuffled <c>0 … n−1</c>.</summary>
    /// <param name="random">The stream.</param>
    /// <param name="count">n, at least 0.</param>
    /// <returns>The permutation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static int[] Permutation(Mt19937 random, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int[] result = new int[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = i;
        }

        Shuffle<int>(random, result);
        return result;
    }
}
