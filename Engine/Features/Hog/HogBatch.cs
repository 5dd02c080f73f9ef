using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Features.Hog;

/// <summary>Runs a batch of images on the thread pool: fixed chunks of images, each image written by exactly one thread.</summary>
/// <remarks>
/// Span2D views cannot cross into thread-pool work items, so the (pinned) views travel as addresses and row strides.
/// Which thread computes which chunk varies from run to run, but every image is computed alone from its own pixels,
/// so the output is identical for any thread count.
/// </remarks>
internal static unsafe class HogBatch<TPixel>
    where TPixel : unmanaged
{
    /// <summary>Computes every image; returns the lowest-numbered image the model rejected (invalid float pixels), or −1.</summary>
    /// <remarks>A chunk stops at its first rejected image; the lowest one over all chunks is reported, so the image
    /// named does not depend on the thread count.</remarks>
    public static int Run(HogModel model, ReadOnlySpan2D<TPixel> images, Span2D<float> destination, int imagesPerChunk, int maxDegreeOfParallelism)
    {
        int count = images.Height;
        int pixels = images.Width;
        int features = destination.Width;
        fixed (TPixel* source = &images.DangerousGetReference())
        fixed (float* target = &destination.DangerousGetReference())
        {
            nint sourceAddress = (nint)source;
            nint targetAddress = (nint)target;
            nint sourceStride = RowStride(ref images.DangerousGetReference(), ref count > 1 ? ref images.DangerousGetReferenceAt(1, 0) : ref images.DangerousGetReference(), pixels);
            nint targetStride = RowStride(ref destination.DangerousGetReference(), ref count > 1 ? ref destination.DangerousGetReferenceAt(1, 0) : ref destination.DangerousGetReference(), features);
            int chunks = (count + imagesPerChunk - 1) / imagesPerChunk;
            int firstBad = int.MaxValue;
            Parallel.For(0, chunks, EngineParallel.Options(maxDegreeOfParallelism), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (chunk) =>
            {
                int end = Math.Min(count, (chunk + 1) * imagesPerChunk);
                for (int i = chunk * imagesPerChunk; i < end; i++)
                {
                    var image = new ReadOnlySpan<TPixel>((TPixel*)sourceAddress + (i * sourceStride), pixels);
                    var row = new Span<float>((float*)targetAddress + (i * targetStride), features);
                    if (!model.ComputeRow(image, row))
                    {
                        // Exceptions thrown in here would arrive wrapped in an AggregateException: report the row instead.
                        AtomicMin.Lower(ref firstBad, i);

                        return;
                    }
                }
            });
            return firstBad == int.MaxValue ? -1 : firstBad;
        }
    }

    /// <summary>Elements from one row start to the next (the width when there is one row).</summary>
    private static nint RowStride<T>(ref T row0, ref T row1, int width)
        where T : unmanaged
    {
        nint stride = Unsafe.ByteOffset(ref row0, ref row1) / sizeof(T);
        return stride == 0 ? width : stride;
    }
}
