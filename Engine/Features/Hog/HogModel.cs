using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features.Hog;

/// <summary>
/// The HOG transform for one image size: skimage 0.19.3 <c>hog(image, …, feature_vector=True)</c>, bit for bit, for
/// one image into a caller span or for n images (one flattened row-major image per row) into an n×F matrix.
/// </summary>
/// <remarks>
/// <para>Effectively computes, per image (no rescaling: uint8 pixels are 0..255 doubles):</para>
/// <code>
///   gRow[r,c] = I[r+1,c] − I[r−1,c], gCol[r,c] = I[r,c+1] − I[r,c−1]   (0 on the outermost row / column)
///   magnitude = hypot(gCol, gRow), θ = rad2deg(atan2(gRow, gCol)) mod 180, bin b ⇔ (180/o)·b ≤ θ &lt; (180/o)·(b+1)
///   hist[cell, b] = (Σ magnitude over the cell's pixels in bin b, summed in float32 row by row) / cell area
///   output = each block's (cell row, cell column, bin) values, normalised by <see cref="HogOptions.BlockNorm"/> in double
/// </code>
/// <para>
/// uint8 images without <see cref="HogOptions.TransformSqrt"/> read magnitude and bin from tables (see
/// <c>HogTables</c>); float images whose pixels are all integers in 0..255 take the same path, other float images
/// go through hypot and atan2 per pixel with identical results (so do images larger than about 50×50 pixels, many cells of 1–2 pixels, and CPUs without 256-bit SIMD; see HogKernel.CanUseTables). Float input is treated as skimage treats
/// <c>image.astype(np.float64)</c>; skimage on a float32 array would compute <c>transform_sqrt</c> and the gradients
/// in float32 instead.
/// </para>
/// <para>
/// Parity: bit-exact with skimage for uint8 input without <c>transform_sqrt</c> (the study's setting) on any CPU. With
/// <c>transform_sqrt</c> or non-integer float pixels, bit-exact with skimage whenever numpy's <c>arctan2</c> is glibc's;
/// on AVX-512 CPUs numpy uses an SVML <c>arctan2</c> that can round an angle lying exactly on a bin edge (e.g.
/// atan2(−1, 1 − √2) = −5π/8) to the other side, moving that pixel to the neighbouring bin — skimage's own output then
/// depends on the CPU.
/// </para>
/// <para>
/// The single-image methods allocate nothing while the cell histogram has at most 1024 values and a block at most 512
/// (on 28×28 images: every setting with cells of at least 3×3 pixels); larger ones rent from <see cref="ArrayPool{T}.Shared"/>. The batch methods run
/// images in parallel; each image is computed independently, so the output does not depend on the thread count. The
/// float output is <c>(float)</c> of the exact double output.
/// </para>
/// </remarks>
public sealed partial class HogModel : ITransformer
{
    private const int StackHistogramLength = 1024;
    private const int StackBlockLength = 512;
    private const int StackPixelCount = 4096;

    /// <summary>Images per parallel work item: big enough to amortise scheduling, small enough to balance 2..64 cores.</summary>
    private const int ImagesPerChunk = 256;

    private readonly HogGeometry _geometry;
    private readonly double[] _edges;
    private readonly ushort[]? _entries;

    /// <summary>Creates the transform for images of the given size.</summary>
    /// <param name="options">The HOG options (validated here).</param>
    /// <param name="imageHeight">Image rows (28 for Fashion-MNIST).</param>
    /// <param name="imageWidth">Image columns (28 for Fashion-MNIST).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range or a size is below 1.</exception>
    /// <exception cref="ArgumentException">The image is too small to hold one block.</exception>
    public HogModel(HogOptions options, int imageHeight = 28, int imageWidth = 28)
    {
        _geometry = HogGeometry.Create(options, imageHeight, imageWidth);
        Options = options;
        _edges = HogMath.CreateBinEdges(options.Orientations);
        _entries = HogKernel.CanUseTables(_geometry) ? HogTables.GetEntries(options.Orientations) : null;
    }

    /// <summary>The options this transform computes.</summary>
    public HogOptions Options { get; }

    /// <summary>Image rows.</summary>
    public int ImageHeight => _geometry.Height;

    /// <summary>Image columns.</summary>
    public int ImageWidth => _geometry.Width;

    /// <summary>Pixels per image (H·W).</summary>
    public int InputFeatureCount => _geometry.PixelCount;

    /// <summary>Features per image, <see cref="HogOptions.GetOutputLength"/>.</summary>
    public int OutputFeatureCount => _geometry.OutputLength;

    /// <summary>Computes the HOG of one uint8 image in float64, exactly as skimage does.</summary>
    /// <param name="image">H·W pixels, row-major.</param>
    /// <param name="destination">Exactly <see cref="OutputFeatureCount"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    [SkipLocalsInit]
    public void Compute(ReadOnlySpan<byte> image, Span<double> destination)
    {
        Check.Length(image, _geometry.PixelCount);
        Check.Length<double>(destination, _geometry.OutputLength);
        float[]? rented = null;
        Span<float> histogram = _geometry.HistogramLength <= StackHistogramLength
            ? stackalloc float[StackHistogramLength]
            : rented = ArrayPool<float>.Shared.Rent(_geometry.HistogramLength);
        histogram = histogram[.._geometry.HistogramLength];
        Histogram(image, histogram);
        HogKernel.NormalizeBlocks(histogram, _geometry, Options.BlockNorm, destination);
        Return(rented);
    }

    /// <summary>Computes the HOG of one uint8 image, stored as float32 (each value is <c>(float)</c> of the float64 result).</summary>
    /// <param name="image">H·W pixels, row-major.</param>
    /// <param name="destination">Exactly <see cref="OutputFeatureCount"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    [SkipLocalsInit]
    public void Compute(ReadOnlySpan<byte> image, Span<float> destination)
    {
        Check.Length(image, _geometry.PixelCount);
        Check.Length<float>(destination, _geometry.OutputLength);
        ComputeCore(image, destination);
    }

    /// <summary>Computes the HOG of one image of float pixels (raw 0..255 values) in float64.</summary>
    /// <param name="image">H·W pixels, row-major.</param>
    /// <param name="destination">Exactly <see cref="OutputFeatureCount"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match, or a pixel is NaN, ±Inf or (with
    /// <see cref="HogOptions.TransformSqrt"/>) negative, or the pixels are so large that a cell histogram overflows float32.</exception>
    [SkipLocalsInit]
    public void Compute(ReadOnlySpan<float> image, Span<double> destination)
    {
        Check.Length(image, _geometry.PixelCount);
        Check.Length<double>(destination, _geometry.OutputLength);
        float[]? rented = null;
        Span<float> histogram = _geometry.HistogramLength <= StackHistogramLength
            ? stackalloc float[StackHistogramLength]
            : rented = ArrayPool<float>.Shared.Rent(_geometry.HistogramLength);
        histogram = histogram[.._geometry.HistogramLength];
        bool valid = Histogram(image, histogram);
        if (valid)
        {
            HogKernel.NormalizeBlocks(histogram, _geometry, Options.BlockNorm, destination);
        }

        Return(rented);
        if (!valid)
        {
            ThrowInvalidImage(image, nameof(image), -1);
        }
    }

    /// <summary>Computes the HOG of one image of float pixels (raw 0..255 values), stored as float32.</summary>
    /// <param name="image">H·W pixels, row-major.</param>
    /// <param name="destination">Exactly <see cref="OutputFeatureCount"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match, or a pixel is NaN, ±Inf or (with
    /// <see cref="HogOptions.TransformSqrt"/>) negative, or the pixels are so large that a cell histogram overflows float32.</exception>
    public void Compute(ReadOnlySpan<float> image, Span<float> destination)
    {
        Check.Length(image, _geometry.PixelCount);
        Check.Length<float>(destination, _geometry.OutputLength);
        if (!ComputeCore(image, destination))
        {
            ThrowInvalidImage(image, nameof(image), -1);
        }
    }

    /// <summary>Transforms n images of raw 0..255 float pixels into n HOG rows, in parallel (<see cref="ITransformer"/>).</summary>
    /// <param name="x">n×(H·W) pixels.</param>
    /// <param name="destination">n×<see cref="OutputFeatureCount"/> features.</param>
    /// <exception cref="ArgumentException">The shapes do not match, or an image has a NaN, ±Inf or (with
    /// <see cref="HogOptions.TransformSqrt"/>) negative pixel, or pixels so large that a cell histogram overflows float32
    /// (the message names the first such image; <paramref name="destination"/> is then partly written).</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination) => Transform(x, destination, -1);

    /// <summary>Transforms n images of raw 0..255 float pixels into n HOG rows.</summary>
    /// <param name="x">n×(H·W) pixels.</param>
    /// <param name="destination">n×<see cref="OutputFeatureCount"/> features.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 for all cores, 1 for the calling thread only.</param>
    /// <exception cref="ArgumentException">The shapes do not match, or an image has a NaN, ±Inf or (with
    /// <see cref="HogOptions.TransformSqrt"/>) negative pixel, or pixels so large that a cell histogram overflows float32
    /// (the message names the first such image; <paramref name="destination"/> is then partly written).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination, int maxDegreeOfParallelism)
    {
        int bad = TransformBatch(x, destination, maxDegreeOfParallelism);
        if (bad >= 0)
        {
            ThrowInvalidImage(x.GetRowSpan(bad), nameof(x), bad);
        }
    }

    /// <summary>Transforms n uint8 images (e.g. <c>Dataset.Images</c>) into n HOG rows, in parallel.</summary>
    /// <param name="images">n×(H·W) pixels.</param>
    /// <param name="destination">n×<see cref="OutputFeatureCount"/> features.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 (default) for all cores, 1 for the calling thread only.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public void Transform(ReadOnlySpan2D<byte> images, Span2D<float> destination, int maxDegreeOfParallelism = -1) =>
        TransformBatch(images, destination, maxDegreeOfParallelism); // uint8 pixels are always valid: nothing to report

    /// <summary>Transforms n uint8 images into a new n×<see cref="OutputFeatureCount"/> matrix, in parallel.</summary>
    /// <param name="images">n×(H·W) pixels.</param>
    /// <returns>The features, one row per image.</returns>
    /// <exception cref="ArgumentException">The image width does not match, or the n×<see cref="OutputFeatureCount"/>
    /// result would exceed the maximum array length.</exception>
    public Memory2D<float> Transform(ReadOnlySpan2D<byte> images)
    {
        Check.Columns(images, _geometry.PixelCount);
        long length = (long)images.Height * _geometry.OutputLength;
        if (length > Array.MaxLength)
        {
            ThrowHelper.ThrowArgument(
                $"'images' has {images.Height} rows of {_geometry.OutputLength} features each, {length} values, more than an array can hold ({Array.MaxLength}).",
                nameof(images));
        }

        float[] result = new float[length];
        Transform(images, new Span2D<float>(result, images.Height, _geometry.OutputLength));
        return new Memory2D<float>(result, images.Height, _geometry.OutputLength);
    }

    /// <summary>The float-output core shared by the single-image and batch paths (lengths already checked).</summary>
    /// <returns>False, with <paramref name="destination"/> untouched, when a float image is invalid (see <see cref="Histogram(ReadOnlySpan{float}, Span{float})"/>).</returns>
    /// <remarks>
    /// The hot methods of the batch skip tiered compilation: a 70 000-image batch is over before the tier-1 code of a
    /// method first called in it is installed, so a second batch still ran partly in unoptimised code.
    /// </remarks>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ComputeCore<TPixel>(ReadOnlySpan<TPixel> image, Span<float> destination)
        where TPixel : unmanaged
    {
        float[]? rentedHistogram = null;
        double[]? rentedBlock = null;
        Span<float> histogram = _geometry.HistogramLength <= StackHistogramLength
            ? stackalloc float[StackHistogramLength]
            : rentedHistogram = ArrayPool<float>.Shared.Rent(_geometry.HistogramLength);
        Span<double> block = _geometry.BlockLength <= StackBlockLength
            ? stackalloc double[StackBlockLength]
            : rentedBlock = ArrayPool<double>.Shared.Rent(_geometry.BlockLength);
        histogram = histogram[.._geometry.HistogramLength];
        bool valid = true;
        if (typeof(TPixel) == typeof(byte))
        {
            Histogram(System.Runtime.InteropServices.MemoryMarshal.Cast<TPixel, byte>(image), histogram);
        }
        else
        {
            valid = Histogram(System.Runtime.InteropServices.MemoryMarshal.Cast<TPixel, float>(image), histogram);
        }

        if (valid)
        {
            HogKernel.NormalizeBlocks(histogram, _geometry, Options.BlockNorm, block[.._geometry.BlockLength], destination);
        }

        Return(rentedHistogram);
        Return(rentedBlock);
        return valid;
    }

    /// <summary>Fills the (trusted-length) histogram scratch of a uint8 image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Histogram(ReadOnlySpan<byte> image, Span<float> histogram)
    {
        if (Options.TransformSqrt)
        {
            HogKernel.Histogram<byte, ByteSqrtPixels>(image, _geometry, _edges, histogram);
        }
        else if (_entries is not null)
        {
            HogKernel.HistogramFromBytes(image, _geometry, _entries, histogram);
        }
        else
        {
            HogKernel.Histogram<byte, BytePixels>(image, _geometry, _edges, histogram);
        }
    }

    /// <summary>Fills the histogram scratch of a float image, via the uint8 tables when every pixel is a byte value.</summary>
    /// <returns>
    /// False, with the histogram unusable, when a pixel is NaN, ±Inf or (with <see cref="HogOptions.TransformSqrt"/>)
    /// negative, or when finite pixels overflow a float32 cell total; the caller reports it with <see cref="ThrowInvalidImage"/>.
    /// </returns>
    /// <remarks>
    /// skimage returns NaN features for such images without a word. Checking the features alone would not catch every
    /// bad pixel: pixels past the last whole cell (rows/columns 25..27 of a 28×28 image with 8×8 cells) feed no cell, so
    /// a NaN there never reaches the output. So the pixels are checked, at no cost on the fast path (an image narrowed
    /// to bytes is valid by construction) and with one vectorised pass on the per-pixel path, where hypot and atan2 per
    /// pixel cost far more (28×28 non-integer pixels, timed: ~0.05 µs for the pass against ~40 µs for Compute).
    /// The histogram check after it is over (o + 1) values per cell, a tenth of the pixels.
    /// </remarks>
    [SkipLocalsInit]
    internal bool Histogram(ReadOnlySpan<float> image, Span<float> histogram)
    {
        if (!Options.TransformSqrt && _entries is not null && image.Length <= StackPixelCount)
        {
            Span<byte> bytes = stackalloc byte[StackPixelCount];
            bytes = bytes[..image.Length];
            if (HogKernel.TryNarrowToBytes(image, bytes))
            {
                HogKernel.HistogramFromBytes(bytes, _geometry, _entries, histogram);
                return true;
            }
        }

        // TensorPrimitives.Min returns NaN when a value is NaN, which fails the comparison too.
        if (!TensorPrimitives.IsFiniteAll(image) || (Options.TransformSqrt && !(TensorPrimitives.Min(image) >= 0)))
        {
            return false;
        }

        if (Options.TransformSqrt)
        {
            HogKernel.Histogram<float, FloatSqrtPixels>(image, _geometry, _edges, histogram);
        }
        else
        {
            HogKernel.Histogram<float, FloatPixels>(image, _geometry, _edges, histogram);
        }

        // Finite pixels can still overflow: a gradient above float.MaxValue, or a cell's sum of them, becomes +Inf in
        // the float32 totals and NaN after normalisation.
        return TensorPrimitives.IsFiniteAll(histogram);
    }

    /// <summary>Names the first invalid pixel of an image <see cref="Histogram(ReadOnlySpan{float}, Span{float})"/> rejected.</summary>
    /// <param name="image">The rejected image.</param>
    /// <param name="paramName">The public parameter the image came from.</param>
    /// <param name="row">The image's row in a batch, or −1 for a single image.</param>
    [DoesNotReturn]
    private void ThrowInvalidImage(ReadOnlySpan<float> image, string paramName, int row)
    {
        string which = row >= 0 ? $"'{paramName}' image {row}" : $"'{paramName}'";
        for (int p = 0; p < image.Length; p++)
        {
            float v = image[p];
            if (!float.IsFinite(v) || (Options.TransformSqrt && v < 0))
            {
                string rule = Options.TransformSqrt ? "finite and non-negative (TransformSqrt takes square roots)" : "finite";
                ThrowHelper.ThrowArgument(
                    $"{which} has {v} at pixel {p} (row {p / _geometry.Width}, column {p % _geometry.Width}); HOG pixels must be {rule}.", paramName);
            }
        }

        ThrowHelper.ThrowArgument(
            $"{which} has pixel values too large for HOG: a cell histogram overflowed float32 (gradients must stay well below {float.MaxValue}).", paramName);
    }

    /// <summary>The batch driver; returns the first image <see cref="ComputeRow"/> rejected, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int TransformBatch<TPixel>(ReadOnlySpan2D<TPixel> images, Span2D<float> destination, int maxDegreeOfParallelism)
        where TPixel : unmanaged
    {
        int count = images.Height;
        Check.Shape(images, count, _geometry.PixelCount);
        Check.Shape(destination, count, _geometry.OutputLength);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use −1 (all cores) or a positive thread count.");
        }

        if (count == 0)
        {
            return -1;
        }

        if (maxDegreeOfParallelism == 1 || count <= ImagesPerChunk)
        {
            for (int i = 0; i < count; i++)
            {
                if (!ComputeRow(images.GetRowSpan(i), destination.GetRowSpan(i)))
                {
                    return i;
                }
            }

            return -1;
        }

        return HogBatch<TPixel>.Run(this, images, destination, ImagesPerChunk, maxDegreeOfParallelism);
    }

    /// <summary>One image of a batch (lengths already checked); false when a float image is invalid.</summary>
    internal bool ComputeRow<TPixel>(ReadOnlySpan<TPixel> image, Span<float> destination)
        where TPixel : unmanaged => ComputeCore(image, destination);

    private static void Return<T>(T[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
