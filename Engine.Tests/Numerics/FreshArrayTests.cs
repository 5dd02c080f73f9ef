using CommunityToolkit.HighPerformance;
using FashionCore.Numerics;

namespace FashionCore.Tests.Numerics;

public class FreshArrayTests
{
    // MADV_POPULATE_WRITE exists from Linux 5.14; on this build host (Linux 6.x) the pages must really be mapped.
    private static bool Supported => OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(5, 14);

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3_000_001)]
    public void Allocate_Length_ReturnsAnArrayOfThatLength(int length)
    {
        Assert.That(FreshArray.Allocate<float>(length), Has.Length.EqualTo(length));
    }

    [Test]
    public void Allocate_NegativeLength_ThrowsNamingLength()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FreshArray.Allocate<byte>(-1));

        Assert.That(e!.ParamName, Is.EqualTo("length"));
    }

    [Test]
    public void Allocate_LargeArray_IsWritableAndReadableEverywhere()
    {
        // 12 MB + a few bytes: the last, partial page is not populated and must still work as usual.
        double[] array = FreshArray.Allocate<double>((3 << 19) + 3);
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = i;
        }

        Assert.That(array[^1], Is.EqualTo(array.Length - 1));
        Assert.That(array.Sum(), Is.EqualTo((double)array.Length * (array.Length - 1) / 2));
    }

    [Test]
    public void Populate_ArrayWithContents_MapsItsPagesAndChangesNothing()
    {
        // The call is made on arrays that may already hold data (and is documented as safe on any owned memory).
        int[] array = ArrayWithContents((1 << 20) + 17);
        int[] copy = (int[])array.Clone();

        bool populated = FreshArray.Populate(array);

        Assert.That(populated, Is.EqualTo(Supported));
        Assert.That(array, Is.EqualTo(copy).AsCollection);
    }

    [Test]
    public void Populate_ArrayUnderOneMegabyte_DoesNothing()
    {
        byte[] array = new byte[(1 << 20) - 1];

        Assert.That(FreshArray.Populate(array), Is.False, "a few page faults cost less than the system call");
    }

    [Test]
    public void Populate_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => FreshArray.Populate<float>(null!));
    }

    [TestCase(0, 0)]
    [TestCase(1, 1)]
    [TestCase(3, 5)]
    [TestCase(60_000, 784)]
    public unsafe void AllocateMatrix_FloatMatrix_StartsOnA64ByteBoundaryWithRowsOneWidthApart(int height, int width)
    {
        Memory2D<float> m = FreshArray.AllocateMatrix<float>(height, width);

        Assert.That((m.Height, m.Width), Is.EqualTo((height, width)));
        if (height > 0 && width > 0)
        {
            Span2D<float> span = m.Span;
            fixed (float* first = span.GetRowSpan(0))
            fixed (float* last = span.GetRowSpan(height - 1))
            {
                Assert.That((ulong)first % 64, Is.Zero);
                Assert.That(last - first, Is.EqualTo((long)(height - 1) * width), "rows are contiguous, no padding");
            }
        }
    }

    [Test]
    public unsafe void AllocateMatrix_PixelRows_EveryRowStartsOnACacheLine()
    {
        // 784 floats = 3 136 bytes = 49 cache lines: with the first row aligned, every row is.
        Span2D<float> span = FreshArray.AllocateMatrix<float>(1000, 784).Span;

        for (int r = 0; r < span.Height; r++)
        {
            fixed (float* row = span.GetRowSpan(r))
            {
                Assert.That((ulong)row % 64, Is.Zero, $"row {r}");
            }
        }
    }

    [Test]
    public unsafe void AllocateMatrix_DoubleAndByteMatrices_StartOnA64ByteBoundary()
    {
        fixed (double* d = FreshArray.AllocateMatrix<double>(7, 3).Span.GetRowSpan(0))
        fixed (byte* b = FreshArray.AllocateMatrix<byte>(7, 3).Span.GetRowSpan(0))
        {
            Assert.That((ulong)d % 64, Is.Zero);
            Assert.That((ulong)b % 64, Is.Zero);
        }
    }

    [Test]
    public void AllocateMatrix_LargeMatrix_IsWritableAndReadableEverywhere()
    {
        // 12 MB: advised for huge pages and populated; every element must still read back what was written.
        Span2D<double> m = FreshArray.AllocateMatrix<double>(3 << 10, 512).Span;
        for (int r = 0; r < m.Height; r++)
        {
            for (int c = 0; c < m.Width; c++)
            {
                m[r, c] = (r * 512.0) + c;
            }
        }

        double n = (double)m.Height * m.Width;
        Assert.That(m[m.Height - 1, m.Width - 1], Is.EqualTo(n - 1));
        Assert.That(m.ToArray().Cast<double>().Sum(), Is.EqualTo(n * (n - 1) / 2));
    }

    [TestCase(-1, 3, "height")]
    [TestCase(3, -1, "width")]
    [TestCase(1 << 16, 1 << 16, "height")]
    public void AllocateMatrix_BadShape_ThrowsNamingTheParameter(int height, int width, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FreshArray.AllocateMatrix<float>(height, width));

        Assert.That(e!.ParamName, Is.EqualTo(parameter));
    }

    [Test]
    public void AdviseHugePages_ArrayOf4MegabytesWithContents_AdvisesAndChangesNothing()
    {
        Assume.That(TransparentHugePages, Is.AnyOf("madvise", "always"), "transparent huge pages are off");
        int[] array = ArrayWithContents(1 << 20);
        int[] copy = (int[])array.Clone();

        Assert.That(FreshArray.AdviseHugePages(array), Is.True);
        Assert.That(array, Is.EqualTo(copy).AsCollection);
    }

    [Test]
    public void AdviseHugePages_ArrayUnder4Megabytes_DoesNothing()
    {
        byte[] array = new byte[(1 << 22) - 1];

        Assert.That(FreshArray.AdviseHugePages(array), Is.False, "numpy's threshold: 4 MB");
    }

    [Test]
    public void AdviseHugePages_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => FreshArray.AdviseHugePages<float>(null!));
    }

    // An array of `length` ints holding a non-constant pattern (no page of it all zeros).
    private static int[] ArrayWithContents(int length)
    {
        int[] array = new int[length];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = (i * 7919) ^ 0x5A5A5A5A;
        }

        return array;
    }

    // The bracketed mode in /sys/kernel/mm/transparent_hugepage/enabled ("always", "madvise", "never"), or "" without it.
    internal static string TransparentHugePages
    {
        get
        {
            const string Path = "/sys/kernel/mm/transparent_hugepage/enabled";
            if (!File.Exists(Path))
            {
                return "";
            }

            string text = File.ReadAllText(Path);
            int open = text.IndexOf('[', StringComparison.Ordinal);
            int close = text.IndexOf(']', StringComparison.Ordinal);
            return open >= 0 && close > open ? text[(open + 1)..close] : "";
        }
    }
}
