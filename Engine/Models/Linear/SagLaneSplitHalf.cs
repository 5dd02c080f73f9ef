using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.Random;

namespace FashionCore.Models.Linear;

/// <summary>
/// One worker of <see cref="SagLaneSplitSolver"/>: <see cref="SagLaneQuadSolver"/>'s loop restricted to the feature
/// range [lo, lo + count) (the worker's half of the weight blocks), with its own copy of everything else (draws,
/// gradient memory, scalar chain), which the two workers advance identically. The caller owns the (pooled) blocks,
/// gradient memory and seen flags.
/// </summary>
/// <remarks>
/// Per quad of steps the worker publishes its half's partial dot products (and its half of the quad's six row
/// products), reads the other half's, and both compute the full dot products as the same sum: the two scalar chains see
/// the same inputs and give the same bits. The workers are driven round by round (<see cref="PublishQuad"/> then
/// <see cref="StepQuad"/>), so two threads or one thread alternating them compute the same result.
/// </remarks>
/// <typeparam name="T">float or double rows.</typeparam>
internal sealed class SagLaneSplitHalf<T>
    where T : unmanaged
{
    private const int Distance = SagLaneQuadSolver.Distance;
    private const int RingMask = SagLaneQuadSolver.RingMask;
    private const int Width = SagLaneQuadSolver.Width;

    // A quad's message: x_r·U and x_r·A per used lane for the four samples, the six row products, the hand-over flag.
    private const int Grams = 6;
    private const int MemoryStride = SagLanes.Count;

    private readonly int _worker;
    private readonly int _lo;
    private readonly int _count;
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

    // This half's partial row products of the next quad; its published dot products and row products of the current
    // quad (x_r·U, x_r·A per sample, then the six row products); its epoch maxima (max|W|, max|ΔW| per lane).
    private readonly double[] _gram = new double[Grams];
    private readonly SagLanes[] _mine = new SagLanes[2 * Width];
    private readonly double[] _mineGram = new double[Grams];
    private readonly double[] _maxima = new double[2 * SagLanes.Count];
    private readonly int[] _rows = new int[Width];
    private readonly SagLanes _used;
    private SagLaneChain _chain;

    // The current quad's steps: the updates' (coef, δ) for its four samples.
    private SagLaneQuadKernels.Steps _steps;
    private XorShift32 _rng;
    private SagLaneQuadKernels.Accumulators _acc;
    private int _unionCount;
    private int _nextUnionCount;
    private long _at;
    private long _round;
    private int _t;
    private int _epoch;
    private int _activeBits;

    // Doubles of a quad's message: the dot products of the used lanes, the row products and the hand-over flag.
    private int MessageLength => (2 * Width * _lanes) + Grams + 1;

    public SagLaneSplitHalf(
        int worker, int lo, int count, int n, in SagProblem p, int firstClass, int[] y, double[] blocks, int blockBase,
        double[] previous, double[] memory, bool[] seen, SagLaneExchange exchange, SagLaneSplitResults results)
    {
        _worker = worker;
        _lo = lo;
        _count = count;
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
        _results = results;
        _union = new int[count + 16];
        _nextUnion = new int[count + 16];
        _onlyNext = new int[count + 16];
        SagLanes used = SagLanes.LessThan(SagLanes.Index, SagLanes.Broadcast(_lanes));
        _used = used;
        _chain = new SagLaneChain(p, used);
        _activeBits = (1 << _lanes) - 1;
        _rng = new XorShift32(p.Seed);
        for (int r = 0; r < Distance + Width; r++)
        {
            _ahead[r] = _rng.NextIndex(n);
        }
    }

    /// <summary>0 for the first feature range, 1 for the second.</summary>
    public int Worker => _worker;

    /// <summary>Whether another epoch runs.</summary>
    public bool Running => _epoch < _p.MaxIterations && _results.Remaining(_worker) > 0;

    /// <summary>Whether the current epoch has quads left.</summary>
    public bool InEpoch => _t < _n;

    /// <summary>Whether the other worker asked this one to stop after the quad just stepped (it takes this half over).</summary>
    public bool HandedOver { get; private set; }

    /// <summary>Rounds exchanged so far (the same for both workers).</summary>
    public long Round => _round;

    private ref double W => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_blocks), _base);

    /// <summary>Starts an epoch: the first quad's dot products over this half, from the state after the last flush.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginEpoch(ReadOnlySpan2D<T> x, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _t = 0;
        RowQuad<T> first = SagLaneQuadSolver.Quad(x, _ahead, _at, _n, _lo, _count);
        (_unionCount, _) = SparseRows.CompactQuad(first, first, _union, _onlyNext);
        _acc = default;
        SagLaneQuadKernels.Dot(_union.AsSpan(0, _unionCount), first, ref W, ref _acc);
        SagLaneQuadKernels.Gram(first, _gram);
    }

    /// <summary>
    /// Sends this half's dot products of the current quad (round <see cref="Round"/> + 1); <paramref name="handOver"/>
    /// tells the other worker to stop after this quad (<see cref="HandedOver"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PublishQuad(bool handOver = false)
    {
        _round++;

        // Only the used lanes travel, written in place: each set of twelve lanes is stored whole at `lanes` past the
        // last, in order, so the next store (or the row products) overwrites its padding (read back masked).
        int lanes = _lanes;
        Span<double> packed = _exchange.Outbox(_worker, _round);
        ref double message = ref MemoryMarshal.GetReference(packed);
        for (int r = 0; r < Width; r++)
        {
            (SagLanes u, SagLanes a) = _acc.Reduce(r);
            _mine[2 * r] = u;
            _mine[(2 * r) + 1] = a;
            u.Store(ref Unsafe.Add(ref message, 2 * r * lanes));
            a.Store(ref Unsafe.Add(ref message, ((2 * r) + 1) * lanes));
        }

        int tail = 2 * Width * lanes;
        _gram.CopyTo(_mineGram);
        _gram.CopyTo(packed.Slice(tail, Grams));
        packed[tail + Grams] = handOver ? 1.0 : 0.0;
        _exchange.Publish(_worker, _round);
    }

    /// <summary>
    /// The next quad's work that the current quad's steps do not change, done while the other half's message is on its
    /// way: the next rows' feature union, their row products, and their dot products over the features that the current
    /// quad does not touch (whose weights its update leaves as they are).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PrepareQuad(ReadOnlySpan2D<T> x)
    {
        int n = _n;
        int t = _t;
        long at = _at;
        for (long k = at + Distance; k < at + Distance + Width; k++)
        {
            int far = _ahead[(int)(k & RingMask)];
            SagLaneSolver.Prefetch(Half(x, far), ref _memory[far * MemoryStride]);
        }

        if (t + Width < n)
        {
            RowQuad<T> current = SagLaneQuadSolver.Quad(x, _ahead, at, n - t, _lo, _count);
            RowQuad<T> next = SagLaneQuadSolver.Quad(x, _ahead, at + Width, n - t - Width, _lo, _count);
            (_nextUnionCount, int onlyCount) = SparseRows.CompactQuad(current, next, _nextUnion, _onlyNext);
            _acc = default;
            SagLaneQuadKernels.Dot(_onlyNext.AsSpan(0, onlyCount), next, ref W, ref _acc);
            SagLaneQuadKernels.Gram(next, _gram);
        }

        // The other's message is read next: if it is already out, fetch all its lines at once.
        _exchange.PrefetchIfPublished(1 - _worker, _round, MessageLength);
    }

    /// <summary>
    /// Receives the other half's dot products of the current quad, runs the quad's steps with the full dot products,
    /// applies them to this half and completes the next quad's partial dot products (after <see cref="PrepareQuad"/>).
    /// With a <paramref name="leader"/> (both workers on one thread, the leader stepped first) the steps are the
    /// leader's: its chain computed the same bits from the same sums, so this worker takes them instead of redoing them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void StepQuad(ReadOnlySpan2D<T> x, SagLaneSplitHalf<T>? leader = null)
    {
        int n = _n;
        int t = _t;
        long at = _at;
        int m = Math.Min(Width, n - t);
        for (int k = 0; k < Width; k++)
        {
            _rows[k] = _ahead[(int)((at + (k < m ? k : 0)) & RingMask)];
        }

        if (leader is not null)
        {
            _steps = leader._steps;
            _chain = leader._chain;
            HandedOver = false;
        }
        else
        {
            Steps(m);
        }

        ref double w = ref W;
        RowQuad<T> current = SagLaneQuadSolver.Quad(x, _ahead, at, m, _lo, _count);
        ReadOnlySpan<int> nz = _union.AsSpan(0, _unionCount);
        if (t + Width < n)
        {
            RowQuad<T> next = SagLaneQuadSolver.Quad(x, _ahead, at + Width, n - t - Width, _lo, _count);
            SagLaneQuadKernels.UpdateDot(nz, current, next, ref w, _steps, ref _acc);
            (_union, _nextUnion) = (_nextUnion, _union);
            _unionCount = _nextUnionCount;
        }
        else
        {
            SagLaneQuadKernels.Update(nz, current, ref w, _steps);
        }

        for (int k = 0; k < m; k++)
        {
            _ahead[(int)((at + Distance + Width + k) & RingMask)] = _rng.NextIndex(n);
        }

        _at = at + m;
        _t = t + Width;
    }

    // Receives the other half's message and runs the quad's scalar steps on the summed dot products.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Steps(int m)
    {
        int lanes = _lanes;
        int tail = 2 * Width * lanes;
        ReadOnlySpan<double> theirs = _exchange.Inbox(1 - _worker, _round);
        HandedOver = theirs[tail + Grams] != 0;

        // Both workers add the same two partials (addition commutes exactly), so both chains see the same bits. Twelve
        // lanes are read at each set (within the buffer: 7·lanes + 12 ≤ 82 < Capacity) and the padding masked to zero.
        Span<SagLanes> dots = stackalloc SagLanes[2 * Width];
        ref double message = ref MemoryMarshal.GetReference(theirs);
        for (int k = 0; k < 2 * Width; k++)
        {
            dots[k] = _mine[k] + (SagLanes.Load(ref Unsafe.Add(ref message, k * lanes)) & _used);
        }

        Span<double> gram = stackalloc double[Grams];
        for (int g = 0; g < Grams; g++)
        {
            gram[g] = _mineGram[g] + theirs[tail + g];
        }

        SagLaneQuadSolver.Run(ref _chain, ref _steps, dots, gram, _rows, m, _y, _firstClass, _memory, _seen, _multinomial, _epoch);
    }

    /// <summary>Ends the epoch on this half (flush, per-lane max|W| and max|ΔW|) and publishes the maxima.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PublishEpoch()
    {
        ref double w = ref W;
        SagLaneSolver.Flush(ref w, _count, _lanes, _chain.StepSum, _chain.Scale, _activeBits, _epoch);
        _chain.StepSum = 0.0;
        _chain.Scale = 1.0;
        _epoch++;

        _round++;
        Span<double> message = _maxima;
        message.Clear();
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
    public void FinishEpoch()
    {
        Span<double> other = stackalloc double[2 * SagLanes.Count];
        _exchange.Receive(1 - _worker, _round, other);
        ReadOnlySpan<double> mine = _maxima;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<T> Half(ReadOnlySpan2D<T> x, int row) => x.GetRowSpan(row).Slice(_lo, _count);
}
