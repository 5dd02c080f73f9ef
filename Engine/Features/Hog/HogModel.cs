using System.Buffers;
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
    /// <exception cref="ArgumentException">A length does not match.</exception>
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
        Histogram(image, histogram);
        HogKernel.NormalizeBlocks(histogram, _geometry, Options.BlockNorm, destination);
        Return(rented);
    }

    /// <summary>Computes the HOG of one image of float pixels (raw 0..255 values), stored as float32.</summary>
    /// <param name="image">H·W pixels, row-major.</param>
    /// <param name="destination">Exactly <see cref="OutputFeatureCount"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void Compute(ReadOnlySpan<float> image, Span<float> destination)
    {
        Check.Length(image, _geometry.PixelCount);
        Check.Length<float>(destination, _geometry.OutputLength);
        ComputeCore(image, destination);
    }

    /// <summary>Transforms n images of raw 0..255 float pixels into n HOG rows, in parallel (<see cref="ITransformer"/>).</summary>
    /// <param name="x">n×(H·W) pixels.</param>
    /// <param name="destination">n×<see cref="OutputFeatureCount"/> features.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination) => Transform(x, destination, -1);

    /// <summary>Transforms n images of raw 0..255 float pixels into n HOG rows.</summary>
    /// <param name="x">n×(H·W) pixels.</param>
    /// <param name="destination">n×<see cref="OutputFeatureCount"/> features.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 for all cores, 1 for the calling thread only.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination, int maxDegreeOfParallelism) =>
        TransformBatch(x, destination, maxDegreeOfParallelism);

    /// <summary>Transforms n uint8 images (e.g. <c>Dataset.Images</c>) into n HOG rows, in parallel.</summary>
    /// <param name="images">n×(H·W) pixels.</param>
    /// <param name="destination">n×<see cref="OutputFeatureCount"/> features.</param>
    /// <param name="maxDegreeOfParallelism">Most threads to use; −1 (default) for all cores, 1 for the calling thread only.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public void Transform(ReadOnlySpan2D<byte> images, Span2D<float> destination, int maxDegreeOfParallelism = -1) =>
        TransformBatch(images, destination, maxDegreeOfParallelism);

    /// <summary>Transforms n uint8 images into a new n×<see cref="OutputFeatureCount"/> matrix, in parallel.</summary>
    /// <param name="images">n×(H·W) pixels.</param>
    /// <returns>The features, one row per image.</returns>
    /// <exception cref="ArgumentException">The image width does not match.</exception>
    public Memory2D<float> Transform(ReadOnlySpan2D<byte> images)
    {
        Check.Columns(images, _geometry.PixelCount);
        float[] result = new float[images.Height * _geometry.OutputLength];
        Transform(images, new Span2D<float>(result, images.Height, _geometry.OutputLength));
        return new Memory2D<float>(result, images.Height, _geometry.OutputLength);
    }

    /// <summary>The float-output core shared by the single-image and batch paths (lengths already checked).</summary>
    /// <remarks>
    /// The hot methods of the batch skip tiered compilation: a 70 000-image batch is over before the tier-1 code of a
    /// method first called in it is installed, so a second batch still ran partly in unoptimised code.
    /// </remarks>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeCore<TPixel>(ReadOnlySpan<TPixel> image, Span<float> destination)
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
        if (typeof(TPixel) == typeof(byte))
        {
            Histogram(System.Runtime.InteropServices.MemoryMarshal.Cast<TPixel, byte>(image), histogram);
        }
        else
        {
            Histogram(System.Runtime.InteropServices.MemoryMarshal.Cast<TPixel, float>(image), histogram);
        }

        HogKernel.NormalizeBlocks(histogram, _geometry, Options.BlockNorm, block[.._geometry.BlockLength], destination);
        Return(rentedHistogram);
        Return(rentedBlock);
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
    [SkipLocalsInit]
    internal void Histogram(ReadOnlySpan<float> image, Span<float> histogram)
    {
        if (Options.TransformSqrt)
        {
            HogKernel.Histogram<float, FloatSqrtPixels>(image, _geometry, _edges, histogram);
            return;
        }

        if (_entries is not null && image.Length <= StackPixelCount)
        {
            Span<byte> bytes = stackalloc byte[StackPixelCount];
            bytes = bytes[..image.Length];
            if (HogKernel.TryNarrowToBytes(image, bytes))
            {
                HogKernel.HistogramFromBytes(bytes, _geometry, _entries, histogram);
                return;
            }
        }

        HogKernel.Histogram<float, FloatPixels>(image, _geometry, _edges, histogram);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformBatch<TPixel>(ReadOnlySpan2D<TPixel> images, Span2D<float> destination, int maxDegreeOfParallelism)
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
            return;
        }

        if (maxDegreeOfParallelism == 1 || count <= ImagesPerChunk)
        {
            for (int i = 0; i < count; i++)
            {
                ComputeRow(images.GetRowSpan(i), destination.GetRowSpan(i));
            }

            return;
        }

        HogBatch<TPixel>.Run(this, images, destination, ImagesPerChunk, maxDegreeOfParallelism);
    }

    /// <summary>One image of a batch (lengths already checked).</summary>
    internal void ComputeRow<TPixel>(ReadOnlySpan<TPixel> image, Span<float> destination)
        where TPixel : unmanaged => ComputeCore(image, destination);

    private static void Return<T>(T[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
