using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Data;

/// <summary>
/// An immutable labelled image set: images as one contiguous byte block (n×pixels, one flattened image per row),
/// labels, and the class names.
/// </summary>
/// <remarks>
/// <code>
///   Pixels:  [ image 0: row 0 | row 1 | … | row H-1 ][ image 1 … ] …   (n · H · W bytes, no padding)
///   Images:  n × (H·W) matrix view over Pixels
/// </code>
/// </remarks>
public sealed class Dataset
{
    private readonly byte[] _pixels;
    private readonly byte[] _labels;
    private readonly string[] _classNames;

    /// <summary>Creates a dataset over the given blocks (not copied: callers hand over ownership).</summary>
    /// <param name="pixels">count·height·width bytes.</param>
    /// <param name="labels">count labels, each below <paramref name="classNames"/>.Length.</param>
    /// <param name="imageHeight">Image height in pixels.</param>
    /// <param name="imageWidth">Image width in pixels.</param>
    /// <param name="classNames">Name of each class, indexed by label.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side is below 1.</exception>
    /// <exception cref="ArgumentException">The sizes disagree, an image has more than <see cref="int.MaxValue"/> pixels,
    /// or a label has no class name.</exception>
    public Dataset(byte[] pixels, byte[] labels, int imageHeight, int imageWidth, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        // Checked first: PixelCount is an int, and with it bounded the size check below cannot overflow a long.
        if ((long)imageHeight * imageWidth > int.MaxValue)
        {
            ThrowHelper.ThrowArgument($"Images of {imageHeight}x{imageWidth} have {(long)imageHeight * imageWidth} pixels, more than {int.MaxValue}.", nameof(imageWidth));
        }

        if ((long)labels.Length * imageHeight * imageWidth != pixels.LongLength)
        {
            ThrowHelper.ThrowArgument($"{labels.Length} labels need {(long)labels.Length * imageHeight * imageWidth} pixel bytes for {imageHeight}x{imageWidth} images, got {pixels.LongLength}.", nameof(pixels));
        }

        if (classNames.Count is 0 or > 256)
        {
            ThrowHelper.ThrowArgument($"classNames must have 1..256 entries, has {classNames.Count}.", nameof(classNames));
        }

        int bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(classNames.Count - 1));
        if (bad >= 0)
        {
            ThrowHelper.ThrowArgument($"label {labels[bad]} at index {bad} has no class name (there are {classNames.Count}).", nameof(labels));
        }

        _pixels = pixels;
        _labels = labels;
        _classNames = [.. classNames];
        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
    }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>Image height in pixels (28 for Fashion-MNIST).</summary>
    public int ImageHeight { get; }

    /// <summary>Image width in pixels (28 for Fashion-MNIST).</summary>
    public int ImageWidth { get; }

    /// <summary>Pixels per image, i.e. columns of <see cref="Images"/> (784 for Fashion-MNIST).</summary>
    public int PixelCount => ImageHeight * ImageWidth;

    /// <summary>The images as an n×<see cref="PixelCount"/> matrix (one flattened, row-major image per row).</summary>
    public ReadOnlyMemory2D<byte> Images => new(_pixels, Count, PixelCount);

    /// <summary>The whole contiguous pixel block.</summary>
    public ReadOnlyMemory<byte> Pixels => _pixels;

    /// <summary>The label of each image.</summary>
    public ReadOnlyMemory<byte> Labels => _labels;

    /// <summary>Class names indexed by label.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Number of classes (<see cref="ClassNames"/>.Count).</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>Image <paramref name="index"/> as a flattened row-major span.</summary>
    /// <param name="index">Image index, 0..Count−1.</param>
    public ReadOnlySpan<byte> GetImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _pixels.AsSpan(index * PixelCount, PixelCount);
    }

    /// <summary>The labels widened to <see cref="int"/>, as the estimators take them.</summary>
    public int[] GetLabelsInt32()
    {
        int[] result = new int[_labels.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = _labels[i];
        }

        return result;
    }

    /// <summary>Number of images of each class, indexed by label.</summary>
    public int[] CountPerClass()
    {
        int[] counts = new int[ClassCount];
        foreach (byte label in _labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>The raw pixel values (0..255) as floats, n×<see cref="PixelCount"/>, the input the feature transforms take.</summary>
    public float[] ToFloatPixels()
    {
        // 188 MB for the training split: mapping its pages in one call saves ~0.5 s of page faults (see FreshArray).
        float[] result = Numerics.FreshArray.Allocate<float>(_pixels.Length);
        Numerics.PixelKernels.Widen(_pixels, result);
        return result;
    }

    /// <summary>A new dataset with the images at <paramref name="indices"/>, in that order (copies).</summary>
    /// <param name="indices">Image indices; repeats allowed.</param>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        int size = PixelCount;
        byte[] pixels = GC.AllocateUninitializedArray<byte>(indices.Length * size);
        byte[] labels = new byte[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)Count)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(indices), i, $"index at position {k} must be in 0..{Count - 1}.");
            }

            _pixels.AsSpan(i * size, size).CopyTo(pixels.AsSpan(k * size));
            labels[k] = _labels[i];
        }

        return new Dataset(pixels, labels, ImageHeight, ImageWidth, _classNames);
    }

    /// <summary>A new dataset with images <paramref name="start"/>..<paramref name="start"/>+<paramref name="count"/>−1 (copies).</summary>
    /// <param name="start">First image.</param>
    /// <param name="count">Number of images.</param>
    public Dataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + count, Count, nameof(count));
        return new Dataset(
            _pixels.AsSpan(start * PixelCount, count * PixelCount).ToArray(),
            _labels.AsSpan(start, count).ToArray(),
            ImageHeight,
            ImageWidth,
            _classNames);
    }
}
