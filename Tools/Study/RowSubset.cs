using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Numerics;

namespace FashionCore.Tools.Study;

/// <summary>
/// Copies chosen rows of a matrix into a new dense float matrix (widened from pixel bytes and transformed on the way,
/// or copied as they are), on all the threads the caller's scheduler allows.
/// </summary>
/// <remarks>
/// The copy of a class subset is tens of megabytes of fresh memory, and on the build VM the first write to a fresh
/// page costs more than the arithmetic (about 3.3 ms per MB): a serial loop spent about 0.4 s here before the first
/// k-means run. So the result's pages are mapped up front (<see cref="FreshArray"/>), and the rows are split into fixed
/// blocks, each written by one thread; every row is computed exactly as a one-row call would, so the result is the same
/// for any thread count.
/// </remarks>
internal static class RowSubset
{
    // 64 rows of 784 floats (196 KB) widened at a time: the block's input stays in L2 while it is transformed.
    private const int BlockRows = 64;

    /// <summary>
    /// Rows <paramref name="rows"/> of <paramref name="images"/> widened to float and, unless <paramref name="transform"/>
    /// is <see langword="null"/>, transformed by it, as one row-major rows.Length × width array.
    /// </summary>
    /// <param name="images">n × width pixel bytes.</param>
    /// <param name="rows">Row indices into <paramref name="images"/>, each in [0, n); repeats are allowed.</param>
    /// <param name="transform">A row-wise transform from width to width columns (a fitted scaler), or <see langword="null"/> for the raw values.</param>
    /// <returns>The rows, in the order of <paramref name="rows"/>.</returns>
    /// <exception cref="ArgumentException">The transform does not map width columns to width columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the matrix.</exception>
    public static float[] Widen(ReadOnlyMemory2D<byte> images, int[] rows, ITransformer? transform)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int width = images.Width;
        if (transform is not null && (transform.InputFeatureCount != width || transform.OutputFeatureCount != width))
        {
            throw new ArgumentException(
                $"the transform maps {transform.InputFeatureCount} to {transform.OutputFeatureCount} columns; the rows have {width}.", nameof(transform));
        }

        CheckRows(rows, images.Height);
        float[] result = FreshArray.Allocate<float>(rows.Length * width);
        Parallel.For(
            0,
            BlockCount(rows.Length),
            Options(),
            () => transform is null ? [] : new float[BlockRows * width],
            (b, _, widened) =>
            {
                (int first, int count) = Block(b, rows.Length);
                ReadOnlySpan2D<byte> source = images.Span;
                var target = new Span2D<float>(result, first * width, count, width, 0);
                Span2D<float> staging = transform is null ? target : new Span2D<float>(widened, 0, count, width, 0);
                for (int r = 0; r < count; r++)
                {
                    System.Numerics.Tensors.TensorPrimitives.ConvertChecked(source.GetRowSpan(rows[first + r]), staging.GetRowSpan(r));
                }

                transform?.Transform(staging, target);
                return widened;
            },
            _ => { });
        return result;
    }

    /// <summary>Rows <paramref name="rows"/> of <paramref name="x"/> copied as one row-major rows.Length × width array.</summary>
    /// <param name="x">n × width rows.</param>
    /// <param name="rows">Row indices into <paramref name="x"/>, each in [0, n); repeats are allowed.</param>
    /// <returns>The rows, in the order of <paramref name="rows"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the matrix.</exception>
    public static float[] Copy(ReadOnlyMemory2D<float> x, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        CheckRows(rows, x.Height);
        int width = x.Width;
        float[] result = FreshArray.Allocate<float>(rows.Length * width);
        Parallel.For(0, BlockCount(rows.Length), Options(), b =>
        {
            (int first, int count) = Block(b, rows.Length);
            ReadOnlySpan2D<float> source = x.Span;
            for (int r = first; r < first + count; r++)
            {
                source.GetRowSpan(rows[r]).CopyTo(result.AsSpan(r * width, width));
            }
        });
        return result;
    }

    private static void CheckRows(int[] rows, int height)
    {
        for (int r = 0; r < rows.Length; r++)
        {
            if ((uint)rows[r] >= (uint)height)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), rows[r], $"rows[{r}] = {rows[r]} is outside the matrix's {height} rows.");
            }
        }
    }

    private static int BlockCount(int rows) => (rows + BlockRows - 1) / BlockRows;

    private static (int First, int Count) Block(int b, int rows)
    {
        int first = b * BlockRows;
        return (first, Math.Min(BlockRows, rows - first));
    }

    // On the current scheduler, so that a command's --threads limit (ThreadLimit) bounds the loop.
    private static ParallelOptions Options() => new() { TaskScheduler = TaskScheduler.Current };
}
