using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// The mailboxes of <see cref="SagLaneSplitSolver"/>'s two workers: each round, each worker sends a message (worker 1 its
/// half's partial dot products, worker 0 the octet's steps; or each its half's weight maxima) and receives the other's;
/// worker 1 also sends the next octet's row products ahead in a side message (<see cref="Side"/>).
/// </summary>
/// <remarks>
/// <para>
/// A message is up to <see cref="Capacity"/> doubles, published by a release store of the round number after the
/// values. (Tagging every line with the round instead, so that the values arrive with the signal, was slower: the
/// receiver polling all the lines keeps pulling them away from the sender while it writes. Polled one line at a time,
/// in order, with each side copying through its own buffer: pixel fit +0.8 to +3.5 ms, although a bare ping-pong of 21
/// lines is faster that way, 0.16 against 0.18–0.19 µs; with the steps sent line by line as worker 0's chain makes
/// them, +11 ms.)
/// </para>
/// <para>
/// Messages are double-buffered by round parity: a worker cannot send round r + 2 before the other has received round
/// r, since it first receives the other's round r + 1, which the other sends after receiving round r. A wait spins (a
/// thread-pool hand-off costs microseconds; a round of eight steps takes about seven on pixels); a long one (the
/// partner was descheduled) yields the core. Once a worker has failed (<see cref="Abort"/>), every wait throws.
/// </para>
/// </remarks>
internal sealed class SagLaneExchange
{
    /// <summary>Most doubles per message.</summary>
    public const int Capacity = 192;

    /// <summary>Most doubles per side message (<see cref="Side"/>).</summary>
    public const int SideCapacity = 32;

    private const int LineDoubles = 8;

    // Per worker: its round counter's line, then two messages and two side messages; the workers' regions a line apart
    // (no common line).
    private const int Region = LineDoubles + (2 * Capacity) + (2 * SideCapacity) + LineDoubles;
    private const int SpinsBeforeYield = 1 << 11;

    // Added to a published round number to carry a hand-over request; far above any round count.
    private const long HandOverMark = 1L << 48;

    private readonly double[] _messages = GC.AllocateArray<double>((2 * Region) + LineDoubles, pinned: true);
    private readonly long[] _rounds = new long[3 * LineDoubles * 2];
    private readonly int _base;
    private int _aborted;
    private long _stalledTicks;

    public SagLaneExchange() => _base = SagLaneSolver.AlignedOffset(_messages);

    /// <summary>
    /// Stopwatch ticks that waits for worker 1 spent beyond the spinning phase (worker 1 descheduled: the machine is
    /// busy). Written by worker 0's thread only.
    /// </summary>
    public long StalledTicks => _stalledTicks;

    /// <summary>Whether <see cref="Abort"/> was called.</summary>
    public bool Aborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>Makes every current and future wait throw (a worker failed or was cancelled).</summary>
    public void Abort() => Volatile.Write(ref _aborted, 1);

    /// <summary>Sends worker <paramref name="worker"/>'s message of <paramref name="round"/> (≥ 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Send(int worker, long round, ReadOnlySpan<double> message)
    {
        message.CopyTo(Message(worker, round));
        Publish(worker, round);
    }

    /// <summary>
    /// Where worker <paramref name="worker"/> writes its message of <paramref name="round"/> in place
    /// (<see cref="Capacity"/> doubles), before <see cref="Publish"/>: no staging copy on the round's critical path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<double> Outbox(int worker, long round) => Message(worker, round);

    /// <summary>
    /// Sends the message written to <see cref="Outbox"/> and, with <paramref name="handOver"/>, asks the other worker to
    /// stop after it (<see cref="HandedOver"/>): the request travels in the published round number, not in a line of
    /// the message.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(int worker, long round, bool handOver = false) =>
        Volatile.Write(ref Round(worker), handOver ? round + HandOverMark : round);

    /// <summary>
    /// Whether worker <paramref name="worker"/> published its message of <paramref name="round"/> (already received)
    /// with a hand-over request. A sender that asks publishes nothing more until the receiver has stopped, and then
    /// withdraws the request (publishes the round again without it), so the round number read is then still that
    /// message's; without a request it may be a later round's, also without one.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The round number carries the request of another round: <paramref name="round"/>'s message was taken as
    /// published because of it and is stale (a defect; thrown rather than letting the fit go on with it).
    /// </exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HandedOver(int worker, long round)
    {
        long published = Volatile.Read(ref Round(worker));
        if (published < HandOverMark)
        {
            return false;
        }

        if (published != round + HandOverMark)
        {
            ThrowStaleHandOver(worker, round, published - HandOverMark);
        }

        return true;
    }

    /// <summary>
    /// Worker <paramref name="worker"/>'s side message for <paramref name="round"/> (<see cref="SideCapacity"/> doubles,
    /// double-buffered by round parity like the messages): values the receiver needs with that round's message but that
    /// the sender has earlier, so that the receiver can fetch them before it waits. The sender writes it before
    /// publishing round's message (which publishes it too) and after receiving the other's message of round − 2 (the
    /// other read the side message of round − 2, in the same buffer, before sending that); the receiver reads it after
    /// receiving round's message.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<double> Side(int worker, long round) =>
        _messages.AsSpan(_base + (worker * Region) + LineDoubles + (2 * Capacity) + ((int)(round & 1) * SideCapacity), SideCapacity);

    /// <summary>
    /// Starts fetching the first <paramref name="length"/> doubles of worker <paramref name="worker"/>'s side message for
    /// <paramref name="round"/> into this core's cache (software prefetches, which never wait): best once the sender
    /// has written it; before that, it only moves lines the sender then takes back.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or above <see cref="SideCapacity"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchSide(int worker, long round, int length)
    {
        if ((uint)length > SideCapacity)
        {
            ThrowSideLength(length);
        }

        Prefetch(Side(worker, round), length);
    }

    /// <summary>
    /// Takes the cache lines of worker <paramref name="worker"/>'s message of <paramref name="round"/> into this core's
    /// cache for writing, ahead of <see cref="Outbox"/>: one store of 0 at the start of each of the lines holding its
    /// first <paramref name="length"/> doubles (the message written later overwrites them). Only once the other worker
    /// has finished reading the buffer's previous message (round − 2), i.e. after receiving its round − 1.
    /// </summary>
    /// <remarks>
    /// The other core has just read those lines, so each store of the message must first take its line back (an
    /// invalidation round trip); the stores then fill the store queue and the publishing stalled on them (~4% of the
    /// fit's samples on Zen 4, at the message's stores). Claimed before a long pass, the round trips overlap its work.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or above <see cref="Capacity"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Claim(int worker, long round, int length)
    {
        if ((uint)length > Capacity)
        {
            ThrowLength(length);
        }

        ref double start = ref MemoryMarshal.GetReference(Message(worker, round));
        for (int o = 0; o < length; o += LineDoubles)
        {
            Unsafe.Add(ref start, o) = 0.0;
        }
    }

    /// <summary>
    /// If worker <paramref name="worker"/>'s message of <paramref name="round"/> has been published, starts fetching its
    /// first <paramref name="length"/> doubles into this core's cache (software prefetches, which never wait), so that
    /// <see cref="Inbox"/> finds them here instead of in the other core's cache; before the message is published it
    /// does nothing (fetching lines the sender is still writing would only bounce them).
    /// </summary>
    /// <remarks>
    /// Measured on the pixel fit (one process alternating with and without it, 25 fits each, twice): the median fit
    /// 2.9% and 5.4% faster issued just before <see cref="Inbox"/> (all the lines requested at once, rather than as the
    /// scalar steps reach them); no better issued earlier as well, and slower when issued inside <see cref="Inbox"/>
    /// after a wait (it then only adds to the critical path).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative or above <see cref="Capacity"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchIfPublished(int worker, long round, int length)
    {
        if ((uint)length > Capacity)
        {
            ThrowLength(length);
        }

        if (Volatile.Read(ref Round(worker)) >= round)
        {
            Prefetch(Message(worker, round), length);
        }
    }

    /// <summary>
    /// Waits for worker <paramref name="worker"/>'s message of <paramref name="round"/> and returns it in place
    /// (<see cref="Capacity"/> doubles, beyond the message's length unspecified). It stays valid until the reader sends
    /// its own next message: the writer reuses the buffer two rounds on, after receiving that.
    /// </summary>
    /// <exception cref="AbortedException">The run was aborted (the other worker failed).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<double> Inbox(int worker, long round)
    {
        if (Volatile.Read(ref Round(worker)) < round)
        {
            Wait(worker, round);
        }

        return Message(worker, round);
    }

    /// <summary>
    /// Waits for worker <paramref name="worker"/>'s message of <paramref name="round"/> and copies its first
    /// <c>message.Length</c> values into <paramref name="message"/>.
    /// </summary>
    /// <exception cref="AbortedException">The run was aborted (the other worker failed).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Receive(int worker, long round, Span<double> message)
    {
        if (Volatile.Read(ref Round(worker)) < round)
        {
            Wait(worker, round);
        }

        Message(worker, round)[..message.Length].CopyTo(message);
    }

    // Software prefetches of the lines holding the first `length` doubles of a (line-aligned) message.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(Span<double> message, int length)
    {
        if (Sse.IsSupported)
        {
            byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(message));
            for (int o = 0; o < length * sizeof(double); o += 64)
            {
                Sse.Prefetch0(start + o);
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowLength(int length) =>
        throw new ArgumentOutOfRangeException(nameof(length), length, $"A message holds at most {Capacity} doubles.");

    [DoesNotReturn]
    private static void ThrowStaleHandOver(int worker, long round, long requested) =>
        throw new InvalidOperationException(
            $"Worker {worker}'s round number still carries its hand-over request of round {requested} at round {round}: that round's message was read before it was sent.");

    [DoesNotReturn]
    private static void ThrowSideLength(int length) =>
        throw new ArgumentOutOfRangeException(nameof(length), length, $"A side message holds at most {SideCapacity} doubles.");

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private void Wait(int worker, long round)
    {
        ref long published = ref Round(worker);
        int spins = 0;
        long stalledSince = 0;
        while (Volatile.Read(ref published) < round)
        {
            if (++spins < SpinsBeforeYield)
            {
                if (X86Base.IsSupported)
                {
                    X86Base.Pause();
                }
                else
                {
                    Thread.SpinWait(1);
                }

                continue;
            }

            if (Aborted)
            {
                throw new AbortedException();
            }

            stalledSince = stalledSince == 0 ? Stopwatch.GetTimestamp() : stalledSince;
            Thread.Yield();
        }

        if (stalledSince != 0 && worker == 1)
        {
            _stalledTicks += Stopwatch.GetTimestamp() - stalledSince;
        }
    }

    // Each counter alone in the middle of 3 lines' worth of longs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref long Round(int worker) => ref _rounds[(3 * LineDoubles * worker) + LineDoubles];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<double> Message(int worker, long round) =>
        _messages.AsSpan(_base + (worker * Region) + LineDoubles + ((int)(round & 1) * Capacity), Capacity);

    /// <summary>Thrown by a wait when the other worker has failed (its own exception is the one to report).</summary>
    internal sealed class AbortedException() : Exception("The other SAGA worker stopped.");
}
