using FashionCore.Internals;
using FashionCore.Numerics.Random;

namespace FashionCore.Selection;

/// <summary>
/// Contiguous folds in sample order, optionally after a seeded shuffle — scikit-learn 1.2.1's <c>KFold</c>: the first
/// n mod k folds get ⌊n/k⌋+1 samples, the rest ⌊n/k⌋.
/// </summary>
/// <remarks>With <c>shuffle</c>, the sample order is <c>RandomState(randomState).shuffle(arange(n))</c> (see <see cref="NumpyShuffle"/>).</remarks>
public sealed class KFold : ICrossValidator
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="splitCount">k ≥ 2 (sklearn <c>n_splits</c>, default 5).</param>
    /// <param name="shuffle">Shuffle the samples before cutting the folds (sklearn <c>shuffle</c>, default false).</param>
    /// <param name="randomState">Seed of the shuffle (sklearn <c>random_state</c>); required with <paramref name="shuffle"/>
    /// (FashionCore has no unseeded randomness) and forbidden without it, as in sklearn.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="splitCount"/> is below 2.</exception>
    /// <exception cref="ArgumentException"><paramref name="randomState"/> does not match <paramref name="shuffle"/>.</exception>
    public KFold(int splitCount = 5, bool shuffle = false, uint? randomState = null)
    {
        SplitterChecks.Validate(splitCount, shuffle, randomState);
        SplitCount = splitCount;
        Shuffle = shuffle;
        RandomState = randomState;
    }

    /// <inheritdoc/>
    public int SplitCount { get; }

    /// <summary>Whether samples are shuffled before splitting.</summary>
    public bool Shuffle { get; }

    /// <summary>The shuffle seed, if shuffling.</summary>
    public uint? RandomState { get; }

    /// <inheritdoc/>
    public Folds Split(ReadOnlySpan<int> y)
    {
        int n = y.Length;
        if (n < SplitCount)
        {
            ThrowHelper.ThrowArgument($"Cannot have n_splits={SplitCount} greater than the number of samples n={n}.", nameof(y));
        }

        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        if (Shuffle)
        {
            NumpyShuffle.Shuffle<int>(new Mt19937(RandomState!.Value), order);
        }

        int[] fold = new int[n];
        int start = 0;
        for (int f = 0; f < SplitCount; f++)
        {
            int size = (n / SplitCount) + (f < n % SplitCount ? 1 : 0);
            for (int i = start; i < start + size; i++)
            {
                fold[order[i]] = f;
            }

            start += size;
        }

        return new Folds(fold, SplitCount);
    }
}
