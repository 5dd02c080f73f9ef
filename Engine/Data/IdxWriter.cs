using System.Buffers.Binary;
using System.IO.Compression;
using FashionCore.Internals;

namespace FashionCore.Data;

/// <summary>Writes IDX image and label files (gzip-compressed when the path ends in <c>.gz</c>).</summary>
/// <remarks>
/// Files are written to a temporary file beside the target and renamed into place, so a crash never leaves a
/// half-written file under the final name.
/// </remarks>
public static class IdxWriter
{
    /// <summary>Writes images as an IDX3 file.</summary>
    /// <param name="path">Target path; <c>.gz</c> selects gzip compression.</param>
    /// <param name="pixels">count·rows·columns bytes, image after image, row-major.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="rows">Image height.</param>
    /// <param name="columns">Image width.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or a side is below 1.</exception>
    /// <exception cref="ArgumentException">An image has more than <see cref="int.MaxValue"/> pixels (which
    /// <see cref="IdxReader"/> rejects), or the pixel block does not hold count·rows·columns bytes.</exception>
    public static void WriteImages(string path, ReadOnlySpan<byte> pixels, int count, int rows, int columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        long imageSize = (long)rows * columns;
        if (imageSize > int.MaxValue)
        {
            ThrowHelper.ThrowArgument($"Images of {rows}x{columns} have {imageSize} pixels, more than {int.MaxValue}.", nameof(columns));
        }

        // At most 2^31 · 2^31: fits a long, so a mismatch is reported with the true size, never an overflow.
        long expected = count * imageSize;
        if (pixels.Length != expected)
        {
            ThrowHelper.ThrowArgument(
                $"'pixels' must have {expected} bytes ({count} images of {rows}x{columns}) but has {pixels.Length}.", nameof(pixels));
        }

        Span<byte> header = stackalloc byte[IdxFormat.ImagesHeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxFormat.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], count);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], rows);
        BinaryPrimitives.WriteInt32BigEndian(header[12..], columns);
        WriteAtomically(path, header, pixels);
    }

    /// <summary>Writes images as an IDX3 file.</summary>
    /// <param name="path">Target path; <c>.gz</c> selects gzip compression.</param>
    /// <param name="images">The images.</param>
    public static void WriteImages(string path, IdxImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        WriteImages(path, images.Pixels, images.Count, images.Rows, images.Columns);
    }

    /// <summary>Writes labels as an IDX1 file.</summary>
    /// <param name="path">Target path; <c>.gz</c> selects gzip compression.</param>
    /// <param name="labels">The labels.</param>
    public static void WriteLabels(string path, ReadOnlySpan<byte> labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Span<byte> header = stackalloc byte[IdxFormat.LabelsHeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxFormat.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], labels.Length);
        WriteAtomically(path, header, labels);
    }

    private static void WriteAtomically(string path, ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        string full = Path.GetFullPath(path);
        string temp = AtomicFile.TempPathFor(full);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                {
                    using var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
                    gzip.Write(header);
                    gzip.Write(payload);
                }
                else
                {
                    file.Write(header);
                    file.Write(payload);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }
}
