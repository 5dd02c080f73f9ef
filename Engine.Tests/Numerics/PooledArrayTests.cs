using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance.Buffers;
using FashionCore.Numerics;

namespace FashionCore.Tests.Numerics;

public partial class PooledArrayTests
{
    private const int MadviseNoHugePage = 15; // MADV_NOHUGEPAGE

    // 8 MB of floats: over numpy's 4 MB threshold with whole 2 MB pages inside, wherever the array starts.
    private const int LargeLength = 2 << 20;

    [Test]
    public void Allocate_PooledArrayWithoutTheAdvice_AdvisesItAgainForHugePages()
    {
        Assume.That(HugePagesAdvisable, "Linux with transparent huge pages in madvise or always mode");
        float[] unadvised = UnadvisedPooledArray(LargeLength);

        using MemoryOwner<float> owner = PooledArray.Allocate<float>(LargeLength);

        Assume.That(owner.DangerousGetArray().Array, Is.SameAs(unadvised), "the pool hands this thread back the array it returned");
        Assert.That(owner.Length, Is.EqualTo(LargeLength));
        Assert.That(MappingFlags(unadvised), Does.Contain("hg"), "MADV_HUGEPAGE on the array's pages");
    }

    [Test]
    public void Rent_PooledArrayWithoutTheAdvice_AdvisesItAgainForHugePages()
    {
        Assume.That(HugePagesAdvisable, "Linux with transparent huge pages in madvise or always mode");
        float[] unadvised = UnadvisedPooledArray(LargeLength);

        float[] array = PooledArray.Rent<float>(LargeLength);
        try
        {
            Assume.That(array, Is.SameAs(unadvised), "the pool hands this thread back the array it returned");
            Assert.That(array, Has.Length.GreaterThanOrEqualTo(LargeLength));
            Assert.That(MappingFlags(array), Does.Contain("hg"), "MADV_HUGEPAGE on the array's pages");
        }
        finally
        {
            ArrayPool<float>.Shared.Return(array);
        }
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(1000)]
    public void Allocate_SmallLength_ReturnsAWritableBufferOfThatLength(int length)
    {
        using MemoryOwner<float> owner = PooledArray.Allocate<float>(length);
        owner.Span.Fill(3f);

        Assert.That(owner.Length, Is.EqualTo(length));
        Assert.That(owner.Span.ToArray(), Is.All.EqualTo(3f));
    }

    // An array rented from the shared pool, its pages advised MADV_NOHUGEPAGE (checked), then returned: the next rent
    // of that size on this thread gets it back, without the huge-page advice a previous rent may have left on it.
    private static unsafe float[] UnadvisedPooledArray(int length)
    {
        float[] array = ArrayPool<float>.Shared.Rent(length);
        fixed (float* start = array)
        {
            nuint page = (nuint)Environment.SystemPageSize;
            nuint first = ((nuint)start + page - 1) & ~(page - 1);
            nuint end = ((nuint)(start + array.Length)) & ~(page - 1);
            Assert.That(Madvise(first, end - first, MadviseNoHugePage), Is.Zero, "madvise(MADV_NOHUGEPAGE)");
        }

        Assert.That(MappingFlags(array), Does.Not.Contain("hg"), "the advice was taken off");
        ArrayPool<float>.Shared.Return(array);
        return array;
    }

    // Linux with /proc/self/smaps and transparent huge pages in madvise or always mode.
    private static bool HugePagesAdvisable =>
        File.Exists("/proc/self/smaps") && FreshArrayTests.TransparentHugePages is "madvise" or "always";

    // The VmFlags of the /proc/self/smaps mapping that holds the middle of the array (two-letter codes; "hg" is
    // MADV_HUGEPAGE). The array is pinned while the file is read, so the address stays valid.
    private static unsafe string[] MappingFlags(float[] array)
    {
        fixed (float* start = array)
        {
            ulong middle = (ulong)(start + (array.Length / 2));
            bool inside = false;
            foreach (string line in File.ReadLines("/proc/self/smaps"))
            {
                int dash = line.IndexOf('-', StringComparison.Ordinal);
                int space = line.IndexOf(' ', StringComparison.Ordinal);
                if (dash > 0 && space > dash
                    && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong from)
                    && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong to))
                {
                    inside = middle >= from && middle < to;
                }
                else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
                {
                    return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                }
            }

            return [];
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);
}
