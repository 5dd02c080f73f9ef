using System.Runtime.ExceptionServices;
using FashionCore.Internals;

namespace FashionCore.Models.Clustering;

/// <summary>
/// A helper task that stays with one run of many short chunked passes (Lloyd's E-steps), so that a pass does not first
/// wait for a pool thread to wake up: the owner and the helper claim the chunks of each pass from one shared counter.
/// </summary>
/// <remarks>
/// Every chunk writes only its own results, so which thread runs it does not matter (results do not depend on the
/// number of threads). The owner never waits for the helper to start: it claims chunks itself until none is left and
/// then waits only for chunks the helper has already claimed (and so is running). A helper that cannot start (one
/// thread allowed) thus only leaves the owner to do every chunk. Between passes the helper spins (yielding), so it is
/// made only for runs of passes in quick succession, and stopped by <see cref="Dispose"/>.
/// </remarks>
internal sealed class ChunkTeam : IDisposable
{
    private long _state; // (pass << 32) | next unclaimed chunk
    private long _passCount; // (pass << 32) | chunk count of that pass
    private Action<int>? _body;
    private int _done;
    private Exception? _error;
    private volatile bool _stop;
    private readonly bool _helped;

    /// <summary>Starts the helper when <paramref name="parallel"/> and there is more than one core.</summary>
    public ChunkTeam(bool parallel)
    {
        _helped = parallel && Environment.ProcessorCount > 1 && !ChunkedRows.ForceSequential;
        if (_helped)
        {
            Task.Factory.StartNew(Help, CancellationToken.None, TaskCreationOptions.DenyChildAttach, EngineParallel.Scheduler);
        }
    }

    /// <summary>Runs <paramref name="body"/> for chunks 0..<paramref name="count"/> − 1 and returns when all have run.</summary>
    public void Run(int count, Action<int> body)
    {
        if (!_helped)
        {
            ChunkedRows.Run(count, body, parallel: false);
            return;
        }

        // Publish the pass: body and a cleared completion count, then the pass's chunk count, then the state (release
        // writes, in that order).
        _body = body;
        _done = 0;
        long pass = (Volatile.Read(ref _state) >> 32) + 1;
        Volatile.Write(ref _passCount, (pass << 32) | (uint)count);
        Volatile.Write(ref _state, pass << 32);
        Work();
        SpinWait spin = default;
        while (Volatile.Read(ref _done) < count)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (_error is { } error)
        {
            _error = null;
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    /// <summary>Stops the helper (it may still be starting; it then ends at once).</summary>
    public void Dispose() => _stop = true;

    private void Help()
    {
        SpinWait spin = default;
        while (!_stop)
        {
            if (Work())
            {
                spin.Reset();
            }
            else
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    // Claims and runs chunks of the current pass until none is left; returns whether it ran any. The count used is the
    // one published for the state's own pass (a mismatch means the owner is publishing the next pass: read again), and a
    // claim is a compare-exchange of the whole state, which fails once the owner has moved on; so a successful claim
    // belongs to the pass whose body was published before it (the owner cannot publish the next pass before this chunk
    // is counted done).
    private bool Work()
    {
        bool ran = false;
        while (true)
        {
            long state = Volatile.Read(ref _state);
            long passCount = Volatile.Read(ref _passCount);
            if ((passCount >> 32) != (state >> 32))
            {
                continue;
            }

            int next = (int)(state & 0xFFFF_FFFF);
            if (next >= (int)(passCount & 0xFFFF_FFFF))
            {
                return ran;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state)
            {
                continue;
            }

            try
            {
                Volatile.Read(ref _body)!(next);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }

            ran = true;
            Interlocked.Increment(ref _done);
        }
    }
}
