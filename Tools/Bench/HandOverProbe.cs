using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Tools.Bench;

/// <summary>
/// How long one thread takes to hand another a message of a few cache lines and see it read: the cost that the
/// two-thread SAGA split pays twice per round of eight steps (its messages are 21 and 24 lines).
/// </summary>
/// <remarks>
/// On a VM this depends on where the host runs the two vCPUs at the moment, not on the guest: on the 2-vCPU Zen 4 build
/// VM a 20-line hand-over measured ~0.15 µs most of the time and ~0.7 µs in stretches of seconds to minutes (vCPUs
/// placed far apart; sampled every ~2 s, it could change from one 7–40 ms sample to the next), and in those stretches
/// the two-thread pixel fit took ~190 ms instead of ~152 ms while the one-thread fit and single-thread speed were
/// unchanged. Reported next to <c>saga3_pixels</c> so that a side-by-side run says which placement it saw (just before
/// the fit: the placement can still change during it).
/// </remarks>
internal static class HandOverProbe
{
    private const int LineDoubles = 8;
    private const int TimeoutSeconds = 1;
    private const int SpinsBeforeYield = 1 << 12;

    /// <summary>
    /// The median, over <paramref name="batches"/> batches of <paramref name="roundTrips"/> round trips, of the seconds
    /// per one-way hand-over of a <paramref name="lines"/>-line message (written, then published by a counter on its own
    /// line; the reader spins on the counter and reads every line).
    /// </summary>
    /// <param name="lines">Cache lines per message, 1–64.</param>
    /// <param name="roundTrips">Round trips per batch, ≥ 1.</param>
    /// <param name="batches">Batches, ≥ 1.</param>
    /// <returns>Seconds per one-way hand-over.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="TimeoutException">The other thread made no progress for a second (it never got a CPU).</exception>
    public static double Measure(int lines = 21, int roundTrips = 20_000, int batches = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lines, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lines, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrips, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        double[] seconds = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            seconds[b] = Batch(lines, roundTrips);
        }

        Array.Sort(seconds);
        return seconds[batches / 2];
    }

    private static double Batch(int lines, int roundTrips)
    {
        // Counters in the middle of three lines each; messages double-buffered by round parity, per worker.
        long[] counters = new long[6 * LineDoubles];
        double[] buffer = GC.AllocateArray<double>((4 * lines * LineDoubles) + LineDoubles, pinned: true);
        Memory<double> messages = buffer.AsMemory(LineOffset(buffer), 4 * lines * LineDoubles);
        int ready = 0;
        Exception? failure = null;
        var partner = new Thread(() =>
        {
            try
            {
                Interlocked.Exchange(ref ready, 1);
                Play(1, counters, messages, lines, roundTrips);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "hand-over probe" };
        partner.Start();
        while (Volatile.Read(ref ready) == 0)
        {
            Thread.Yield();
        }

        long start = Stopwatch.GetTimestamp();
        Play(0, counters, messages, lines, roundTrips);
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        partner.Join();
        if (failure is not null)
        {
            throw failure;
        }

        return elapsed / (2.0 * roundTrips);
    }

    // Elements from the start of the pinned array to its first 64-byte boundary (each message line then one cache line).
    private static unsafe int LineOffset(double[] pinned)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((64 - (address & 63)) & 63) / sizeof(double);
    }

    // Worker 0 sends round r and waits for worker 1's round r; worker 1 waits for worker 0's round r, then sends its own.
    private static void Play(int me, long[] counters, Memory<double> buffer, int lines, int roundTrips)
    {
        Span<double> messages = buffer.Span;
        int mine = ((3 * me) + 1) * LineDoubles;
        int theirs = ((3 * (1 - me)) + 1) * LineDoubles;
        int stride = lines * LineDoubles;
        // What was read feeds what is written next, so the reads cannot be dropped.
        double sum = 0.0;
        for (long r = 1; r <= roundTrips; r++)
        {
            int other = (2 * (1 - me)) + (int)(r & 1);
            if (me == 1)
            {
                sum += Receive(counters, theirs, messages, other, stride, r);
            }

            int own = ((2 * me) + (int)(r & 1)) * stride;
            for (int l = 0; l < lines; l++)
            {
                messages[own + (l * LineDoubles)] = sum + r;
            }

            Volatile.Write(ref counters[mine], r);
            if (me == 0)
            {
                sum += Receive(counters, theirs, messages, other, stride, r);
            }
        }
    }

    private static double Receive(long[] counters, int counter, Span<double> messages, int buffer, int stride, long round)
    {
        long deadline = 0;
        int spins = 0;
        while (Volatile.Read(ref counters[counter]) < round)
        {
            if (X86Base.IsSupported)
            {
                X86Base.Pause();
            }
            else
            {
                Thread.SpinWait(1);
            }

            // Long waits (the other thread has no CPU: a busy or one-CPU machine) yield, so that it can run.
            if (++spins >= SpinsBeforeYield)
            {
                Thread.Yield();
            }

            if ((spins & 0xFFF) == 0)
            {
                long now = Stopwatch.GetTimestamp();
                deadline = deadline == 0 ? now + (Stopwatch.Frequency * TimeoutSeconds) : deadline;
                if (now > deadline)
                {
                    throw new TimeoutException("The hand-over probe's other thread made no progress for a second.");
                }
            }
        }

        double sum = 0.0;
        int start = buffer * stride;
        for (int o = 0; o < stride; o += LineDoubles)
        {
            sum += messages[start + o];
        }

        return sum;
    }
}
