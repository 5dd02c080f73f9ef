using System.Buffers.Binary;
using System.IO.Compression;
using FashionCore.Internals;
using FashionCore.Numerics;

namespace FashionCore.Data;

/// <summary>
/// Reads IDX image and label files, raw or gzip-compressed (detected by magic bytes), validating every header
/// field and the exact payload length.
/// </summary>
/// <remarks>
/// Every violation is an <see cref="InvalidDataException"/> whose message starts with the file name and says what
/// was wrong. The claimed sizes are checked against what the file can hold before the payload buffer is allocated,
/// so a corrupt header claiming billions of images fails fast instead of exhausting memory.
/// </remarks>
public static class IdxReader
{
    /// <summary>Labels above this are rejected unless the caller says otherwise (Fashion-MNIST has classes 0..9).</summary>
    public const int DefaultClassCount = 10;

    // A gzip stream does not say how much it will inflate to; grow the buffer with the data actually read
    // rather than trusting the header, starting here.
    private const int InitialGzipCapacity = 1 << 20;

    /// <summary>Reads an IDX image file (magic 0x00000803).</summary>
    /// <param name="path">Path of a raw or gzip-compressed IDX3 file.</param>
    /// <returns>The images.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid IDX image file; the message names the file and the problem.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxImages ReadImages(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = OpenFile(path);
        return ReadImages(stream, path);
    }

    /// <summary>Reads an IDX image file from a stream.</summary>
    /// <param name="stream">The file content, raw or gzip-compressed.</param>
    /// <param name="sourceName">Name used in error messages (usually the file path).</param>
    /// <returns>The images.</returns>
    /// <exception cref="InvalidDataException">The content is not a valid IDX image file.</exception>
    public static IdxImages ReadImages(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        using Payload payload = Payload.Open(stream, sourceName);
        Span<byte> header = stackalloc byte[IdxFormat.ImagesHeaderLength];
        payload.ReadHeader(header, IdxFormat.ImagesMagic, 3, "image");
        int count = ReadDimension(header, 4, "image count", sourceName);
        int rows = ReadDimension(header, 8, "row count", sourceName);
        int columns = ReadDimension(header, 12, "column count", sourceName);
        if (rows == 0 || columns == 0)
        {
            ThrowHelper.ThrowInvalidData(sourceName, $"header says images of {rows}x{columns}; both sides must be at least 1.");
        }

        // An image is one matrix row (IdxImages.AsMatrix, Dataset.Images), so its pixel count must fit an int.
        if ((long)rows * columns > int.MaxValue)
        {
            ThrowHelper.ThrowInvalidData(sourceName, $"header says images of {rows}x{columns} = {(long)rows * columns} pixels; at most {int.MaxValue} are supported.");
        }

        long expected = (long)count * rows * columns;
        string claim = $"header says {count} images of {rows}x{columns}";
        byte[] pixels = payload.ReadExactPayload(expected, claim);
        return new IdxImages(pixels, count, rows, columns);
    }

    /// <summary>Reads an IDX label file (magic 0x00000801) and checks every label is below <paramref name="classCount"/>.</summary>
    /// <param name="path">Path of a raw or gzip-compressed IDX1 file.</param>
    /// <param name="classCount">Number of classes; labels must lie in 0..classCount−1 (default 10).</param>
    /// <returns>The labels.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid IDX label file or a label is out of range.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static byte[] ReadLabels(string path, int classCount = DefaultClassCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = OpenFile(path);
        return ReadLabels(stream, path, classCount);
    }

    /// <summary>Reads an IDX label file from a stream.</summary>
    /// <param name="stream">The file content, raw or gzip-compressed.</param>
    /// <param name="sourceName">Name used in error messages (usually the file path).</param>
    /// <param name="classCount">Number of classes; labels must lie in 0..classCount−1 (default 10).</param>
    /// <returns>The labels.</returns>
    /// <exception cref="InvalidDataException">The content is not a valid IDX label file or a label is out of range.</exception>
    public static byte[] ReadLabels(Stream stream, string sourceName, int classCount = DefaultClassCount)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
        using Payload payload = Payload.Open(stream, sourceName);
        Span<byte> header = stackalloc byte[IdxFormat.LabelsHeaderLength];
        payload.ReadHeader(header, IdxFormat.LabelsMagic, 1, "label");
        int count = ReadDimension(header, 4, "label count", sourceName);
        byte[] labels = payload.ReadExactPayload(count, $"header says {count} labels");
        int bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(classCount - 1));
        if (bad >= 0)
        {
            ThrowHelper.ThrowInvalidData(sourceName, $"label {labels[bad]} at index {bad} is outside 0..{classCount - 1}.");
        }

        return labels;
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);

    private static void CheckMagic(ReadOnlySpan<byte> header, int expectedMagic, int expectedDims, string kind, string source)
    {
        if (header[0] != 0 || header[1] != 0)
        {
            ThrowHelper.ThrowInvalidData(source, $"not an IDX file: it starts with bytes {header[0]:X2} {header[1]:X2}, not 00 00.");
        }

        if (header[2] != 0x08)
        {
            ThrowHelper.ThrowInvalidData(source, $"IDX data type 0x{header[2]:X2} is not supported; only unsigned bytes (0x08) are.");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            ThrowHelper.ThrowInvalidData(source, $"magic 0x{magic:X8} ({header[3]} dimensions) is not an IDX {kind} file; expected 0x{expectedMagic:X8} ({expectedDims} dimensions).");
        }
    }

    private static int ReadDimension(ReadOnlySpan<byte> header, int offset, string what, string source)
    {
        uint value = BinaryPrimitives.ReadUInt32BigEndian(header[offset..]);
        if (value > int.MaxValue)
        {
            ThrowHelper.ThrowInvalidData(source, $"header {what} {value} is larger than {int.MaxValue}.");
        }

        return (int)value;
    }

    /// <summary>The decompressed byte stream after the magic-byte sniffing, with what is known of its length.</summary>
    private sealed class Payload : IDisposable
    {
        private readonly Stream _stream;
        private readonly string _source;
        private readonly bool _ownsStream;
        private readonly long _knownLength; // remaining bytes for raw seekable input; -1 when unknown (gzip)
        private readonly long _lengthHint;  // gzip ISIZE trailer when available; only sizes the first buffer
        private long _consumed;

        private Payload(Stream stream, string source, bool ownsStream, long knownLength, long lengthHint)
        {
            _stream = stream;
            _source = source;
            _ownsStream = ownsStream;
            _knownLength = knownLength;
            _lengthHint = lengthHint;
        }

        public static Payload Open(Stream stream, string source)
        {
            if (!stream.CanSeek)
            {
                // Sniffing needs to look ahead; an unseekable stream is copied once (files are always seekable).
                var copy = new MemoryStream();
                stream.CopyTo(copy);
                copy.Position = 0;
                return OpenSeekable(copy, source, ownsStream: true);
            }

            return OpenSeekable(stream, source, ownsStream: false);
        }

        private static Payload OpenSeekable(Stream stream, string source, bool ownsStream)
        {
            long start = stream.Position;
            long length = stream.Length - start;
            Span<byte> magic = stackalloc byte[2];
            int got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            stream.Position = start;
            if (!IdxFormat.IsGzip(magic[..got]))
            {
                return new Payload(stream, source, ownsStream, length, -1);
            }

            long hint = -1;
            if (length >= 18)
            {
                // ISIZE: the last 4 bytes of a gzip member, the uncompressed size mod 2^32. Only a sizing hint.
                Span<byte> trailer = stackalloc byte[4];
                stream.Position = stream.Length - 4;
                stream.ReadExactly(trailer);
                stream.Position = start;
                hint = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            }

            var gzip = new GZipStream(ownsStream ? stream : new NonClosingStream(stream), CompressionMode.Decompress);
            return new Payload(gzip, source, ownsStream: true, -1, hint);
        }

        /// <summary>Reads and checks the magic first, so a file of the wrong kind is named as such even when it is short.</summary>
        public void ReadHeader(Span<byte> header, int expectedMagic, int expectedDims, string kind)
        {
            int got = Read(header[..4]);
            if (got == 4)
            {
                CheckMagic(header, expectedMagic, expectedDims, kind, _source);
                got += Read(header[4..]);
            }

            if (got < header.Length)
            {
                ThrowHelper.ThrowInvalidData(_source, $"content is {got} bytes, shorter than the {header.Length}-byte IDX {kind} header.");
            }
        }

        public byte[] ReadExactPayload(long expected, string claim)
        {
            if (_knownLength >= 0)
            {
                long available = _knownLength - _consumed;
                if (available != expected)
                {
                    ThrowHelper.ThrowInvalidData(_source, $"{claim} but payload has {available} bytes (expected {expected}).");
                }
            }

            if (expected > Array.MaxLength)
            {
                ThrowHelper.ThrowInvalidData(_source, $"{claim} = {expected} bytes, more than one array can hold ({Array.MaxLength}).");
            }

            if (_knownLength >= 0)
            {

                byte[] exact = FreshArray.Allocate<byte>((int)expected);
                int read = Read(exact);
                if (read != expected)
                {
                    ThrowHelper.ThrowInvalidData(_source, $"{claim} but payload has {read} bytes (expected {expected}).");
                }

                return exact;
            }

            return ReadGrowing((int)expected, claim);
        }

        private byte[] ReadGrowing(int expected, string claim)
        {
            long hinted = _lengthHint - _consumed;
            int capacity = hinted == expected ? expected : Math.Min(expected, InitialGzipCapacity);
            // The decompressor writes 47 MB of fresh memory for the training images: mapped in one call, not fault by fault.
            byte[] buffer = FreshArray.Allocate<byte>(capacity);
            int filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (filled == expected)
                    {
                        break;
                    }

                    int grown = (int)Math.Min(expected, Math.Max(2L * buffer.Length, 1));
                    Array.Resize(ref buffer, grown);
                }

                int n = Read(buffer.AsSpan(filled));
                if (n == 0)
                {
                    ThrowHelper.ThrowInvalidData(_source, $"{claim} but payload has {filled} bytes (expected {expected}).");
                }

                filled += n;
            }

            // The buffer is full: anything left over is also a length mismatch.
            Span<byte> scratch = stackalloc byte[4096];
            long extra = 0;
            int more;
            while ((more = Read(scratch)) > 0)
            {
                extra += more;
            }

            if (extra > 0)
            {
                ThrowHelper.ThrowInvalidData(_source, $"{claim} but payload has {expected + extra} bytes (expected {expected}).");
            }

            return buffer;
        }

        private int Read(Span<byte> destination)
        {
            int total = 0;
            try
            {
                while (total < destination.Length)
                {
                    int n = _stream.Read(destination[total..]);
                    if (n == 0)
                    {
                        break;
                    }

                    total += n;
                }
            }
            catch (InvalidDataException e)
            {
                // GZipStream's own corruption message does not say which file.
                throw new InvalidDataException($"{_source}: corrupt gzip data after {_consumed + total} decompressed bytes: {e.Message}", e);
            }

            _consumed += total;
            return total;
        }

        public void Dispose()
        {
            if (_ownsStream)
            {
                _stream.Dispose();
            }
        }
    }
}
