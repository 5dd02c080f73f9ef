using FashionCore.Internals;

namespace FashionCore.Models.Linear;

/// <summary>
/// The thread for <see cref="SagLaneSplitSolver"/>'s partner, started at the beginning of the fit's set-up rather than
/// by the solver: it first helps with the set-up's own work (the training set's <c>max_squared_sum</c> scan, see
/// <see cref="SparseRows.ChunkedScan{T}"/>), then waits (blocked) for the partner's work, or for disposal when the split
/// does not run after all.
/// </summary>
/// <remarks>
/// A long-running task is a new thread, which took 0.34–0.69 ms (median of 15 pixel fits per run, Zen 4, Stopwatch
/// probes) from the solver's start until it ran; started first, it starts while the caller scans, and the solver then
/// waits 0.04–0.09 ms for it. It also takes the scan's second core instead of a pool thread woken for a parallel loop
/// (scan median 7.9–8.4 → 6.3–7.2 ms in the same runs; the scan is bound by memory bandwidth, ~6 ms for 188 MB on
/// two cores), and under a scheduler limited to two threads it holds the second slot, which a loop waiting for it
/// could not have. Only scheduling changes, never a result.
/// </remarks>
internal sealed class SagLanePartnerThread : IDisposable
{
    private readonly object _gate = new();
    private readonly Action? _before;
    private readonly Task _task;
    private Action? _work;
    private bool _released;

    /// <summary>Starts the thread on <see cref="EngineParallel.Scheduler"/>; it runs <paramref name="before"/> first.</summary>
    /// <param name="before">Work for the thread before it waits (must not throw), or null.</param>
    public SagLanePartnerThread(Action? before)
    {
        _before = before;
        _task = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, EngineParallel.Scheduler);
    }

    /// <summary>Runs <paramref name="work"/> on the thread once it is done with its work before; returns its task.</summary>
    /// <exception cref="InvalidOperationException">The thread was given work or released already.</exception>
    public Task Start(Action work)
    {
        if (!Release(work))
        {
            throw new InvalidOperationException("The partner thread runs one piece of work.");
        }

        return _task;
    }

    /// <summary>The thread's task: ends after its work, or after disposal when it was given none.</summary>
    public Task Task => _task;

    /// <summary>
    /// Bytes the thread allocated while running its work (read once <see cref="Task"/> has ended): the partner's own
    /// share of a fit, which tests of the solver's allocations add to the caller's. The process-wide count would also
    /// take in whatever the runtime's other threads allocate meanwhile (~1.5 KB per second of fit in a test host).
    /// </summary>
    public long WorkAllocatedBytes { get; private set; }

    /// <summary>Lets the thread end without work if it was given none.</summary>
    public void Dispose() => Release(null);

    private bool Release(Action? work)
    {
        lock (_gate)
        {
            if (_released)
            {
                return false;
            }

            _work = work;
            _released = true;
            Monitor.Pulse(_gate);
            return true;
        }
    }

    private void Run()
    {
        _before?.Invoke();
        Action? work;
        lock (_gate)
        {
            while (!_released)
            {
                Monitor.Wait(_gate);
            }

            work = _work;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            work?.Invoke();
        }
        finally
        {
            WorkAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }
}
