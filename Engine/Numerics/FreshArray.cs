using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Numerics;

/// <summary>
/// Large uninitialised arrays whose memory pages are mapped in one system call up front, instead of by one page fault
/// per 4 KB page at first write; from 4 MB on, advised for transparent huge pages, as numpy advises its arrays.
/// </summary>
/// <remarks>
/// <para>
/// On the 2-core build VM, faulting in fresh memory page by page costs about 3.3 ms per MB (13 µs per fault), more than
/// the arithmetic done on it: 0.4 s for the 94 MB float copy of the k-means class subset, 0.15 s for the 47 MB of
/// training images. Linux 5.14+ maps a whole range at once with <c>madvise(MADV_POPULATE_WRITE)</c> (about 0.3 ms per MB
/// there), which "populates (prefaults) page tables writable, as if writing to each page, without the actual memory
/// access": the contents never change, so it is safe on any memory this process owns. Elsewhere (other systems, older
/// kernels, no libc), or when the call fails, nothing happens and the pages fault in as before; only time differs.
/// </para>
/// <para>
/// Before that, arrays of 4 MB or more get <c>madvise(MADV_HUGEPAGE)</c> (<see cref="AdviseHugePages{T}(T[])"/>): where
/// the system's transparent huge pages are in <c>madvise</c> mode (the build VM's), only advised memory is mapped in 2 MB
/// pages. numpy advises every array of 4 MB or more the same way on Linux, so the scikit-learn peer's matrices are on
/// huge pages; a <c>float[]</c> from <c>new</c> is not. Measured on the pixel SAGA fit (in process, the same values in
/// differently allocated matrices, 38 alternated pairs, 2-vCPU Zen 4 VM): huge pages 1.8 ms faster per fit of ~150 ms,
/// rows starting on 64-byte boundaries (<see cref="AllocateMatrix{T}(int, int)"/>) 1.1 ms, both 2.6 ms.
/// </para>
/// </remarks>
public static partial class FreshArray
{
    // Below this, a few faults cost less than the system call.
    private const int MinimumBytes = 1 << 20;
    private const int MadvisePopulateWrite = 23; // MADV_POPULATE_WRITE, the same on every Linux architecture

    // numpy's threshold for advising huge pages (4 MiB), and the advice.
    private const int HugePageMinimumBytes = 1 << 22;
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE, the same on every Linux architecture

    // Where matrix rows start (a cache line; whole 512-bit vectors).
    private const int MatrixAlignment = 64;

    // The advice bits that failed once (then never tried again): a kernel can lack either advice, or libc be missing.
    private const int PopulateFailed = 1;
    private const int HugePageFailed = 2;
    private static int s_failed = OperatingSystem.IsLinux() ? 0 : PopulateFailed | HugePageFailed;

    /// <summary>
    /// <see cref="GC.AllocateUninitializedArray{T}(int, bool)"/> of <paramref name="length"/> elements, with its pages
    /// mapped up front (see <see cref="Populate{T}(T[])"/>).
    /// </summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="length">Elements, ≥ 0.</param>
    /// <returns>The array; its contents are unspecified, as <see cref="GC.AllocateUninitializedArray{T}(int, bool)"/>'s.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static T[] Allocate<T>(int length)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        T[] array = GC.AllocateUninitializedArray<T>(length);
        AdviseHugePages(array);
        Populate(array);
        return array;
    }

    /// <summary>
    /// A <paramref name="height"/> × <paramref name="width"/> matrix (no padding between rows) whose first element starts
    /// on a 64-byte boundary, in a pinned array allocated as <see cref="Allocate{T}(int)"/> allocates (huge pages
    /// advised, pages mapped up front). With a row length that is a multiple of 64 bytes (the 784 float pixels of an
    /// image: 3 136 bytes), every row starts on a cache line, so no 64-byte load of a row spans two.
    /// </summary>
    /// <typeparam name="T">An unmanaged element type; rows start 64-byte aligned if its size divides 64.</typeparam>
    /// <param name="height">Rows, ≥ 0.</param>
    /// <param name="width">Columns, ≥ 0.</param>
    /// <returns>The matrix (its array is pinned, so the alignment holds); its contents are unspecified.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="height"/> or <paramref name="width"/> is negative, or the matrix has more elements than an array can hold.
    /// </exception>
    public static unsafe Memory2D<T> AllocateMatrix<T>(int height, int width)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        // Room to move the first element up to the next 64-byte boundary (at most 64 / sizeof(T) − 1 elements on).
        int spare = MatrixAlignment / sizeof(T);
        long length = (long)height * width;
        if (length > Array.MaxLength - spare)
        {
            throw new ArgumentOutOfRangeException(
                nameof(height), $"A {height} × {width} matrix has {length} elements, more than an array can hold ({Array.MaxLength - spare}).");
        }

        T[] array = GC.AllocateUninitializedArray<T>((int)length + spare, pinned: true);
        int offset = 0;
        if (MatrixAlignment % sizeof(T) == 0)
        {
            fixed (T* start = array)
            {
                offset = (int)((MatrixAlignment - ((nuint)start % MatrixAlignment)) % MatrixAlignment) / sizeof(T);
            }
        }

        AdviseHugePages(array);
        Populate(array);
        return new Memory2D<T>(array, offset, height, width, 0);
    }

    /// <summary>
    /// Advises the kernel to map the pages that lie wholly inside <paramref name="array"/> as transparent huge pages
    /// (<c>madvise(MADV_HUGEPAGE)</c>, as numpy does for its arrays); a no-op for arrays under 4 MB, off Linux, or where
    /// the kernel does not support it. It takes effect for pages not mapped yet (mapped ones may be merged later by the
    /// kernel); the contents are unchanged.
    /// </summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="array">The array (pinned for the duration of the call).</param>
    /// <returns>Whether the advice was given (false: nothing was done).</returns>
    public static bool AdviseHugePages<T>(T[] array)
        where T : unmanaged =>
        Advise(array, HugePageMinimumBytes, MadviseHugePage, HugePageFailed); // EINVAL: a kernel without transparent huge pages

    /// <summary>
    /// Maps the pages that lie wholly inside <paramref name="array"/>, if not mapped yet, in one call; a no-op for arrays
    /// under 1 MB, off Linux, or where the kernel does not support it. The contents are unchanged.
    /// </summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="array">The array (pinned for the duration of the call).</param>
    /// <returns>Whether the pages were mapped (false: nothing was done, and nothing needs to be).</returns>
    public static bool Populate<T>(T[] array)
        where T : unmanaged =>
        Advise(array, MinimumBytes, MadvisePopulateWrite, PopulateFailed); // EINVAL before Linux 5.14; ENOMEM no better

    // madvise(advice) over the pages wholly inside `array` (rounded inwards to page boundaries: 4 KB on x64, 16 or 64 KB
    // on some arm64) if it has at least `minimumBytes` and the advice has not failed before; a failure (or no libc) sets
    // `failedBit`, so the call is not tried again.
    private static unsafe bool Advise<T>(T[] array, long minimumBytes, int advice, int failedBit)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        long bytes = (long)array.Length * sizeof(T);
        if (bytes < minimumBytes || (Volatile.Read(ref s_failed) & failedBit) != 0)
        {
            return false;
        }

        fixed (T* start = array)
        {
            nuint page = (nuint)Environment.SystemPageSize;
            nuint first = ((nuint)start + page - 1) & ~(page - 1);
            nuint end = ((nuint)start + (nuint)bytes) & ~(page - 1);
            if (end <= first)
            {
                return false;
            }

            try
            {
                if (Madvise(first, end - first, advice) == 0)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // No libc: as a failed call.
            }

            Interlocked.Or(ref s_failed, failedBit);
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);
}
