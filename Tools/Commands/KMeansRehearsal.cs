using FashionCore.Data;

namespace FashionCore.Tools.Commands;

/// <summary>
/// <c>fashion kmeans</c> compiles its code while the data loads: the command is rehearsed end to end on a tiny synthetic
/// training set, on the second core, while the first decompresses the images.
/// </summary>
/// <remarks>
/// The tool runs without tiered compilation, so every method is compiled fully optimised on its first call: about a
/// quarter of a second of the command's fixed cost (the scaler, the subset, k-means' set-up and passes, the output)
/// after a third of a second of gzip decompression that keeps one core busy. Running the same code on made-up rows
/// during the load moves that compilation onto the idle core. The rehearsal writes nothing, shares no state with the
/// real run but the compiled code and the array pools, and its results are dropped: the real output is unchanged.
/// It runs on one thread (its own <see cref="ThreadLimit"/>), and only when the command may use at least two.
/// </remarks>
internal static class KMeansRehearsal
{
    /// <summary>
    /// Rows of the synthetic set: three of k-means' 256-row chunks, so the chunk-parallel paths are compiled too, and
    /// few enough that a rehearsal takes a few milliseconds of arithmetic.
    /// </summary>
    public const int Rows = 768;

    /// <summary>
    /// Runs <paramref name="load"/> on the calling thread while <paramref name="rehearse"/> runs once on a synthetic set
    /// (see <see cref="Synthetic"/>) on another; waits for both and returns the load's result (or rethrows its exception).
    /// </summary>
    /// <param name="threads">The command's <c>--threads</c>: below 2 there is no core to spare and nothing is rehearsed.</param>
    /// <param name="load">Loads the real data.</param>
    /// <param name="rehearse">The command's work on (training set, cluster counts, n_init), writing nothing.</param>
    /// <param name="classes">The command's classes: every synthetic row gets one of them.</param>
    /// <param name="runs">The real work's k-means runs (counts × n_init): one run and several take different paths, and the rehearsal takes the same kind.</param>
    /// <returns>What <paramref name="load"/> returned.</returns>
    /// <remarks>
    /// An exception from the rehearsal is dropped: the real run executes the same code and reports its own failures.
    /// </remarks>
    public static Dataset WhileLoading(int threads, Func<Dataset> load, Func<Dataset, int[], int, int> rehearse, int[] classes, int runs)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(rehearse);
        if (threads < 2 || Environment.ProcessorCount < 2)
        {
            return load();
        }

        Dataset tiny = Synthetic(classes);
        (int[] counts, int inits) = runs == 1 ? (new[] { 1 }, 1) : ([1, 2, 3], 2);

        // A dedicated thread, not a pool one: it only waits on its one-thread limit, and the load's limit needs the pool.
        var rehearsal = new Thread(() =>
        {
            try
            {
                ThreadLimit.Run(1, () => rehearse(tiny, counts, inits));
            }
            catch (Exception)
            {
                // Dropped on purpose (see remarks): the real run is the one that reports.
            }
        })
        {
            IsBackground = true,
            Name = "kmeans rehearsal",
        };
        rehearsal.Start();
        try
        {
            return load();
        }
        finally
        {
            rehearsal.Join();
        }
    }

    /// <summary>
    /// <see cref="Rows"/> 28×28 images with deterministic pseudo-random pixels, labelled with <paramref name="classes"/> in
    /// turn (so a subset of exactly those classes keeps every row).
    /// </summary>
    /// <param name="classes">Labels to use, at least one, each 0..9.</param>
    /// <returns>The synthetic training set.</returns>
    public static Dataset Synthetic(int[] classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentOutOfRangeException.ThrowIfZero(classes.Length, nameof(classes));
        byte[] pixels = new byte[Rows * FashionMnist.PixelCount];
        uint state = 2463534242;
        for (int i = 0; i < pixels.Length; i++)
        {
            // xorshift32: cheap, deterministic, and varied enough that k-means has distinct rows to work on.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            pixels[i] = (byte)state;
        }

        byte[] labels = new byte[Rows];
        for (int i = 0; i < Rows; i++)
        {
            labels[i] = (byte)classes[i % classes.Length];
        }

        return new Dataset(pixels, labels, FashionMnist.ImageSide, FashionMnist.ImageSide, FashionMnist.ClassNames);
    }
}
