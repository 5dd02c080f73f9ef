using FashionCore.Internals;

namespace FashionCore.Models.Clustering;

/// <summary>The fixed row partition every k-means pass uses: chunks of 256 rows, processed in any order by any thread.</summary>
/// <remarks>
/// 256 rows is scikit-learn's <c>CHUNK_SIZE</c>. Each chunk writes only its own partial results, and callers reduce
/// them in chunk order, so results do not depend on the number of threads.
/// </remarks>
internal static class ChunkedRows
{
    /// <summary>Rows per chunk.</summary>
    public const int ChunkSize = 256;

    /// <summary>Number of chunks covering <paramref name="rows"/> rows.</summary>
    public static int Count(int rows) => (rows + ChunkSize - 1) / ChunkSize;

    /// <summary>Tests only: run every chunk on the calling thread, in order.</summary>
    internal static bool ForceSequential { get; set; }

    /// <summary>
    /// Tests only: run chunks on the calling thread last chunk first (with <see cref="ForceSequential"/>), a schedule no
    /// thread count gives, to show that results do not depend on the order in which chunks finish.
    /// </summary>
    internal static bool ReverseOrder { get; set; }

    /// <summary>
    /// Runs <paramref name="body"/> for every chunk, in parallel when <paramref name="parallel"/> and there is more than
    /// one chunk and core (false: in order on the calling thread, for work that is already one of several in parallel).
    /// </summary>
    public static void Run(int chunkCount, Action<int> body, bool parallel = true)
    {
        if (!parallel || chunkCount == 1 || Environment.ProcessorCount == 1 || ForceSequential)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                body(ReverseOrder ? chunkCount - 1 - c : c);
            }
        }
        else
        {
            Parallel.For(0, chunkCount, EngineParallel.Options(), body);
        }
    }
}
