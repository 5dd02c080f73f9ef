using System.Buffers.Binary;
using System.IO.Compression;
using FashionCore.Data;

namespace FashionCore.Tests.Data;

public class IdxReaderValidationTests
{
    [Test]
    public void ReadImages_PayloadShorterThanHeaderSays_NamesFileAndBothSizes()
    {
        byte[] file = ImageFile(count: 2, rows: 28, columns: 28, payload: 784 * 2 - 5);

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(file), "train-images-idx3-ubyte"));

        Assert.That(e!.Message, Is.EqualTo("train-images-idx3-ubyte: header says 2 images of 28x28 but payload has 1563 bytes (expected 1568)."));
    }

    [Test]
    public void ReadImages_GzipPayloadLongerThanHeaderSays_NamesFileAndBothSizes()
    {
        byte[] file = Gzip(ImageFile(count: 1, rows: 2, columns: 2, payload: 7));

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(file), "x.gz"));

        Assert.That(e!.Message, Is.EqualTo("x.gz: header says 1 images of 2x2 but payload has 7 bytes (expected 4)."));
    }

    [Test]
    public void ReadImages_GzipPayloadShort_NamesBothSizes()
    {
        byte[] file = Gzip(ImageFile(count: 3, rows: 2, columns: 2, payload: 10));

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(file), "x.gz"));

        Assert.That(e!.Message, Does.Contain("payload has 10 bytes (expected 12)"));
    }

    [Test]
    public void ReadImages_LabelFile_SaysWrongMagic()
    {
        byte[] labels = new byte[8 + 3];
        BinaryPrimitives.WriteInt32BigEndian(labels, IdxFormat.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), 3);

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(labels), "f"));

        Assert.That(e!.Message, Does.StartWith("f: magic 0x00000801").And.Contain("expected 0x00000803"));
    }

    [Test]
    public void ReadImages_NonIdxBytes_SaysNotAnIdxFile()
    {
        byte[] text = "hello, this is not an IDX file"u8.ToArray();

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(text), "notes.txt"));

        Assert.That(e!.Message, Does.StartWith("notes.txt: not an IDX file"));
    }

    [Test]
    public void ReadImages_FloatDataType_SaysTypeUnsupported()
    {
        byte[] file = ImageFile(1, 1, 1, 1);
        file[2] = 0x0D;

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(file), "f"));

        Assert.That(e!.Message, Does.Contain("data type 0x0D"));
    }

    [Test]
    public void ReadImages_TruncatedHeader_SaysHowShort()
    {
        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(new byte[] { 0, 0, 8, 3, 0 }), "f"));

        Assert.That(e!.Message, Is.EqualTo("f: content is 5 bytes, shorter than the 16-byte IDX image header."));
    }

    [Test]
    public void ReadImages_HeaderClaimsBillionsOfImages_FailsBeforeAllocatingThePayload()
    {
        byte[] raw = ImageFile(count: int.MaxValue, rows: 1, columns: 1, payload: 100);
        byte[] gz = Gzip(ImageFile(count: 1 << 30, rows: 1, columns: 1, payload: 100));
        byte[] gzHuge = Gzip(raw);
        IdxReader.ReadImages(new MemoryStream(ImageFile(1, 1, 1, 1)), "warm-up");

        long before = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException? rawError = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(raw), "raw"));
        InvalidDataException? gzError = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(gz), "gz"));
        InvalidDataException? gzHugeError = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(gzHuge), "gz"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(rawError!.Message, Does.Contain("payload has 100 bytes (expected 2147483647)"));
        Assert.That(gzError!.Message, Does.Contain("payload has 100 bytes (expected 1073741824)"));
        Assert.That(gzHugeError!.Message, Does.Contain("more than one array can hold"));
        // A gzip stream's inflate buffers and the unseekable copy are small; the claimed 2 GiB is never allocated.
        Assert.That(allocated, Is.LessThan(4 << 20));
    }

    [Test]
    public void ReadImages_GzipHeaderClaimsMoreThanAnArrayHolds_SaysSo()
    {
        byte[] gz = Gzip(ImageFile(count: 70000, rows: 28000, columns: 28000, payload: 0));

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(gz), "big"));

        Assert.That(e!.Message, Does.Contain("more than one array can hold"));
    }

    [Test]
    public void ReadLabels_LabelOutOfRange_NamesValueAndIndex()
    {
        byte[] file = new byte[8 + 4];
        BinaryPrimitives.WriteInt32BigEndian(file, IdxFormat.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), 4);
        file[8 + 2] = 12;

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(new MemoryStream(file), "labels"));

        Assert.That(e!.Message, Is.EqualTo("labels: label 12 at index 2 is outside 0..9."));
    }

    [Test]
    public void ReadImages_CorruptGzip_WrapsWithFileName()
    {
        byte[] gz = Gzip(ImageFile(4, 28, 28, 4 * 784));
        for (int i = 20; i < 60; i++)
        {
            gz[i] ^= 0x5A;
        }

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(gz), "bad.gz"));

        Assert.That(e!.Message, Does.StartWith("bad.gz:"));
    }

    [Test]
    public void ReadImages_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(Path.Combine(Path.GetTempPath(), "does-not-exist-" + Guid.NewGuid())));
    }

    [TestCase(65536, 32768, 2147483648L)]
    [TestCase(65536, 65536, 4294967296L)]
    public void ReadImages_ImagePixelCountOverflowsInt_NamesFileAndSize(int rows, int columns, long pixels)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(ImageFile(0, rows, columns, 0)), "huge"))!;

        Assert.That(e.Message, Is.EqualTo($"huge: header says images of {rows}x{columns} = {pixels} pixels; at most 2147483647 are supported."));
    }

    internal static byte[] ImageFile(int count, int rows, int columns, int payload)
    {
        byte[] file = new byte[16 + payload];
        BinaryPrimitives.WriteInt32BigEndian(file, IdxFormat.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(12), columns);
        for (int i = 16; i < file.Length; i++)
        {
            file[i] = (byte)i;
        }

        return file;
    }

    internal static byte[] Gzip(byte[] content)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
