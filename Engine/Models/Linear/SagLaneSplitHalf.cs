using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Linear;

/// <summary>
/// One worker of <see cref="SagLaneSplitSolver"/>: <see cref="SagLaneQuadSolver"/>'s loop with eight steps per pass
/// instead of four (octets, <see cref="SagLaneOctetKernels"/>), restricted to the feature range [lo, lo + count) (the
/// worker's half of the weight blocks), with its own copy of the draws, which the two workers advance identically.
/// Worker 0 owns the scalar chain (and the gradient memory and seen flags, which the caller owns and pools).
/// </summary>
/// <remarks>
/// <para>
/// Per octet of steps worker 1 sends its half's x·U − StepSum·x·A per sample (StepSum at the sample's step), and a round
/// earlier, in a side message, the octet's 28 row products (over both halves: it computes worker 0's too, the same bits
/// as worker 0 computing them, while worker 0 runs the chain); worker 0 adds its half's, runs the octet's eight scalar
/// steps and sends worker 1 the steps' δs and factors (each coef is factor·δ). Worker 1 advances the scale and step
/// sum itself, in the chain's operations, from which draws are first ones (all it depends on), and the two workers
/// compare theirs at the end of every epoch. The workers are driven round by round
/// (<see cref="PublishOctet"/>, <see cref="PrepareOctet"/>, <see cref="StepOctet"/>), so two threads or one thread
/// alternating them compute the same result.
/// </para>
/// <para>
/// One chain owner rather than both workers running the same chain on the same inputs (as before session 14): the chain
/// (~0.5–0.7 µs of a ~7–8 µs round) was on both workers' critical paths; now worker 1 spends that time on worker 0's
/// row products (~0.5 µs) instead, and no longer reads labels, gradient memory or seen flags. Measured on the pixel fit
/// (in-process A/B against session 13's design, alternated fits): paired median −7.1 ms, 25/38 faster (slow state,
/// ~230 ms) and −6.1 ms, 42/58 faster (fast state, 179.3 → 172.7 ms median).
/// </para>
/// <para>
/// Octets rather than quads halve the rounds (22 500 instead of 45 000 per pixel fit): each round costs a
/// cross-core hand-over of the messages and lockstep waiting, which eight steps per round amortise. The price is a
/// larger union of non-zeros per pass (681 features for eight pixel rows against 619 for four, so ~10% more FMAs per
/// step) and 28 row products instead of 6 per round. Measured on the pixel fit (3 epochs, 7 fits per build, three
/// alternated rounds, quiet machine, vCPUs at equal speed): median two-thread fit 0.148 s against 0.155 s with quads
/// (2–6% faster), and 2–3% less work in all (both workers alternated on one thread).
/// </para>
/// <para>
/// Messages of one combination per sample and of δs with a factor rather than (x·U, x·A) and (coef, δ): 14 and 12 cache
/// lines instead of 24 and 21. Each line costs the round a cross-core transfer (10 extra lines in worker 1's message:
/// pixel fit +6.4 to +7.7 ms in three in-process alternations). Measured against the two full messages in the same way
/// (pixel fit, in-process alternation, both orders): paired −3.2, −6.7, −7.5, −10.7 ms (17–24 of 20–24 faster) at
/// ~145 ms, −2.1 to +0.3 ms in slower states (~170–200 ms). Worker 1 forming the coefs from the δs in a buffer of its
/// own, instead of the update forming them in registers, measured +2.1 and +4.5 ms against the full messages.
/// </para>
/// <para>
/// Down to 10 and 11 lines since session 23: the row products, which worker 1 has a round before their octet's
/// message, travel in a side message that worker 0 prefetches in its <see cref="PrepareOctet"/> (off the loop that binds
/// the round: worker 1's pass, its message, worker 0's chain, the steps message); the hand-over request travels in the
/// published round number and the scale and step sum are compared once per epoch instead of in a line of every steps
/// message. Measured against the 14- and 12-line messages (pixel fit, in-process alternation, 24–30 fits per build):
/// paired −2.1, −2.7, −4.3, −3.2, −2.7 ms (14–23 of 24–30 faster) at 137–183 ms; the hand-over line alone +0.8, −3.6,
/// −3.8, −1.0 ms; without worker 0's prefetch of the side message −1.2 ms where the build with it measured −2.7 ms;
/// with the side message's lines also claimed ahead (as the messages' are) −3.5 and −2.9 ms, −0.2 ms against without.
/// </para>
/// </remarks>
/// <typeparam name="T">float, double or byte rows (byte rows times <see cref="SagProblem.RowScale"/>).</typeparam>
internal sealed class SagLaneSplitHalf<T>
    where T : unmanaged
{
    /// <summary>Steps per round.</summary>
    public const int Width = 8;

    // Rows are random draws from the whole training set (cache misses): each is prefetched this many draws ahead (two
    // octets), and the draw ring (absolute draw mod 32) holds the Distance + 8 draws ahead.
    private const int Distance = 16;
    private const int RingMask = 31;

    // The row products within an octet (x_r·x_q for q < r), worker 1's side message.
    private const int Grams = SagLaneOctetKernels.Grams;
    private const int MemoryStride = SagLanes.Count;

    private readonly int _worker;
    private readonly int _lo;
    private readonly int _count;

    // Worker 1 computes worker 0's row products too (worker 0's range is [0, _lo)), while worker 0 runs the chain.
    private readonly int _otherCount;
    private readonly int _n;
    private readonly int _lanes;
    private readonly bool _multinomial;
    private readonly SagProblem _p;
    private readonly int _firstClass;
    private readonly int[] _y;
    private readonly double[] _blocks;
    private readonly int _base;
    private readonly double[] _memory;
    private readonly bool[] _seen;
    private readonly double[] _previous;
    private readonly int[] _ahead = new int[RingMask + 1];
    private readonly SagLaneExchange _exchange;
    private readonly SagLaneSplitResults _results;
    private int[] _union;
    private int[] _nextUnion;
    private readonly int[] _onlyNext;

    // Per-column non-zero flags of the current octet's rows and of the next's (SparseRows.CompactOctet keeps the next's
    // and reads the current's instead of its rows), swapped with the unions.
    private int[] _present;
    private int[] _nextPresent;

    // The current union's features where a next row is non-zero, by pieces (SparseRows.CompactOctet lists them with
    // the next union): the dot products of the next octet over the current union skip the rest, which add only ±0.
    private readonly int[] _common;
    private readonly int[] _commonStarts;

    // Worker 1: the next octet's row products over this half and over worker 0's half (summed into its message).
    // Worker 0: this half's dot products of the current octet (x_r·U, x_r·A per sample), kept for its chain. Both: the
    // epoch maxima (max|W|, max|ΔW| per lane), then the scale and step sum before the flush.
    private readonly double[] _gram = new double[Grams];
    private readonly double[] _otherGram = new double[Grams];
    private readonly SagLanes[] _mine = new SagLanes[2 * Width];
    private readonly double[] _maxima = new double[(2 * SagLanes.Count) + 2];
    private readonly int[] _rows = new int[Width];
    private readonly SagLanes _used;
    private SagLaneChain _chain;

    // The rows' elements times _rowScale are the features (SagProblem.RowScale; 1 but for byte rows): the passes work
    // on the elements, so their dot products are scaled by it, their row products by it twice (not by its square, which
    // overflows for scales above ~1e154), and the δs they apply by it again (each a multiplication by 1, so the same
    // bits, for float and double rows).
    private readonly double _rowScale;

    // Worker 1: the step sums of the current octet's steps, the next octet's when PrepareOctet has advanced them (off the
    // round's critical path), and which samples have been drawn (a bit each; worker 0's seen flags).
    private double[] _stepSums;
    private double[] _nextStepSums;
    private bool _haveNextStepSums;
    private readonly ulong[] _drawn;

    // Worker 0's steps of the current octet (worker 1 reads them in place in worker 0's message): the updates' δs and
    // factors for its eight samples (SagLaneOctetKernels.Coefficients; each coef is factor·δ), 64-byte aligned in a
    // pinned buffer (as a field of this object most of their vector loads would straddle two cache lines), a line
    // of padding either side (no line shared with the other worker's state). Worker 1 never reads its own, yet an empty
    // one for it measured slower (pixel fit, in-process alternation, both orders: paired +8.8, +10.0, +5.5, +6.8 ms; a
    // memory-layout effect not understood), so both allocate it.
    private readonly double[] _stepBuffer = GC.AllocateArray<double>(StepDoubles + 24, pinned: true);
    private readonly int _stepBase;

    // Octet values as doubles, feature j's eight at 8j … 8j+7 (64-byte aligned): the dot-product passes over the next
    // octet (PrepareOctet's over the features only it has, StepOctet's over the current union) write them, the next
    // round's update reads them (SagLaneOctetKernels.UpdateDotWide). Those passes cover the next octet's whole union,
    // and write no feature of the current union before its update has read it.
    private readonly double[] _wide;
    private readonly int _wideBase;
    private SagDraws _order;
    private SagLaneOctetKernels.Accumulators _acc;
    private int _unionCount;
    private int _nextUnionCount;
    private long _at;
    private long _round;
    private int _t;
    private int _epoch;
    private int _activeBits;
    private bool _handOver;

    private static int StepDoubles => Unsafe.SizeOf<SagLaneOctetKernels.Coefficients>() / sizeof(double);

    // Doubles of an octet's message: worker 1's, x·U − StepSum·x·A of the used lanes per sample (its row products go
    // in the side message); worker 0's, the steps' δs and factors (a hand-over request goes in the round number).
    private int MessageLength => _worker == 0 ? StepDoubles : Width * _lanes;

    private int OtherMessageLength => _worker == 0 ? Width * _lanes : StepDoubles;

    public SagLaneSplitHalf(
        int worker, int lo, int count, int n, in SagProblem p, int firstClass, int[] y, double[] blocks, int blockBase,
        double[] previous, double[] memory, bool[] seen, SagLaneExchange exchange, SagLaneSplitResults results)
    {
        _worker = worker;
        _lo = lo;
        _count = count;
        _otherCount = worker == 1 ? lo : 0;
        _n = n;
        _lanes = p.ClassCount;
        _multinomial = p.Multinomial;
        _p = p;
        _firstClass = firstClass;
        _y = y;
        _blocks = blocks;
        _base = blockBase + (lo * SagLaneKernels.Block);
        _memory = memory;
        _seen = seen;
        _previous = previous;
        _exchange = exchange;
        _stepBase = SagLaneSolver.AlignedOffset(_stepBuffer) + 8;
        _results = results;
        _union = new int[count + 16];
        _nextUnion = new int[count + 16];
        _onlyNext = new int[count + 16];
        _present = new int[count];
        _nextPresent = new int[count];
        _common = new int[count + 16];
        _commonStarts = new int[(count / SparseRows.CommonPiece) + 2];
        _wide = GC.AllocateArray<double>((count * Width) + 8, pinned: true);
        _wideBase = SagLaneSolver.AlignedOffset(_wide);
        SagLanes used = SagLanes.LessThan(SagLanes.Index, SagLanes.Broadcast(_lanes));
        _used = used;
        _chain = new SagLaneChain(p, used);
        _rowScale = p.RowScale;
        _drawn = worker == 1 ? new ulong[(n + 63) / 64] : [];
        // Worker 0 never uses its own, yet with none for it the fit measured slower (pixel fit, in-process alternation,
        // both orders: paired +4.2, +4.8, +4.7, +3.9 ms; like the step buffer's, a memory-layout effect).
        _stepSums = new double[Width];
        _nextStepSums = new double[Width];
        _activeBits = (1 << _lanes) - 1;
        _order = new SagDraws(p, n);
        for (int r = 0; r < Distance + Width; r++)
        {
            _ahead[r] = _order.Next();
        }
    }

    /// <summary>0 for the first feature range, 1 for the second.</summary>
    public int Worker => _worker;

    /// <summary>Whether another epoch runs.</summary>
    public bool Running => _epoch < _p.MaxIterations && _results.Remaining(_worker) > 0;

    /// <summary>Whether the current epoch has octets left.</summary>
    public bool InEpoch => _t < _n;

    /// <summary>Whether the other worker asked this one to stop after the octet just stepped (it takes this half over).</summary>
    public bool HandedOver { get; private set; }

    /// <summary>Rounds exchanged so far (the same for both workers).</summary>
    public long Round => _round;

    /// <summary>
    /// Worker 0, once the partner has stopped after the octet that asked it to (<see cref="HandedOver"/>): publishes that
    /// round again without the request. A request raises the published round number far above every round, so a
    /// partner handed its worker back before this thread's next round would otherwise find that round's message
    /// "published" and read the stale one in its buffer.
    /// </summary>
    public void WithdrawHandOver() => _exchange.Publish(_worker, _round);

    private ref SagLaneOctetKernels.Coefficients StepCoefficients =>
        ref Unsafe.As<double, SagLaneOctetKernels.Coefficients>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_stepBuffer), _stepBase));

    private ref double W => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_blocks), _base);

    private ref double Wide => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_wide), _wideBase);

    /// <summary>Starts an epoch: the first octet's dot products over this half, from the state after the last flush.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginEpoch(ReadOnlySpan2D<T> x, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _t = 0;
        RowOctet<T> first = Octet(x, _at, _n);
        (_unionCount, _) = SparseRows.CompactOctet(first, default, first, _present, _union, _onlyNext);
        _acc = default;
        SagLaneOctetKernels.DotWiden(_union.AsSpan(0, _unionCount), first, ref W, ref _acc, ref Wide);
        if (_worker == 1)
        {
            RowProducts(x, _at, _n, _round + 1);
        }
    }

    /// <summary>
    /// Starts round <see cref="Round"/> + 1: worker 1 sends its half's dot products of the current octet (combined at
    /// each sample's step sum; the octet's row products went out in the side message a round earlier); worker 0 keeps
    /// its own for its chain. <paramref name="handOver"/> (worker 0) tells worker 1 to stop after this octet
    /// (<see cref="HandedOver"/>), with the octet's steps message.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PublishOctet(bool handOver = false)
    {
        _round++;
        if (_worker == 0)
        {
            _handOver = handOver;
            double own = _rowScale;
            for (int r = 0; r < Width; r++)
            {
                (SagLanes u, SagLanes a) = _acc.Reduce(r);
                (_mine[2 * r], _mine[(2 * r) + 1]) = (u * own, a * own);
            }

            return;
        }

        int m = Math.Min(Width, _n - _t);
        if (_haveNextStepSums)
        {
            (_stepSums, _nextStepSums) = (_nextStepSums, _stepSums);
            _haveNextStepSums = false;
        }
        else
        {
            AdvanceScalars(_at, m, _stepSums);
        }

        // Only the used lanes travel, written in place: each set of twelve lanes is stored whole at `lanes` past the
        // last, in order, so the next store overwrites its padding (read back masked; the last set's lies beyond the
        // message, within the buffer). One set per sample, x·U − StepSum·x·A at its step (half the lines of both); the
        // padding's (r ≥ m) are not read.
        int lanes = _lanes;
        Span<double> packed = _exchange.Outbox(_worker, _round);
        ref double message = ref MemoryMarshal.GetReference(packed);
        double[] stepSums = _stepSums;
        double scale = _rowScale;
        for (int r = 0; r < m; r++)
        {
            (SagLanes u, SagLanes a) = _acc.Reduce(r);
            ((u - (stepSums[r] * a)) * scale).Store(ref Unsafe.Add(ref message, r * lanes));
        }

        _exchange.Publish(_worker, _round);
    }

    /// <summary>
    /// The next octet's work that the current octet's steps do not change, done while the other half's message is on
    /// its way: the next rows' feature union and their dot products over the features that the current octet does not
    /// touch (whose weights its update leaves as they are); worker 1 also the next rows' products over both halves
    /// (worker 0 runs the chain meanwhile).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PrepareOctet(ReadOnlySpan2D<T> x)
    {
        int n = _n;
        int t = _t;
        long at = _at;
        if (_worker == 0)
        {
            // This octet's row products, which worker 1 wrote in its previous round (while this worker ran its chain and
            // pass): fetched now, not by the chain after the wait for the dot products.
            _exchange.PrefetchSide(1, _round, Grams);
            for (long k = at + Distance; k < at + Distance + Width; k++)
            {
                // The far rows themselves are prefetched a slice at a time during StepOctet's pass (SagLaneOctetKernels.UpdateDotWide).
                // Their labels and seen flags too: random reads in 240 KB and 60 KB arrays that the streamed rows keep
                // evicting; unprefetched, the scalar steps stalled on them (14% and 6% of Steps' samples on Zen 4).
                PrefetchStepState(_ahead[(int)(k & RingMask)]);
            }
        }

        if (t + Width < n)
        {
            RowOctet<T> current = Octet(x, at, n - t);
            RowOctet<T> next = Octet(x, at + Width, n - t - Width);
            (_nextUnionCount, int onlyCount) = SparseRows.CompactOctet(
                current, _present, next, _nextPresent, _nextUnion, _onlyNext, _common, _commonStarts);
            _acc = default;
            SagLaneOctetKernels.DotWiden(_onlyNext.AsSpan(0, onlyCount), next, ref W, ref _acc, ref Wide);
            if (_worker == 1)
            {
                RowProducts(x, at + Width, n - t - Width, _round + 1);
                AdvanceScalars(at + Width, Math.Min(Width, n - t - Width), _nextStepSums);
                _haveNextStepSums = true;
            }
        }

        // The other's message is read next: if it is already out, fetch all its lines at once.
        _exchange.PrefetchIfPublished(1 - _worker, _round, OtherMessageLength);
    }

    /// <summary>
    /// Runs the current octet's steps (worker 0: its chain on the full dot products, its half's and worker 1's, and
    /// sends them; worker 1: receives them), applies them to this half and completes the next octet's partial dot
    /// products (after <see cref="PrepareOctet"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void StepOctet(ReadOnlySpan2D<T> x)
    {
        int n = _n;
        int t = _t;
        long at = _at;
        int m = Math.Min(Width, n - t);
        ref SagLaneOctetKernels.Coefficients k8 = ref StepCoefficients;
        if (_worker == 0)
        {
            for (int k = 0; k < Width; k++)
            {
                _rows[k] = _ahead[(int)((at + (k < m ? k : 0)) & RingMask)];
            }

            Steps(m);
        }
        else
        {
            // Read in place: worker 0 rewrites this buffer two rounds on, after this worker's next message, so after
            // the pass below. (Copied to this worker's buffer first, a 1280-byte memcpy of lines still in worker 0's
            // cache right after the wait, the fit measured slower: paired +4.3 ms 24/78, +7.3 ms 30/78.)
            ReadOnlySpan<double> steps = _exchange.Inbox(0, _round);
            k8 = ref Unsafe.As<double, SagLaneOctetKernels.Coefficients>(ref MemoryMarshal.GetReference(steps));
            HandedOver = _exchange.HandedOver(0, _round);
        }

        // The other worker has read this worker's previous message in this buffer (it sent the message just received
        // after reading it): take the lines for the next message now, while the pass below runs.
        _exchange.Claim(_worker, _round + 1, MessageLength);

        ref double w = ref W;
        ReadOnlySpan<int> nz = _union.AsSpan(0, _unionCount);
        if (t + Width < n)
        {
            RowOctet<T> next = Octet(x, at + Width, n - t - Width);
            SagLaneOctetKernels.UpdateDotWide(nz, ref Wide, next, Ahead(x, at + Distance), ref w, k8, ref _acc, _common, _commonStarts);
            (_union, _nextUnion) = (_nextUnion, _union);
            (_present, _nextPresent) = (_nextPresent, _present);
            _unionCount = _nextUnionCount;
        }
        else
        {
            RowOctet<T> ahead = Ahead(x, at + Distance);
            SagLaneOctetKernels.Prefetch(ahead, 0, SagLaneOctetKernels.Lines(ahead.X0));
            SagLaneOctetKernels.UpdateWide(nz, ref Wide, ref w, k8);
        }

        for (int k = 0; k < m; k++)
        {
            _ahead[(int)((at + Distance + Width + k) & RingMask)] = _order.Next();
        }

        _at = at + m;
        _t = t + Width;
        if (_worker == 0)
        {
            // The next octet's gradient-memory rows, labels and seen flags again, right before its steps: two rounds of
            // streamed rows and blocks evict some of the lines prefetched in PrepareOctet before they are read (one more
            // prefetch per line: fit ~2 ms faster, Steps' samples at these loads about halved). Issued after the pass
            // rather than before it (where it was until session 15): pixel fit, in-process alternation in both orders,
            // paired −1.8, −1.2, −2.2, −0.1, −1.5, −2.0 ms.
            for (long k = _at; k < _at + Width; k++)
            {
                PrefetchStepState(_ahead[(int)(k & RingMask)]);
            }
        }
    }

    // Worker 0: the lines its steps read for sample `row` (gradient memory, label, seen flag).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PrefetchStepState(int row)
    {
        SagLaneSolver.PrefetchMemory(ref _memory[row * MemoryStride]);
        SagLaneSolver.PrefetchLine(ref _y[row]);
        SagLaneSolver.PrefetchLine(ref _seen[row]);
    }

    // The octet at `at`, the columns whose rows this worker reads: its half's, and worker 1 also worker 0's (it computes
    // their row products). The passes prefetch them two octets ahead; worker 1 prefetching only its half read worker 0's
    // from worker 0's cache or memory: measured against that, pixel fit, in-process A/B, paired −4.9 ms 46/68, −2.5 ms
    // 39/68, −2.0 ms 56/88.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RowOctet<T> Ahead(ReadOnlySpan2D<T> x, long at) => Octet(x, at, Width, _lo - _otherCount, _otherCount + _count);

    // Worker 1: the step sums of the octet at `at` (its first m draws).
    private void AdvanceScalars(long at, int m, double[] stepSums)
    {
        int firstDraws = 0;
        for (int r = 0; r < m; r++)
        {
            int i = _ahead[(int)((at + r) & RingMask)];
            ref ulong word = ref _drawn[i >> 6];
            ulong bit = 1UL << (i & 63);
            firstDraws |= ((word & bit) == 0 ? 1 : 0) << r;
            word |= bit;
        }

        _chain.AdvanceScalars(firstDraws, m, stepSums);
    }

    // Worker 1: the row products of the octet at `at` over worker 0's half (_otherGram) and over this half (_gram), each
    // by the same kernel as worker 0 would run on its half (the same bits whoever computes them; byte rows: over the
    // whole rows at once, in integers), summed into the side
    // message of `round`, the round whose message carries the octet's dot products. Fully optimised at once, as the other
    // per-round methods: under tiered compilation it otherwise ran (with its Octet calls) as tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RowProducts(ReadOnlySpan2D<T> x, long at, int available, long round)
    {
        Span<double> side = _exchange.Side(_worker, round);
        double scale = _rowScale;
        if (typeof(T) == typeof(byte))
        {
            // Exact integer sums: one sweep over the whole rows gives what the two halves would, with one 16-column
            // step at the end of a pixel row instead of each half's tail (fit −1.3 ms, 15 of 24 and 10 of 16 alternated
            // pairs faster).
            SagLaneOctetKernels.Gram(Octet(x, at, available, 0, _otherCount + _count), _gram);
            for (int g = 0; g < Grams; g++)
            {
                side[g] = _gram[g] * scale * scale;
            }

            return;
        }

        SagLaneOctetKernels.Gram(Octet(x, at, available, 0, _otherCount), _otherGram);
        SagLaneOctetKernels.Gram(Octet(x, at, available), _gram);

        // Worker 0's half plus this half, the sum its chain formed itself before (the same bits).
        for (int g = 0; g < Grams; g++)
        {
            side[g] = (_otherGram[g] + _gram[g]) * scale * scale;
        }
    }

    // Worker 0: receives worker 1's message (and its side message) and runs the octet's scalar steps on the summed dot
    // products: sample r's dot products (taken before the octet's updates; worker 1's half combined as
    // x·U − StepSum·x·A) plus Σ_{q<r} (x_r·x_q)·(coef_q, δ_q) in order of q, as SagLaneQuadSolver.Run does for a quad;
    // then sends the steps to worker 1. The padding's steps (r ≥ m) are zero.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Steps(int m)
    {
        // The octet's gradient-memory rows, labels and seen flags are read up front, before the wait for the other
        // half's message: their cache misses then overlap one another and the wait instead of stalling each step.
        // Draws are with replacement, so a row can repeat within the octet: the repeat is no first draw (the flag is set
        // in order here) and reads its row again at its step, after the earlier step stored its gradient there.
        Span<SagLanes> previous = stackalloc SagLanes[Width];
        Span<int> labels = stackalloc int[Width];
        ReadOnlySpan<int> rows = _rows;
        int[] y = _y;
        bool[] seen = _seen;
        double[] memory = _memory;
        int firstDraws = 0;
        int repeats = 0;
        for (int r = 0; r < m; r++)
        {
            int i = rows[r];
            labels[r] = y[i];
            bool first = !seen[i];
            seen[i] = true;
            previous[r] = SagLaneChain.Previous(ref memory[i * MemoryStride], first);
            firstDraws |= (first ? 1 : 0) << r;
            for (int q = 0; q < r; q++)
            {
                repeats |= (rows[q] == i ? 1 : 0) << r;
            }
        }

        int lanes = _lanes;
        ReadOnlySpan<double> theirs = _exchange.Inbox(1, _round);

        // Worker 1's x·U − StepSum·x·A per sample; twelve lanes are read at each set (within the buffer: 7·lanes + 12 ≤
        // 82 < Capacity) and the padding masked to zero.
        Span<SagLanes> dots = stackalloc SagLanes[Width];
        ref double message = ref MemoryMarshal.GetReference(theirs);
        for (int r = 0; r < m; r++)
        {
            dots[r] = SagLanes.Load(ref Unsafe.Add(ref message, r * lanes)) & _used;
        }

        Span<double> gram = stackalloc double[Grams];
        _exchange.Side(1, _round)[..Grams].CopyTo(gram);

        // The chain's state in a local for the octet (kept in registers across the steps, not reloaded from this
        // object after every store to the memory rows), written back once. Each step goes to this worker's pass and to
        // worker 1's message (written in place, its lines claimed during the previous pass).
        SagLaneChain chain = _chain;
        ref SagLaneOctetKernels.Coefficients steps = ref StepCoefficients;
        Span<double> outbox = _exchange.Outbox(0, _round);
        ref SagLaneOctetKernels.Coefficients sent = ref Unsafe.As<double, SagLaneOctetKernels.Coefficients>(ref MemoryMarshal.GetReference(outbox));
        Span<SagLanes> coef = stackalloc SagLanes[Width];
        Span<SagLanes> delta = stackalloc SagLanes[Width];
        for (int r = 0; r < Width; r++)
        {
            if (r >= m)
            {
                steps.Set(r, default, 0.0);
                sent.Set(r, default, 0.0);
                continue;
            }

            // Worker 1's x·U − StepSum·x·A, the row products' corrections, then this half's (added last, so that the
            // step sum does not head the chain of additions): the step's z.
            SagLanes zU = dots[r];
            SagLanes zA = default;
            int g0 = r * (r - 1) / 2;
            for (int q = 0; q < r; q++)
            {
                zU += gram[g0 + q] * coef[q];
                zA += gram[g0 + q] * delta[q];
            }

            zU += _mine[2 * r] - (chain.StepSum * _mine[(2 * r) + 1]);

            ref double g = ref memory[rows[r] * MemoryStride];
            SagLanes old = (repeats & (1 << r)) != 0 ? SagLaneChain.Previous(ref g, first: false) : previous[r];
            (coef[r], delta[r]) = chain.Step(zU, zA, labels[r], _firstClass, old, (firstDraws & (1 << r)) != 0, ref g, _multinomial, _epoch);
            SagLanes applied = delta[r] * _rowScale;
            steps.Set(r, applied, chain.Factor);
            sent.Set(r, applied, chain.Factor);
        }

        _chain = chain;
        _exchange.Publish(0, _round, _handOver);
    }

    // The octet of draws at … at+7 (the first `available` of them real, the rest repeat the first), this half's columns.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RowOctet<T> Octet(ReadOnlySpan2D<T> x, long at, int available) => Octet(x, at, available, _lo, _count);

    // The same octet's columns [lo, lo + count).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RowOctet<T> Octet(ReadOnlySpan2D<T> x, long at, int available, int lo, int count)
    {
        ReadOnlySpan<int> ahead = _ahead;
        ReadOnlySpan<T> x0 = x.GetRowSpan(ahead[(int)(at & RingMask)]).Slice(lo, count);
        return new RowOctet<T>(
            x0,
            available > 1 ? x.GetRowSpan(ahead[(int)((at + 1) & RingMask)]).Slice(lo, count) : x0,
            available > 2 ? x.GetRowSpan(ahead[(int)((at + 2) & RingMask)]).Slice(lo, count) : x0,
            available > 3 ? x.GetRowSpan(ahead[(int)((at + 3) & RingMask)]).Slice(lo, count) : x0,
            available > 4 ? x.GetRowSpan(ahead[(int)((at + 4) & RingMask)]).Slice(lo, count) : x0,
            available > 5 ? x.GetRowSpan(ahead[(int)((at + 5) & RingMask)]).Slice(lo, count) : x0,
            available > 6 ? x.GetRowSpan(ahead[(int)((at + 6) & RingMask)]).Slice(lo, count) : x0,
            available > 7 ? x.GetRowSpan(ahead[(int)((at + 7) & RingMask)]).Slice(lo, count) : x0);
    }

    /// <summary>
    /// Ends the epoch on this half (flush, per-lane max|W| and max|ΔW|) and publishes the maxima with the scale and step
    /// sum it flushed with.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PublishEpoch()
    {
        ref double w = ref W;
        double scale = _chain.Scale;
        double stepSum = _chain.StepSum;
        SagLaneSolver.Flush(ref w, _count, _lanes, stepSum, scale, _activeBits, _epoch);
        _chain.StepSum = 0.0;
        _chain.Scale = 1.0;
        _epoch++;

        _round++;
        Span<double> message = _maxima;
        message.Clear();
        message[2 * SagLanes.Count] = scale;
        message[(2 * SagLanes.Count) + 1] = stepSum;
        for (int j = 0; j < _count; j++)
        {
            for (int c = 0; c < _lanes; c++)
            {
                double v = SagLaneKernels.U(ref w, j, c);
                ref double old = ref _previous[((_lo + j) * _lanes) + c];
                message[c] = Math.Max(message[c], Math.Abs(v));
                message[SagLanes.Count + c] = Math.Max(message[SagLanes.Count + c], Math.Abs(v - old));
                old = v;
            }
        }

        _exchange.Send(_worker, _round, message);
    }

    /// <summary>
    /// sklearn's stopping test on both halves' maxima (a maximum is exact, so both workers decide alike); a problem
    /// that stops stores this half of its weights (worker 0 also its intercept and counters).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The workers flushed with different scales or step sums (a defect: worker 1 advances them itself).
    /// </exception>
    public void FinishEpoch()
    {
        Span<double> other = stackalloc double[(2 * SagLanes.Count) + 2];
        _exchange.Receive(1 - _worker, _round, other);
        ReadOnlySpan<double> mine = _maxima;

        // Worker 1 advances the weight scale and step sum itself, in the chain's operations on the same draws: a
        // difference is a defect, which would otherwise go unnoticed (the fit would still agree with sklearn's to
        // ~1e-12). The step sum adds up every step's increment, so a step that differs shows in the epoch's last value
        // (barring an exactly compensating difference); checked here rather than in a line of every steps message.
        if (other[2 * SagLanes.Count] != mine[2 * SagLanes.Count] || other[(2 * SagLanes.Count) + 1] != mine[(2 * SagLanes.Count) + 1])
        {
            throw new InvalidOperationException("The SAGA split's workers disagree on the weight scale or step sum.");
        }

        if (_multinomial)
        {
            double maxWeight = 0.0;
            double maxChange = 0.0;
            for (int c = 0; c < _lanes; c++)
            {
                maxWeight = Math.Max(maxWeight, Math.Max(mine[c], other[c]));
                maxChange = Math.Max(maxChange, Math.Max(mine[SagLanes.Count + c], other[SagLanes.Count + c]));
            }

            bool stop = SagLaneSolver.Stop(maxWeight, maxChange, _p.Tolerance, out double change);
            if (stop || _epoch == _p.MaxIterations)
            {
                StoreWeights(_results.Weights[0], 0, _lanes);
                _results.Stop(_worker, 0, 0, _lanes, _chain.B, _epoch, stop, change);
            }

            return;
        }

        for (int c = 0; c < _lanes; c++)
        {
            if (_results.Stopped(_worker, c))
            {
                continue;
            }

            double maxWeight = Math.Max(mine[c], other[c]);
            double maxChange = Math.Max(mine[SagLanes.Count + c], other[SagLanes.Count + c]);
            bool stop = SagLaneSolver.Stop(maxWeight, maxChange, _p.Tolerance, out double change);
            if (stop || _epoch == _p.MaxIterations)
            {
                StoreWeights(_results.Weights[c], c, 1);
                _results.Stop(_worker, c, c, 1, _chain.B, _epoch, stop, change);
                _chain.Deactivate(c);
                _activeBits &= ~(1 << c);
            }
        }
    }

    private void StoreWeights(double[] weights, int first, int count)
    {
        ref double w = ref W;
        for (int j = 0; j < _count; j++)
        {
            for (int c = 0; c < count; c++)
            {
                weights[((_lo + j) * count) + c] = SagLaneKernels.U(ref w, j, first + c);
            }
        }
    }
}
