namespace FashionCore.Internals;

/// <summary>Lowers a shared int to a value when the value is smaller, whichever thread gets there first.</summary>
internal static class AtomicMin
{
    /// <summary>Sets <paramref name="location"/> to <paramref name="value"/> if that lowers it (a compare-exchange loop).</summary>
    public static void Lower(ref int location, int value)
    {
        int seen = Volatile.Read(ref location);
        while (value < seen)
        {
            int prior = Interlocked.CompareExchange(ref location, value, seen);
            if (prior == seen)
            {
                return;
            }

            seen = prior;
        }
    }
}
