using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Models.Linear;

/// <summary>
/// <see cref="SagLaneQuadSolver"/>'s algorithm on two threads, eight steps per round: the weight blocks are split into
/// two fixed feature ranges, each owned by one worker (<see cref="SagLaneSplitHalf{T}"/>); once per octet of steps worker 1
/// sends its partial dot products through <see cref="SagLaneExchange"/>, worker 0 runs the scalar chain on the sums and
/// sends back the octet's steps.
/// </summary>
/// <remarks>
/// <para>
/// A step's feature pass (~1 µs on pixels) is far too short for a thread-pool hand-off, so the partner is one
/// long-running task that spins in lockstep with the caller's thread. It is used only when the caller may use two
/// threads (the current scheduler's concurrency level, <see cref="EngineParallel.CoresShared"/>) and the problem is
/// large. If the partner does not start promptly (a saturated limited scheduler), the caller runs both workers
/// itself, alternating them round by round; if the partner keeps being descheduled (a busy machine: every round
/// needs both threads on a core), the caller tells it to stop after the next octet and goes on with both workers
/// alone. Either way the partner thread then waits (sleeping) and, once it has had its CPU for a while, asks for its
/// worker back, which the caller hands over at the next round boundary (<see cref="SagLaneHandOff"/>; at most
/// <see cref="MaxHandBacks"/> times per fit). The result is the same bits either way, so it never depends on the
/// scheduling.
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

    // Most times per fit that the partner takes its worker back after a takeover. Measured on the pixel fit (150 fits
    // per build in one process, five alternated rounds, vCPUs at unequal speeds): 18 fits took over (1–2 times each),
    // all handed back, and cost 221–256 ms against a ~220 ms median; without the hand-back the worst fits took 310–473 ms.
    private const int MaxHandBacks = 3;

    /// <summary>Whether <see cref="Solve{T}"/> runs <paramref name="p"/> on <paramref name="x"/> (else <see cref="SagLaneSolver"/>).</summary>
    /// <remarks>
    /// Dense rows too (HOG, PCA + HOG: at least 4 × <see cref="Alignment"/> = 64 features): the one-thread dense passes
    /// run each step's chain and its feature pass one after the other (a store per block per step), while here the
    /// chain of one worker overlaps the other's row products and a block is stored once per octet. Measured on Zen 4
    /// (the study's fits, 60 000 rows, in-process medians of 3, same iteration counts and accuracies): HOG-72 (20
    /// epochs) 0.318–0.338 s → 0.252–0.257 s, PCA-40 + HOG-72 (300 epochs) 7.24 s → 4.20 s; the first 64 columns of the
    /// latter, 30 epochs: 0.462 → 0.325 s (60 000 rows), 0.224 → 0.156 s (30 000 rows). PCA-40 stays on one thread:
    /// with the width limit lowered to 32 the split took 1.10–1.11 s against the dense passes' 1.07–1.12 s.
    /// </remarks>
    public static bool Applies<T>(ReadOnlySpan2D<T> x, in SagProblem p)
        where T : unmanaged => MayApply(x) && SagLanePairSolver.Applies(x.Height, p);

    /// <summary>
    /// Whether <see cref="Applies{T}"/> can hold for a problem on <paramref name="x"/>: all but the condition that needs
    /// the problem (cheap, before the set-up's scan).
    /// </summary>
    public static bool MayApply<T>(ReadOnlySpan2D<T> x)
        where T : unmanaged
    {
        int n = x.Height;
        int d = x.Width;
        return d >= 4 * Alignment
            && (long)n * d >= MinimumValues
            && Environment.ProcessorCount >= 2
            && !EngineParallel.CoresShared
            && TaskScheduler.Current.MaximumConcurrencyLevel >= 2;
    }

    /// <summary>
    /// Runs the problem as <see cref="SagLaneSolver.Solve{T}"/> does (same arguments and results) on two workers;
    /// <paramref name="partner"/> false runs both on the calling thread; <paramref name="handOverRound"/> (tests) takes
    /// the partner's worker over after that round as a busy machine would, and <paramref name="handBackRound"/> (tests)
    /// hands it back (the partner asks at once) before that round: the same result either way. <paramref name="counts"/>
    /// receives how often the worker changed hands. <paramref name="thread"/>, if given, runs the partner instead of a
    /// task started here (it was started earlier, so that its start-up overlapped the fit's set-up).
    /// </summary>
    public static SagResult[] Solve<T>(
        ReadOnlyMemory2D<T> x,
        int[] y,
        SagProblem p,
        int firstClass,
        CancellationToken cancellationToken,
        bool partner = true,
        long handOverRound = long.MaxValue,
        long handBackRound = long.MaxValue,
        SagLaneSplitCounts? counts = null,
        SagLanePartnerThread? thread = null)
        where T : unmanaged
    {
        ReadOnlySpan2D<T> xs = x.Span;
        int n = xs.Height;
        int d = xs.Width;
        int lanes = p.ClassCount;
        int split = SplitPoint(xs);

        // Pooled, as in SagLaneSolver (the gradient memory is 96 bytes per sample, its rows masked when first drawn;
        // only worker 0 runs the chain). Every path below waits for the partner before returning, so nothing touches
        // them after they go back.
        using ScratchArray<double> blockScratch = new((d * SagLaneKernels.Block) + 8, clear: true);
        using ScratchArray<double> previousScratch = new(d * lanes, clear: true);
        using ScratchArray<double> firstMemory = new(n * SagLanes.Count, clear: false);
        using ScratchArray<bool> firstSeen = new(n, clear: true);
        double[] blocks = blockScratch.Array;
        int blockBase = SagLaneSolver.AlignedOffset(blocks);
        double[] previous = previousScratch.Array;
        SagLaneExchange exchange = new();
        SagLaneSplitResults results = new(d, lanes, p.Multinomial);
        SagLaneSplitHalf<T> first = new(
            0, 0, split, n, p, firstClass, y, blocks, blockBase, previous, firstMemory.Array, firstSeen.Array, exchange, results);
        SagLaneSplitHalf<T> second = new(
            1, split, d - split, n, p, firstClass, y, blocks, blockBase, previous, [], [], exchange, results);

        // 0: not started; 1: the partner runs worker 1; 2: the caller gave up waiting and runs both.
        int state = partner ? 0 : 2;
        Exception? partnerError = null;
        Task? partnerTask = null;
        SagLaneHandOff? handOff = partner ? new() : null;
        bool testHandBack = handBackRound != long.MaxValue;
        if (partner)
        {
            // A pool thread woken for the partner often lands on this thread's CPU: it then moves off at once (see
            // CpuPlacement) rather than share the CPU in lockstep until the load balancer spreads them.
            int callerCpu = CpuPlacement.Current();
            handOff!.CallerCpu = callerCpu;
            void Partner()
            {
                bool started = Interlocked.CompareExchange(ref state, 1, 0) == 0;
                try
                {
                    if (started)
                    {
                        handOff.Start();
                        CpuPlacement.LeaveCpu(callerCpu);
                    }

                    // Late (the caller runs both) or taken over: parked until it asks for its worker back and gets it.
                    bool run = started;
                    bool resume = false;
                    for (int asks = 0; ; asks++)
                    {
                        if (run && (!RunSecond(second, x.Span, cancellationToken, resume) || !handOff.Park()))
                        {
                            return;
                        }

                        if (!AskBack(handOff, exchange, asks, testHandBack) || !handOff.WaitHandedBack(exchange))
                        {
                            return;
                        }

                        run = true;
                        resume = true;
                    }
                }
                catch (Exception e)
                {
                    partnerError = e;
                    exchange.Abort();
                }
            }

            partnerTask = thread is not null
                ? thread.Start(Partner)
                : Task.Factory.StartNew(Partner, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, EngineParallel.Scheduler);

            long deadline = Environment.TickCount64 + StartTimeoutMilliseconds;
            while (Volatile.Read(ref state) == 0 && Environment.TickCount64 <= deadline)
            {
                Thread.Yield();
            }

            Interlocked.CompareExchange(ref state, 2, 0);
        }

        Exception? error = null;
        try
        {
            // Lockstep with the partner until a stall makes this thread take its worker over; then both workers here
            // until the partner asks its worker back (at a round boundary), and so on. The same bits whoever runs what.
            bool both = state == 2;
            if (counts is not null)
            {
                counts.Alone = both;
            }

            bool resume = false;
            while (true)
            {
                if (!both)
                {
                    if (!RunFirst(first, xs, exchange, ref handOverRound, cancellationToken, resume))
                    {
                        break;
                    }

                    // The partner stops after the same octet as this thread (the octet's round number told it); the
                    // request is then withdrawn from the round number, before the partner can be handed its worker back.
                    handOff!.CallerCpu = CpuPlacement.Current();
                    handOff.WaitParked(exchange);
                    first.WithdrawHandOver();
                    resume = true;
                    if (counts is not null)
                    {
                        counts.TakeOvers++;
                    }
                }

                if (!RunBoth(first, second, xs, cancellationToken, resume, handOff, ref handBackRound))
                {
                    break;
                }

                both = false;
                resume = true;
                if (counts is not null)
                {
                    counts.HandBacks++;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
            exchange.Abort();
        }

        if (partnerTask is not null)
        {
            handOff!.Finish();
            partnerTask.Wait(CancellationToken.None);
        }

        // A worker that only saw the other's failure (the abort) has nothing to report.
        Exception? real = error is not null and not SagLaneExchange.AbortedException
            ? error
            : partnerError is not null and not SagLaneExchange.AbortedException ? partnerError : error;
        if (real is not null)
        {
            ExceptionDispatchInfo.Throw(real);
        }

        return results.ToResults();
    }

    // Worker 0's rounds, against worker 1 on another thread (from a round boundary mid-epoch when resuming after a
    // hand-back). If waiting for a descheduled worker 1 takes more than an eighth of the time (the machine is busy, and
    // lockstep would crawl: each round needs both threads on a core), tells it to stop after the next octet and returns
    // true: the caller then runs both workers from there (the same bits). Not before 10 ms of stalls: a fresh partner
    // thread often stalls ~2 ms in its first rounds even on a quiet machine (measured: 3 of 7 pixel fits handed over at
    // round ~75 with a 2 ms floor, each then ~60% slower). The stalls count from the (re)start.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool RunFirst<T>(
        SagLaneSplitHalf<T> half, ReadOnlySpan2D<T> x, SagLaneExchange exchange, ref long handOverRound, CancellationToken cancellationToken, bool resume)
        where T : unmanaged
    {
        long start = Stopwatch.GetTimestamp();
        long stalledBefore = exchange.StalledTicks;
        long minimumStall = Stopwatch.Frequency / 100;
        while (resume || half.Running)
        {
            if (!resume)
            {
                half.BeginEpoch(x, cancellationToken);
            }

            resume = false;
            while (half.InEpoch)
            {
                long stalled = exchange.StalledTicks - stalledBefore;
                bool handOver = half.Round + 1 >= handOverRound
                    || (stalled > minimumStall && 8 * stalled > Stopwatch.GetTimestamp() - start);
                half.PublishOctet(handOver);
                half.PrepareOctet(x);
                half.StepOctet(x);
                if (handOver)
                {
                    handOverRound = long.MaxValue;
                    return true;
                }
            }

            half.PublishEpoch();
            half.FinishEpoch();
        }

        return false;
    }

    // Worker 1's rounds (from a round boundary mid-epoch when resuming), until worker 0 takes over (true) or the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool RunSecond<T>(SagLaneSplitHalf<T> half, ReadOnlySpan2D<T> x, CancellationToken cancellationToken, bool resume)
        where T : unmanaged
    {
        while (resume || half.Running)
        {
            if (!resume)
            {
                half.BeginEpoch(x, cancellationToken);
            }

            resume = false;
            while (half.InEpoch)
            {
                half.PublishOctet();
                half.PrepareOctet(x);
                half.StepOctet(x);
                if (half.HandedOver)
                {
                    return true;
                }
            }

            half.PublishEpoch();
            half.FinishEpoch();
        }

        return false;
    }

    // Both workers' rounds on this thread, alternating: the same arithmetic and the same messages as two threads.
    // Resumes mid-epoch after a hand-over. Returns true when it hands worker 1 back to the partner thread at a round
    // boundary mid-epoch (the partner asked; with a test's handBackRound, only from that round on, waiting for the
    // partner's request), false at the end of the fit.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool RunBoth<T>(
        SagLaneSplitHalf<T> first, SagLaneSplitHalf<T> second, ReadOnlySpan2D<T> x, CancellationToken cancellationToken, bool resume, SagLaneHandOff? handOff, ref long handBackRound)
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
                if (handOff is not null && HandBack(handOff, first.Round, ref handBackRound))
                {
                    return true;
                }

                first.PublishOctet();
                second.PublishOctet();
                first.PrepareOctet(x);
                second.PrepareOctet(x);
                first.StepOctet(x);
                second.StepOctet(x);
            }

            first.PublishEpoch();
            second.PublishEpoch();
            first.FinishEpoch();
            second.FinishEpoch();
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HandBack(SagLaneHandOff handOff, long round, ref long handBackRound)
    {
        if (handBackRound == long.MaxValue)
        {
            return handOff.TryHandBack();
        }

        if (round + 1 < handBackRound)
        {
            return false;
        }

        // A test's hand-back: the partner asks as soon as it has parked.
        while (!handOff.TryHandBack())
        {
            Thread.Yield();
        }

        handBackRound = long.MaxValue;
        return true;
    }

    // The parked partner: asks for its worker back once it has been running again for a while (it sleeps in 1 ms steps,
    // each of which it only returns from when its CPU has time for it), the wait longer after each hand-back (2, 8,
    // 32 ms; no more than three per fit, so a partner that keeps stalling costs a bounded few takeovers), after moving
    // off the caller's CPU if it is on it. False when the fit ends first (or fails).
    private static bool AskBack(SagLaneHandOff handOff, SagLaneExchange exchange, int asks, bool atOnce)
    {
        long wait = asks < MaxHandBacks ? (Stopwatch.Frequency / 1000) << (1 + (2 * asks)) : long.MaxValue;
        long start = Stopwatch.GetTimestamp();
        while ((!atOnce || asks >= MaxHandBacks) && Stopwatch.GetTimestamp() - start < wait)
        {
            if (handOff.IsDone || exchange.Aborted)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        CpuPlacement.LeaveCpu(handOff.CallerCpu);
        return handOff.Ask();
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
