using System.Buffers;
using CommunityToolkit.HighPerformance.Buffers;

namespace FashionCore.Numerics;

/// <summary>
/// Buffers for large intermediate matrices (a pipeline step's output, a fold's rows) from the shared array pool, advised
/// for transparent huge pages before their first use, as <see cref="FreshArray"/>'s arrays are.
/// </summary>
/// <remarks>
/// The pool keeps a returned array's pages mapped, so the later fits of a grid search reuse them; the first fit writes
/// into memory that is not mapped yet, one fault per 4 KB page unless the array is advised. Measured on the 2-vCPU Zen 5
/// VM (a PVM guest, where every fault traps to the hypervisor; x/255 into a pooled 188 MB float array, one process per
/// run, three runs each, alternated): first fill 540–553 ms, 123–355 ms advised; the second fill of the same pooled array
/// 25–99 ms, 11.6–12.2 ms advised.
/// </remarks>
internal static class PooledArray
{
    /// <summary>
    /// <see cref="MemoryOwner{T}.Allocate(int)"/> of <paramref name="length"/> elements (contents unspecified), its
    /// array advised for huge pages (<see cref="FreshArray.AdviseHugePages{T}(T[])"/>: from 4 MB on).
    /// </summary>
    public static MemoryOwner<T> Allocate<T>(int length)
        where T : unmanaged
    {
        MemoryOwner<T> owner = MemoryOwner<T>.Allocate(length);
        FreshArray.AdviseHugePages(owner.DangerousGetArray().Array!);
        return owner;
    }

    /// <summary>
    /// An array of at least <paramref name="length"/> elements from <see cref="ArrayPool{T}.Shared"/> (contents
    /// unspecified; return it there), advised for huge pages (<see cref="FreshArray.AdviseHugePages{T}(T[])"/>: from 4 MB on).
    /// </summary>
    public static T[] Rent<T>(int length)
        where T : unmanaged
    {
        T[] array = ArrayPool<T>.Shared.Rent(length);
        FreshArray.AdviseHugePages(array);
        return array;
    }
}
