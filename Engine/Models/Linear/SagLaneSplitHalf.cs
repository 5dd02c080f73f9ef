using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.Random;

namespace FashionCore.Models.Linear;

/// <summary>
/// One worker of <see cref="SagLaneSplitSolver"/>: <see cref="SagLanePairSolver"/>'s loop restricted to the feature
/// range [lo, lo + count) (the worker's half of the weight blocks), with its own copy of everything else (draws,
/// gradient memory, scalar chain), which the two workers advance identically. The caller owns the (pooled) blocks,
/// gradient memory and seen flags.
/// </summary>
/// <remarks>
/// Per pair of steps the worker publishes its half's partial dot products (and its half of x_b·x_a), reads the other
/// half's, and both compute the full dot products as the same sum: the two scalar chains see the same inputs and give
/// the same bits. The workers are driven round by round (<see cref="PublishPair"/> then <see cref="StepPair"/>), so
/// two threads or one thread alternating them compute the same result.
/// </remarks>
/// <typeparam name="T">float or double rows.</typeparam>
internal sealed class SagLaneSplitHalf<T>
    where T : unmanaged
{
    private const int Distance = 8;
    private const int RingMask = 15;
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

    // This half's and the other half's partial dot products of the current pair (x_a·U, x_a·A, x_b·U, x_b·A per lane, then
    // x_b·x_a), and this half's epoch maxima (max|W|, max|ΔW| per lane).
    private readonly double[] _mine = new double[(4 * SagLanes.Count) + 1];
    private readonly double[] _theirs = new double[(4 * SagLanes.Count) + 1];
    private readonly double[] _maxima = new double[2 * SagLanes.Count];
    private SagLaneChain _chain;

    // The current pair's steps: the update's (coef, δ) for samples a and b.
    private SagLanes _coefA;
    private SagLanes _deltaA;
    private SagLanes _coefB;
    private SagLanes _deltaB;
    private XorShift32 _rng;
    private SagLaneKernels.Accumulators _accA;
    private SagLaneKernels.Accumulators _accB;
    private double _gram;
    private int _unionCount;
    private int _nextUnionCount;
    private long _at;
    private long _round;
    private int _t;
    private int _epoch;
    private int _activeBits;

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
        _chain = new SagLaneChain(p, used);
        _activeBits = (1 << _lanes) - 1;
        _rng = new XorShift32(p.Seed);
        for (int r = 0; r <= Distance + 1; r++)
        {
            _ahead[r] = _rng.NextIndex(n);
        }
    }

    /// <summary>0 for the first feature range, 1 for the second.</summary>
    public int Worker => _worker;

    /// <summary>Whether another epoch runs.</summary>
    public bool Running => _epoch < _p.MaxIterations && _results.Remaining(_worker) > 0;

    /// <summary>Whether the current epoch has pairs left.</summary>
    public bool InEpoch => _t < _n;

    /// <summary>Whether the other worker asked this one to stop after the pair just stepped (it takes this half over).</summary>
    public bool HandedOver { get; private set; }

    /// <summary>Rounds exchanged so far (the same for both workers).</summary>
    public long Round => _round;

    private ref double W => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_blocks), _base);

    /// <summary>Starts an epoch: the first pair's dot products over this half, from the state after the last flush.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginEpoch(ReadOnlySpan2D<T> x, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _t = 0;
        ReadOnlySpan<T> first = Half(x, _ahead[(int)(_at & RingMask)]);
        ReadOnlySpan<T> second = _n > 1 ? Half(x, _ahead[(int)((_at + 1) & RingMask)]) : first;
        (_unionCount, _) = SparseRows.CompactUnion(first, second, first, second, _union, _onlyNext);
        _accA = default;
        _accB = default;
        SagLanePairKernels.Dot(_union.AsSpan(0, _unionCount), first, second, ref W, ref _accA, ref _accB);
        _gram = SagLaneDenseKernels.RowDot(second, first);
    }

    /// <summary>
    /// Sends this half's dot products of the current pair (round <see cref="Round"/> + 1); <paramref name="handOver"/>
    /// tells the other worker to stop after this pair (<see cref="HandedOver"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PublishPair(bool handOver = false)
    {
        _round++;
        ref double m = ref MemoryMarshal.GetArrayDataReference(_mine);
        (SagLanes uA, SagLanes aA) = _accA.Reduce();
        (SagLanes uB, SagLanes aB) = _accB.Reduce();
        uA.Store(ref m);
        aA.Store(ref Unsafe.Add(ref m, SagLanes.Count));
        uB.Store(ref Unsafe.Add(ref m, 2 * SagLanes.Count));
        aB.Store(ref Unsafe.Add(ref m, 3 * SagLanes.Count));
        Unsafe.Add(ref m, 4 * SagLanes.Count) = _gram;

        // Only the used lanes travel (the padding lanes are zero).
        Span<double> packed = stackalloc double[(4 * SagLaneSolver.MaxLanes) + 2];
        for (int g = 0; g < 4; g++)
        {
            for (int c = 0; c < _lanes; c++)
            {
                packed[(g * _lanes) + c] = _mine[(g * SagLanes.Count) + c];
            }
        }

        packed[4 * _lanes] = _gram;
        packed[(4 * _lanes) + 1] = handOver ? 1.0 : 0.0;
        _exchange.Send(_worker, _round, packed[..((4 * _lanes) + 2)]);
    }

    /// <summary>
    /// The next pair's work that the current pair's steps do not change, done while the other half's message is on its
    /// way: the next rows' feature union, their x_d·x_c, and their dot products over the features that the current pair
    /// does not touch (whose weights its update leaves as they are).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PreparePair(ReadOnlySpan2D<T> x)
    {
        int n = _n;
        int t = _t;
        long at = _at;
        for (long k = at + Distance; k < at + Distance + 2; k++)
        {
            int far = _ahead[(int)(k & RingMask)];
            SagLaneSolver.Prefetch(Half(x, far), ref _memory[far * MemoryStride]);
        }

        if (t + 2 < n)
        {
            ReadOnlySpan<T> rowA = Half(x, _ahead[(int)(at & RingMask)]);
            ReadOnlySpan<T> rowB = Half(x, _ahead[(int)((at + 1) & RingMask)]);
            ReadOnlySpan<T> rowC = Half(x, _ahead[(int)((at + 2) & RingMask)]);
            ReadOnlySpan<T> rowD = t + 3 < n ? Half(x, _ahead[(int)((at + 3) & RingMask)]) : rowC;
            (_nextUnionCount, int onlyCount) = SparseRows.CompactUnion(rowA, rowB, rowC, rowD, _nextUnion, _onlyNext);
            _accA = default;
            _accB = default;
            SagLanePairKernels.Dot(_onlyNext.AsSpan(0, onlyCount), rowC, rowD, ref W, ref _accA, ref _accB);
            _gram = SagLaneDenseKernels.RowDot(rowD, rowC);
        }
    }

    /// <summary>
    /// Receives the other half's dot products of the current pair, runs the pair's two steps with the full dot products,
    /// applies them to this half and completes the next pair's partial dot products (after <see cref="PreparePair"/>).
    /// With a <paramref name="leader"/> (both workers on one thread, the leader stepped first) the steps are the
    /// leader's: its chain computed the same bits from the same sums, so this worker takes them instead of redoing them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void StepPair(ReadOnlySpan2D<T> x, SagLaneSplitHalf<T>? leader = null)
    {
        int n = _n;
        int t = _t;
        long at = _at;
        bool hasB = t + 1 < n;
        int ia = _ahead[(int)(at & RingMask)];
        int ib = hasB ? _ahead[(int)((at + 1) & RingMask)] : ia;
        ReadOnlySpan<T> rowA = Half(x, ia);
        ReadOnlySpan<T> rowB = Half(x, ib);
        SagLanes coefA, deltaA, coefB, deltaB;
        if (leader is not null)
        {
            (coefA, deltaA, coefB, deltaB) = (leader._coefA, leader._deltaA, leader._coefB, leader._deltaB);
            _chain = leader._chain;
            HandedOver = false;
        }
        else
        {
            (coefA, deltaA, coefB, deltaB) = Steps(ia, ib, hasB);
        }

        ref double w = ref W;
        ReadOnlySpan<int> nz = _union.AsSpan(0, _unionCount);
        if (t + 2 < n)
        {
            ReadOnlySpan<T> rowC = Half(x, _ahead[(int)((at + 2) & RingMask)]);
            ReadOnlySpan<T> rowD = t + 3 < n ? Half(x, _ahead[(int)((at + 3) & RingMask)]) : rowC;
            SagLanePairKernels.UpdateDot(nz, rowA, rowB, rowC, rowD, ref w, coefA, deltaA, coefB, deltaB, ref _accA, ref _accB);
            (_union, _nextUnion) = (_nextUnion, _union);
            _unionCount = _nextUnionCount;
        }
        else
        {
            SagLanePairKernels.Update(nz, rowA, rowB, ref w, coefA, deltaA, coefB, deltaB);
        }

        int draws = hasB ? 2 : 1;
        for (int k = 0; k < draws; k++)
        {
            _ahead[(int)((at + Distance + 2 + k) & RingMask)] = _rng.NextIndex(n);
        }

        _at = at + draws;
        _t = t + 2;
    }

    // Receives the other half's message and runs the pair's scalar steps on the summed dot products.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (SagLanes CoefA, SagLanes DeltaA, SagLanes CoefB, SagLanes DeltaB) Steps(int ia, int ib, bool hasB)
    {
        Span<double> packed = stackalloc double[(4 * SagLaneSolver.MaxLanes) + 2];
        packed = packed[..((4 * _lanes) + 2)];
        _exchange.Receive(1 - _worker, _round, packed);
        HandedOver = packed[(4 * _lanes) + 1] != 0;
        for (int g = 0; g < 4; g++)
        {
            for (int c = 0; c < _lanes; c++)
            {
                _theirs[(g * SagLanes.Count) + c] = packed[(g * _lanes) + c];
            }
        }

        _theirs[4 * SagLanes.Count] = packed[4 * _lanes];
        ref double mine = ref MemoryMarshal.GetArrayDataReference(_mine);
        ref double theirs = ref MemoryMarshal.GetArrayDataReference(_theirs);

        // Both workers add the same two partials (addition commutes exactly), so both chains see the same bits.
        SagLanes zU = SagLanes.Load(ref mine) + SagLanes.Load(ref theirs);
        SagLanes zA = SagLanes.Load(ref Unsafe.Add(ref mine, SagLanes.Count)) + SagLanes.Load(ref Unsafe.Add(ref theirs, SagLanes.Count));
        (_coefA, _deltaA) = _chain.Step(zU, zA, ia, _y, _firstClass, _memory, _seen, _multinomial, _epoch);
        _coefB = default;
        _deltaB = default;
        if (hasB)
        {
            double gram = Unsafe.Add(ref mine, 4 * SagLanes.Count) + Unsafe.Add(ref theirs, 4 * SagLanes.Count);
            zU = SagLanes.Load(ref Unsafe.Add(ref mine, 2 * SagLanes.Count)) + SagLanes.Load(ref Unsafe.Add(ref theirs, 2 * SagLanes.Count));
            zA = SagLanes.Load(ref Unsafe.Add(ref mine, 3 * SagLanes.Count)) + SagLanes.Load(ref Unsafe.Add(ref theirs, 3 * SagLanes.Count));
            zU += gram * _coefA;
            zA += gram * _deltaA;
            (_coefB, _deltaB) = _chain.Step(zU, zA, ib, _y, _firstClass, _memory, _seen, _multinomial, _epoch);
        }

        return (_coefA, _deltaA, _coefB, _deltaB);
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
