using FashionCore.Internals;
using FashionCore.Numerics.Random;

namespace FashionCore.Selection;

/// <summary>
/// Folds that preserve the class proportions, assigned exactly as scikit-learn 1.2.1's <c>StratifiedKFold</c>.
/// </summary>
/// <remarks>
/// Classes are numbered by order of first appearance in y; the class-sorted labels are dealt round robin to get
/// <c>alloc[f][c]</c> (test samples of class c in fold f); then each class's samples, in data order, get fold 0 for the
/// first alloc[0][c], fold 1 for the next alloc[1][c], and so on. With <c>shuffle</c>, that per-class fold sequence is
/// shuffled by one <c>RandomState(randomState)</c> stream, class after class in first-appearance order — sklearn's exact
/// assignment for the same seed. Training indices come out ascending, as sklearn's.
/// </remarks>
public sealed class StratifiedKFold : ICrossValidator
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="splitCount">k ≥ 2 (sklearn <c>n_splits</c>, default 5).</param>
    /// <param name="shuffle">Shuffle each class's fold sequence (sklearn <c>shuffle</c>, default false).</param>
    /// <param name="randomState">Seed of the shuffle (sklearn <c>random_state</c>); required with <paramref name="shuffle"/>
    /// and forbidden without it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="splitCount"/> is below 2.</exception>
    /// <exception cref="ArgumentException"><paramref name="randomState"/> does not match <paramref name="shuffle"/>.</exception>
    public StratifiedKFold(int splitCount = 5, bool shuffle = false, uint? randomState = null)
    {
        SplitterChecks.Validate(splitCount, shuffle, randomState);
        SplitCount = splitCount;
        Shuffle = shuffle;
        RandomState = randomState;
    }

    /// <inheritdoc/>
    public int SplitCount { get; }

    /// <summary>Whether each class's fold sequence is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>The shuffle seed, if shuffling.</summary>
    public uint? RandomState { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Fewer samples than folds, or every class has fewer than k members.</exception>
    public Folds Split(ReadOnlySpan<int> y)
    {
        int n = y.Length;
        int k = SplitCount;
        if (n < k)
        {
            ThrowHelper.ThrowArgument($"Cannot have n_splits={k} greater than the number of samples n={n}.", nameof(y));
        }

        // Encode by first appearance.
        Dictionary<int, int> code = [];
        int[] encoded = new int[n];
        List<int> counts = [];
        for (int i = 0; i < n; i++)
        {
            if (!code.TryGetValue(y[i], out int c))
            {
                c = code.Count;
                code.Add(y[i], c);
                counts.Add(0);
            }

            encoded[i] = c;
            counts[c]++;
        }

        int classCount = counts.Count;
        if (counts.TrueForAll(count => count < k))
        {
            ThrowHelper.ThrowArgument($"n_splits={k} cannot be greater than the number of members in each class.", nameof(y));
        }

        // Round robin over the class-sorted labels: position p of class c (block start S_c) goes to fold p mod k.
        int[] foldsOfClass = new int[n];
        int[] offset = new int[classCount];
        int start = 0;
        for (int c = 0; c < classCount; c++)
        {
            offset[c] = start;
            int[] alloc = new int[k];
            for (int p = start; p < start + counts[c]; p++)
            {
                alloc[p % k]++;
            }

            int q = start;
            for (int f = 0; f < k; f++)
            {
                for (int r = 0; r < alloc[f]; r++)
                {
                    foldsOfClass[q++] = f;
                }
            }

            start += counts[c];
        }

        if (Shuffle)
        {
            Mt19937 random = new(RandomState!.Value);
            for (int c = 0; c < classCount; c++)
            {
                NumpyShuffle.Shuffle(random, foldsOfClass.AsSpan(offset[c], counts[c]));
            }
        }

        int[] testFold = new int[n];
        int[] next = (int[])offset.Clone();
        for (int i = 0; i < n; i++)
        {
            testFold[i] = foldsOfClass[next[encoded[i]]++];
        }

        return new Folds(testFold, k);
    }
}
