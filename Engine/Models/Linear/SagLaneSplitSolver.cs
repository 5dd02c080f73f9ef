using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Models.Linear;

/// <summary>
/// <see cref="SagLaneQuadSolver"/>'s algorithm on two threads, eight steps per round: the weight blocks are split into
/// two fixed feature ranges, each owned by one worker (<see cref="SagLaneSplitHalf{T}"/>), which exchange their partial
/// dot products once per octet of steps through <see cref="SagLaneExchange"/> and both run the same scalar chain on the sums.
/// </summary>
/// <remarks>
/// <para>
/// A step's feature pass (~1 µs on pixels) is far too short for a thread-pool hand-off, so the partner is one
/// long-running task that spins in lockstep with the caller's thread. It is used only when the caller may use two
/// threads (the current scheduler's concurrency level, <see cref="EngineParallel.CoresShared"/>) and the problem is
/// large. If the partner does not start promptly (a saturated limited scheduler), the caller runs both workers
/// itself, alternating them round by round; if the partner keeps being descheduled (a busy machine: every round
/// needs both threads on a core), the caller tells it to stop after the next octet and goes on with both workers
/// alone. The result is the same bits either way, so it never depends on the scheduling.
/// </para>
/// <para>
/// The dot products are summed per half and then across halves, and the row products likewise, so the result differs from the
/// one-thread <see cref="SagLaneQuadSolver"/> only by rounding (summation order; octets rather than quads add more of
/// the row-product corrections, in the same form).
/// </para>
/// </remarks>
internal static class SagLaneSplitSolver
{
    // Features × rows from which the split pays off (pixels: 47 M); small problems run on one thread.
    private const long MinimumValues = 1L << 22;

    // Feature ranges start at a multiple of this (whole vectors in the row scans; even, so blocks keep their layout).
    private const int Alignment = 16;

    // How long the caller waits for the partner to start before running both workers itself.
    private const int StartTimeoutMilliseconds = 5;

    /// <summary>Whether <see cref="Solve{T}"/> runs <paramref name="p"/> on <paramref name="x"/> (else <see cref="SagLaneSolver"/>).</summary>
    public static bool Applies<T>(ReadOnlySpan2D<T> x, in SagProblem p)
        where T : unmanaged
    {
        int n = x.Height;
        int d = x.Width;
        return d >= 4 * Alignment
            && (long)n * d >= MinimumValues
            && Environment.ProcessorCount >= 2
            && !EngineParallel.CoresShared
            && TaskScheduler.Current.MaximumConcurrencyLevel >= 2
            && SagLanePairSolver.Applies(n, p)
            && !SagLaneSolver.IsDense(x);
    }

    /// <summary>
    /// Runs the problem as <see cref="SagLaneSolver.Solve{T}"/> does (same arguments and results) on two workers;
    /// <paramref name="partner"/> false runs both on the calling thread, and <paramref name="handOverRound"/> (tests)
    /// takes the partner's worker over after that round as a busy machine would: the same result either way.
    /// </summary>
    public static SagResult[] Solve<T>(
        ReadOnlyMemory2D<T> x, int[] y, SagProblem p, int firstClass, CancellationToken cancellationToken, bool partner = true, long handOverRound = long.MaxValue)
        where T : unmanaged
    {
        ReadOnlySpan2D<T> xs = x.Span;
        int n = xs.Height;
        int d = xs.Width;
        int lanes = p.ClassCount;
        int split = SplitPoint(xs);

        // Pooled, as in SagLaneSolver (each worker's gradient memory is 96 bytes per sample, its rows zeroed when first
        // drawn). Every path below waits for the partner before returning, so nothing touches them after they go back.
        using ScratchArray<double> blockScratch = new((d * SagLaneKernels.Block) + 8, clear: true);
        using ScratchArray<double> previousScratch = new(d * lanes, clear: true);
        using ScratchArray<double> firstMemory = new(n * SagLanes.Count, clear: false);
        using ScratchArray<double> secondMemory = new(n * SagLanes.Count, clear: false);
        using ScratchArray<bool> firstSeen = new(n, clear: true);
        using ScratchArray<bool> secondSeen = new(n, clear: true);
        double[] blocks = blockScratch.Array;
        int blockBase = SagLaneSolver.AlignedOffset(blocks);
        double[] previous = previousScratch.Array;
        SagLaneExchange exchange = new();
        SagLaneSplitResults results = new(d, lanes, p.Multinomial);
        SagLaneSplitHalf<T> first = new(
            0, 0, split, n, p, firstClass, y, blocks, blockBase, previous, firstMemory.Array, firstSeen.Array, exchange, results);
        SagLaneSplitHalf<T> second = new(
            1, split, d - split, n, p, firstClass, y, blocks, blockBase, previous, secondMemory.Array, secondSeen.Array, exchange, results);

        // 0: not started; 1: the partner runs worker 1; 2: the caller gave up waiting and runs both.
        int state = partner ? 0 : 2;
        Exception? partnerError = null;
        Task? partnerTask = null;
        if (partner)
        {
            // A pool thread woken for the partner often lands on this thread's CPU: it then moves off at once (see
            // CpuPlacement) rather than share the CPU in lockstep until the load balancer spreads them.
            int callerCpu = CpuPlacement.Current();
            void Partner()
            {
                if (Interlocked.CompareExchange(ref state, 1, 0) != 0)
                {
                    return;
                }

                try
                {
                    CpuPlacement.LeaveCpu(callerCpu);
                    RunSecond(second, x.Span, cancellationToken);
                }
                catch (Exception e)
                {
                    partnerError = e;
                    exchange.Abort();
                }
            }

            partnerTask = Task.Factory.StartNew(Partner, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, EngineParallel.Scheduler);

            long deadline = Environment.TickCount64 + StartTimeoutMilliseconds;
            while (Volatile.Read(ref state) == 0 && Environment.TickCount64 <= deadline)
            {
                Thread.Yield();
            }

            Interlocked.CompareExchange(ref state, 2, 0);
        }

        if (state == 2)
        {
            RunBoth(first, second, xs, cancellationToken, resume: false);
            return results.ToResults();
        }

        Exception? error = null;
        bool handedOver = false;
        try
        {
            handedOver = RunFirst(first, xs, exchange, handOverRound, cancellationToken);
        }
        catch (Exception e)
        {
            error = e;
            exchange.Abort();
        }

        partnerTask!.Wait(CancellationToken.None);

        // A worker that only saw the other's failure (the abort) has nothing to report.
        Exception? real = error is not null and not SagLaneExchange.AbortedException
            ? error
            : partnerError is not null and not SagLaneExchange.AbortedException ? partnerError : error;
        if (real is not null)
        {
            ExceptionDispatchInfo.Throw(real);
        }

        if (handedOver)
        {
            // The partner has stopped after the same octet as this thread (its task has ended): go on with both here.
            RunBoth(first, second, xs, cancellationToken, resume: true);
        }

        return results.ToResults();
    }

    // Worker 0's rounds, against worker 1 on another thread. If waiting for a descheduled worker 1 takes more than an
    // eighth of the time (the machine is busy, and lockstep would crawl: each round needs both threads on a core), tells
    // it to stop after the next octet and returns true: the caller then runs both workers from there (the same bits).
    // Not before 10 ms of stalls: a fresh partner thread often stalls ~2 ms in its first rounds even on a quiet machine
    // (measured: 3 of 7 pixel fits handed over at round ~75 with a 2 ms floor, each then ~60% slower).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool RunFirst<T>(SagLaneSplitHalf<T> half, ReadOnlySpan2D<T> x, SagLaneExchange exchange, long handOverRound, CancellationToken cancellationToken)
        where T : unmanaged
    {
        long start = Stopwatch.GetTimestamp();
        long minimumStall = Stopwatch.Frequency / 100;
        while (half.Running)
        {
            half.BeginEpoch(x, cancellationToken);
            while (half.InEpoch)
            {
                long stalled = exchange.StalledTicks;
                bool handOver = half.Round + 1 >= handOverRound
                    || (stalled > minimumStall && 8 * stalled > Stopwatch.GetTimestamp() - start);
                half.PublishOctet(handOver);
                half.PrepareOctet(x);
                half.StepOctet(x);
                if (handOver)
                {
                    return true;
                }
            }

            half.PublishEpoch();
            half.FinishEpoch();
        }

        return false;
    }

    // Worker 1's rounds, until worker 0 takes over.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSecond<T>(SagLaneSplitHalf<T> half, ReadOnlySpan2D<T> x, CancellationToken cancellationToken)
        where T : unmanaged
    {
        while (half.Running)
        {
            half.BeginEpoch(x, cancellationToken);
            while (half.InEpoch)
            {
                half.PublishOctet();
                half.PrepareOctet(x);
                half.StepOctet(x);
                if (half.HandedOver)
                {
                    return;
                }
            }

            half.PublishEpoch();
            half.FinishEpoch();
        }
    }

    // Both workers' rounds on this thread, alternating: the same arithmetic as two threads (the second worker takes the
    // first one's scalar steps rather than repeating them). Resumes mid-epoch after a hand-over.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBoth<T>(SagLaneSplitHalf<T> first, SagLaneSplitHalf<T> second, ReadOnlySpan2D<T> x, CancellationToken cancellationToken, bool resume)
        where T : unmanaged
    {
        while (resume || first.Running)
        {
            if (!resume)
            {
                first.BeginEpoch(x, cancellationToken);
                second.BeginEpoch(x, cancellationToken);
            }

            resume = false;
            while (first.InEpoch)
            {
                first.PublishOctet();
                second.PublishOctet();
                first.PrepareOctet(x);
                second.PrepareOctet(x);
                first.StepOctet(x);
                second.StepOctet(x, first);
            }

            first.PublishEpoch();
            second.PublishEpoch();
            first.FinishEpoch();
            second.FinishEpoch();
        }
    }

    /// <summary>
    /// The first feature of the second range: balances the non-zeros of the first rows (the work of a pass is ~ the
    /// non-zeros it visits) at a multiple of <see cref="Alignment"/>; deterministic in the data.
    /// </summary>
    internal static int SplitPoint<T>(ReadOnlySpan2D<T> x)
        where T : unmanaged
    {
        int d = x.Width;
        int rows = Math.Min(x.Height, SagLaneSolver.DensitySampleRows);
        int[] perColumn = new int[d];
        long total = 0;
        for (int i = 0; i < rows; i++)
        {
            total += NonZeroCounts.AddNonZeros(x.GetRowSpan(i), perColumn);
        }

        long sum = 0;
        int split = Alignment;
        for (int j = 0; j < d - Alignment; j++)
        {
            sum += perColumn[j];
            if (2 * sum >= total)
            {
                split = ((j + 1 + (Alignment / 2)) / Alignment) * Alignment;
                break;
            }
        }

        return Math.Clamp(split, Alignment, ((d - 1) / Alignment) * Alignment);
    }
}
