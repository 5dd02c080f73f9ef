using CommunityToolkit.HighPerformance;

namespace FashionCore.Data;

/// <summary>The payload of an IDX image file: <see cref="Count"/> images of <see cref="Rows"/>×<see cref="Columns"/> unsigned bytes, row-major, contiguous.</summary>
public sealed class IdxImages
{
    /// <summary>Wraps an image block.</summary>
    /// <param name="pixels">count·rows·columns bytes, image after image, each row-major.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="rows">Image height in pixels.</param>
    /// <param name="columns">Image width in pixels.</param>
    /// <exception cref="ArgumentException">The block length is not count·rows·columns, a size is negative, or an image
    /// has more than <see cref="int.MaxValue"/> pixels (the width of <see cref="AsMatrix"/>).</exception>
    public IdxImages(byte[] pixels, int count, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns > int.MaxValue)
        {
            throw new ArgumentException($"Images of {rows}x{columns} have {(long)rows * columns} pixels, more than {int.MaxValue}.", nameof(columns));
        }
        if ((long)count * rows * columns != pixels.LongLength)
        {
            throw new ArgumentException($"pixels has {pixels.LongLength} bytes but {count} images of {rows}x{columns} need {(long)count * rows * columns}.", nameof(pixels));
        }

        Pixels = pixels;
        Count = count;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The contiguous pixel block (count·rows·columns bytes).</summary>
    public byte[] Pixels { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Columns { get; }

    /// <summary>The images as an n×(rows·columns) matrix, one flattened image per row.</summary>
    public ReadOnlyMemory2D<byte> AsMatrix() => new(Pixels, Count, Rows * Columns);
}
