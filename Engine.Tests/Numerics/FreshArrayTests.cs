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
        int[] array = new int[(1 << 20) + 17];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = (i * 7919) ^ 0x5A5A5A5A;
        }

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
}
