namespace FashionCore.Tools.Commands;

/// <summary>
/// <c>--threads N</c>: runs a command's work so that all of it — every parallel loop of the engine, nested ones and
/// cross-validation workers included — runs on at most N threads at a time.
/// </summary>
/// <remarks>
/// The work runs as a task on the concurrent scheduler of a <see cref="ConcurrentExclusiveSchedulerPair"/> whose
/// maximum concurrency level is N; the engine schedules its loops and workers on <see cref="TaskScheduler.Current"/>, so
/// they inherit the bound. The calling thread only waits. Work that is already inside a limit at least as tight runs
/// inline. Keep the console progress display (Spectre) outside: it is sync-over-async and must not wait for a slot.
/// </remarks>
internal static class ThreadLimit
{
    /// <summary>Tests only: the scheduler the limited tasks run on (default <see cref="TaskScheduler.Default"/>).</summary>
    internal static TaskScheduler? Underlying { get; set; }

    /// <summary>Runs <paramref name="work"/> on at most <paramref name="threads"/> threads and returns its result.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static T Run<T>(int threads, Func<T> work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        TaskScheduler current = TaskScheduler.Current;
        if (current != TaskScheduler.Default && current.MaximumConcurrencyLevel <= threads)
        {
            return work();
        }

        var pair = new ConcurrentExclusiveSchedulerPair(Underlying ?? TaskScheduler.Default, threads);
        Task<T> task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, pair.ConcurrentScheduler);
        try
        {
            // GetResult rethrows the work's own exception (not an AggregateException), so UserError still sees it.
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            pair.Complete();
        }
    }
}
