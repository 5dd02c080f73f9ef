using System.Buffers;
using System.Runtime.InteropServices;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// A large work array rented from <see cref="ArrayPool{T}.Shared"/> and pinned until disposed (then returned).
/// </summary>
/// <remarks>
/// First touching the pages of a fresh large array costs about 3 ms per MB on the 2-core build host (page faults; a
/// 784×784 double matrix is 16 ms), and one PCA fit needs tens of MB of such scratch (Gram slabs, packed panels,
/// covariance, reduction workspace, scores). Rented arrays keep their pages from one fit to the next. The array may
/// be longer than asked for; only the first <see cref="Length"/> elements are cleared (when asked) and meant to be used.
/// </remarks>
internal sealed class ScratchArray<T> : IDisposable
    where T : unmanaged
{
    private T[]? _array;
    private GCHandle _handle;

    /// <summary>Rents and pins an array of at least <paramref name="length"/> elements.</summary>
    /// <param name="length">Elements needed (≥ 0).</param>
    /// <param name="clear">Zero the first <paramref name="length"/> elements.</param>
    public ScratchArray(int length, bool clear)
    {
        _array = ArrayPool<T>.Shared.Rent(Math.Max(1, length));
        _handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
        Length = length;
        if (clear)
        {
            System.Array.Clear(_array, 0, length);
        }
    }

    /// <summary>The elements asked for.</summary>
    public int Length { get; }

    /// <summary>The whole rented array (pinned; at least <see cref="Length"/> long).</summary>
    public T[] Array => _array ?? throw new ObjectDisposedException(nameof(ScratchArray<T>));

    /// <summary>The first <see cref="Length"/> elements.</summary>
    public Span<T> Span => Array.AsSpan(0, Length);

    /// <summary>Unpins the array and returns it to the pool; it must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_array is null)
        {
            return;
        }

        _handle.Free();
        ArrayPool<T>.Shared.Return(_array);
        _array = null;
    }
}
