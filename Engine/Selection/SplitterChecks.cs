using FashionCore.Internals;

namespace FashionCore.Selection;

/// <summary>Constructor checks shared by the splitters (sklearn <c>_BaseKFold.__init__</c>).</summary>
internal static class SplitterChecks
{
    public static void Validate(int splitCount, bool shuffle, uint? randomState)
    {
        if (splitCount < 2)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(splitCount), splitCount, "k-fold cross-validation requires at least two splits (n_splits >= 2).");
        }

        if (shuffle && randomState is null)
        {
            ThrowHelper.ThrowArgument("shuffle=true needs a randomState: FashionCore's randomness is always seeded.", nameof(randomState));
        }

        if (!shuffle && randomState is not null)
        {
            ThrowHelper.ThrowArgument("Setting a randomState has no effect since shuffle is false (sklearn raises the same error).", nameof(randomState));
        }
    }
}
