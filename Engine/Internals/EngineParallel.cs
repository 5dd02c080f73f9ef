namespace FashionCore.Internals;

/// <summary>
/// Where the engine runs parallel work: every parallel loop and worker task is scheduled on
/// <see cref="TaskScheduler.Current"/>, not on <see cref="TaskScheduler.Default"/> (what a bare <c>Parallel.For</c>, a
/// default <see cref="ParallelOptions"/> or <c>Task.Run</c> pins).
/// </summary>
/// <remarks>
/// Called outside any task, <see cref="TaskScheduler.Current"/> is the default scheduler, so nothing changes for a plain
/// caller. Called from a task running on a limited scheduler (e.g. the concurrent scheduler of a
/// <see cref="ConcurrentExclusiveSchedulerPair"/> with a maximum concurrency level of N), every loop of the call, nested
/// ones included, runs on at most N threads: that is how the <c>fashion</c> tool's <c>--threads</c> bounds all the
/// work of a command. Results never depend on the bound (every loop splits its work statically).
/// </remarks>
internal static class EngineParallel
{
    /// <summary>Tests only: called with the scheduler of every loop or worker task the engine starts.</summary>
    internal static Action<TaskScheduler>? Started { get; set; }

    /// <summary>The scheduler for parallel work started now: the current one.</summary>
    public static TaskScheduler Scheduler
    {
        get
        {
            TaskScheduler scheduler = TaskScheduler.Current;
            Started?.Invoke(scheduler);
            return scheduler;
        }
    }

    /// <summary>Options for one loop.</summary>
    /// <param name="maxDegreeOfParallelism">The loop's own bound, −1 for none (the scheduler's still applies).</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>Fresh options on <see cref="Scheduler"/>.</returns>
    public static ParallelOptions Options(int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default) => new()
    {
        MaxDegreeOfParallelism = maxDegreeOfParallelism,
        CancellationToken = cancellationToken,
        TaskScheduler = Scheduler,
    };

    /// <summary>
    /// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> on <see cref="Options"/>, reporting a failing
    /// iteration's exception as itself (the first one, with its stack trace), not wrapped in an
    /// <see cref="AggregateException"/>: callers get the exception the sequential code would have thrown.
    /// </summary>
    /// <param name="count">Iterations 0 … count − 1.</param>
    /// <param name="body">One iteration.</param>
    /// <param name="maxDegreeOfParallelism">The loop's own bound, −1 for none.</param>
    /// <param name="cancellationToken">Stops the loop (<see cref="OperationCanceledException"/>).</param>
    public static void For(int count, Action<int> body, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        try
        {
            Parallel.For(0, count, Options(maxDegreeOfParallelism, cancellationToken), body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static readonly AsyncLocal<bool> s_coresShared = new();

    /// <summary>
    /// Whether the current flow runs alongside other busy engine workers (e.g. parallel fold workers): then work that
    /// would keep a partner thread spinning in lockstep with it (the two-thread SAGA) runs on this thread alone, since a
    /// partner that has to share a core with other work stalls both.
    /// </summary>
    public static bool CoresShared => s_coresShared.Value;

    /// <summary>Marks the current flow (and the tasks it starts) as running alongside other busy workers until disposed.</summary>
    /// <param name="share">Whether to mark (false: the scope changes nothing).</param>
    /// <returns>Restores the previous mark when disposed.</returns>
    public static SharedCoresScope ShareCores(bool share = true)
    {
        bool previous = s_coresShared.Value;
        if (share)
        {
            s_coresShared.Value = true;
        }

        return new SharedCoresScope(previous);
    }

    /// <summary>Restores <see cref="CoresShared"/> when disposed (see <see cref="ShareCores"/>).</summary>
    internal readonly struct SharedCoresScope(bool previous) : IDisposable
    {
        /// <summary>Restores the previous mark.</summary>
        public void Dispose() => s_coresShared.Value = previous;
    }
}
