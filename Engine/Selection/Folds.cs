using FashionCore.Internals;

namespace FashionCore.Selection;

/// <summary>
/// A partition of n samples into k test folds: every sample is in exactly one test fold, and the training set of
/// fold f is every other sample. Produced by <see cref="ICrossValidator.Split"/>.
/// </summary>
public sealed class Folds
{
    private readonly int[] _testFold;
    private readonly int[] _sizes;

    /// <summary>Wraps a fold assignment.</summary>
    /// <param name="testFold">For each sample, the index of the fold whose test set contains it (0 … count−1).</param>
    /// <param name="count">Number of folds k ≥ 2.</param>
    /// <exception cref="ArgumentException">A fold index is out of range or a fold is empty.</exception>
    public Folds(int[] testFold, int count)
    {
        ArgumentNullException.ThrowIfNull(testFold);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        _sizes = new int[count];
        foreach (int f in testFold)
        {
            if ((uint)f >= (uint)count)
            {
                ThrowHelper.ThrowArgument($"fold index {f} is outside 0..{count - 1}.", nameof(testFold));
            }

            _sizes[f]++;
        }

        for (int f = 0; f < count; f++)
        {
            if (_sizes[f] == 0)
            {
                ThrowHelper.ThrowArgument($"fold {f} has no test samples.", nameof(testFold));
            }
        }

        _testFold = (int[])testFold.Clone();
    }

    /// <summary>Number of folds (sklearn <c>n_splits</c>).</summary>
    public int Count => _sizes.Length;

    /// <summary>Number of samples partitioned.</summary>
    public int SampleCount => _testFold.Length;

    /// <summary>For each sample, the fold whose test set contains it (what <c>skf_folds.json</c> stores).</summary>
    public ReadOnlySpan<int> TestFold => _testFold;

    /// <summary>Size of the test set of fold <paramref name="fold"/>.</summary>
    /// <param name="fold">Fold index.</param>
    /// <returns>The number of test samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fold"/> is outside 0 … <see cref="Count"/>−1.</exception>
    public int TestSize(int fold)
    {
        CheckFold(fold);
        return _sizes[fold];
    }

    /// <summary>Test indices of fold <paramref name="fold"/>, ascending (sklearn yields the same set).</summary>
    /// <param name="fold">Fold index.</param>
    /// <returns>A new array of indices.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fold"/> is outside 0 … <see cref="Count"/>−1.</exception>
    public int[] TestIndices(int fold) => Indices(fold, test: true);

    /// <summary>Training indices of fold <paramref name="fold"/>, ascending, exactly as sklearn's <c>split</c> yields them.</summary>
    /// <param name="fold">Fold index.</param>
    /// <returns>A new array of indices.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fold"/> is outside 0 … <see cref="Count"/>−1.</exception>
    public int[] TrainIndices(int fold) => Indices(fold, test: false);

    private int[] Indices(int fold, bool test)
    {
        CheckFold(fold);
        int[] result = new int[test ? _sizes[fold] : _testFold.Length - _sizes[fold]];
        int k = 0;
        for (int i = 0; i < _testFold.Length; i++)
        {
            if ((_testFold[i] == fold) == test)
            {
                result[k++] = i;
            }
        }

        return result;
    }

    // The unsigned compare catches negatives too, but the exception must report the caller's signed value.
    private void CheckFold(int fold)
    {
        if ((uint)fold >= (uint)_sizes.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(fold), fold, $"fold must be in 0..{_sizes.Length - 1}.");
        }
    }
}
