using System.Buffers;

namespace FashionCore.Models.Clustering;

/// <summary>Large per-fit buffers from the shared array pools, returned together.</summary>
/// <remarks>
/// Fresh large arrays live on the large-object heap, and first touching their pages is expensive (measured ≈ 17 ms per
/// MB on the shared build host, where the k-means buffers of one fit come to tens of MB). Pooled arrays keep their
/// pages across fits. Rented arrays may be longer than asked for; only the asked-for prefix is cleared.
/// </remarks>
internal sealed class PooledArrays
{
    private readonly List<Array> _rented = [];

    /// <summary>An array of at least <paramref name="length"/> elements, the first <paramref name="length"/> zero when <paramref name="clear"/>.</summary>
    public TItem[] Rent<TItem>(int length, bool clear = true)
    {
        TItem[] a = ArrayPool<TItem>.Shared.Rent(Math.Max(length, 1));
        if (clear)
        {
            Array.Clear(a, 0, length);
        }

        _rented.Add(a);
        return a;
    }

    /// <summary>Returns every rented array to its pool; the arrays must not be used afterwards.</summary>
    public void ReturnAll()
    {
        foreach (Array a in _rented)
        {
            switch (a)
            {
                case double[] v:
                    ArrayPool<double>.Shared.Return(v);
                    break;
                case float[] v:
                    ArrayPool<float>.Shared.Return(v);
                    break;
                case int[] v:
                    ArrayPool<int>.Shared.Return(v);
                    break;
                case byte[] v:
                    ArrayPool<byte>.Shared.Return(v);
                    break;
                default:
                    break;
            }
        }

        _rented.Clear();
    }
}
