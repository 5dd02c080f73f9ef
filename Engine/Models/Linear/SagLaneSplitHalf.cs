using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Numerics.Random;

namespace FashionCore.Models.Linear;

/// <summary>
/// One worker of <see cref="SagLaneSplitSolver"/>: <see cref="SagLaneQuadSolver"/>'s loop restricted to the leaves of
/// <see cref="SagLaneSplitTree"/> it owns (worker 0 leaves [0, b), worker 1 leaves [b, K)), with its own copy of
/// everything else (draws, gradient memory, scalar chain), which the two workers advance identically. The caller owns
/// the (pooled) blocks, gradient memory and seen flags, and the leaves' shared state.
/// </summary>
/// <remarks>
/// <para>
/// Per quad of steps the worker publishes its leaves' partial dot products and row products (summed up the tree as far
/// as its leaves go), reads the other's, and both add up the rest of the tree: the two scalar chains see the same
/// inputs and give the same bits. The workers are driven round by round (<see cref="PublishQuad"/> then
/// <see cref="StepQuad"/>), so two threads or one thread alternating them compute the same result.
/// </para>
/// <para>
/// Balancing: every <see cref="Window"/> rounds both workers compare the time each spent waiting for the other (as
/// published in that round's messages, so both decide alike) and move the boundary one leaf towards the one that
/// waited less (the slower core). A decision made in round r applies from round r + 1: the old owner still publishes
/// the leaf's sums it computed in round r, and the new owner prepares the leaf only after receiving that message (the
/// old owner's last writes to it come before). At an epoch's last quad it waits for the next epoch. The boundary never
/// changes a bit of the result.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double rows.</typeparam>
internal sealed class SagLaneSplitHalf<T>
    where T : unmanaged
{
    /// <summary>Rounds between balancing decisions (~1 ms on pixels).</summary>
    public const int Window = 256;

    private const int Distance = SagLaneQuadSolver.Distance;
    private const int RingMask = SagLaneQuadSolver.RingMask;
    private const int Width = SagLaneQuadSolver.Width;
    private const int Sets = SagLaneSplitTree.Sets;
    private const int Grams = SagLaneSplitTree.Grams;
    private const int MemoryStride = SagLanes.Count;

    // A quad's message: the hand-over flag, the sender's wait ticks, its clock (decision rounds), then its cover nodes.
    private const int Header = 4;

    // The boundary moves when the two workers' waits over a window differ by more than this share of the window: about
    // the effect of moving one leaf (an eighth of the feature work), so that a move does not overshoot into the mirror
    // image of the imbalance it corrects.
    private const int ThresholdDivisor = 8;

    private readonly int _worker;
    private readonly int _n;
    private readonly int _lanes;
    private readonly int _nodeDoubles;
    private readonly bool _multinomial;
    private readonly SagProblem _p;
    private readonly int _firstClass;
    private readonly int[] _y;
    private readonly double[] _blocks;
    private readonly int _blockBase;
    private readonly double[] _memory;
    private readonly bool[] _seen;
    private readonly double[] _previous;
    private readonly int[] _ahead = new int[RingMask + 1];
    private readonly SagLaneExchange _exchange;
    private readonly SagLaneSplitResults _results;
    private readonly SagLaneSplitTree _tree;
    private readonly SagLaneSplitLeaf[] _leaves;
    private readonly Func<long, int, int>? _balance;
    private readonly byte[] _guard;

    // Per tree node: its dot products (Sets per node) and row products; the epoch maxima (max|W|, max|ΔW| per lane).
    private readonly SagLanes[] _nodeDots;
    private readonly double[] _nodeGram;
    private readonly double[] _maxima = new double[2 * SagLanes.Count];
    private readonly int[] _rows = new int[Width];
    private readonly SagLanes _used;
    private SagLaneChain _chain;

    // The current quad's steps: the updates' (coef, δ) for its four samples.
    private SagLaneQuadKernels.Steps _steps;
    private XorShift32 _rng;
    private long _at;
    private long _round;
    private int _t;
    private int _epoch;
    private int _activeBits;

    // The boundary of this round's preparing and stepping, that of the sums to publish (the last step's), and the next.
    private int _boundary;
    private int _computed;
    private int _pending;

    // What this worker published in the current round, and both workers' figures at the last decision.
    private long _publishedWait;
    private long _publishedClock;
    private long _lastWait0;
    private long _lastWait1;
    private long _lastClock;

    public SagLaneSplitHalf(
        int worker, SagLaneSplitTree tree, SagLaneSplitLeaf[] leaves, int boundary, int n, in SagProblem p, int firstClass,
        int[] y, double[] blocks, int blockBase, double[] previous, double[] memory, bool[] seen, SagLaneExchange exchange,
        SagLaneSplitResults results, Func<long, int, int>? balance)
    {
        _worker = worker;
        _tree = tree;
        _leaves = leaves;
        _boundary = _computed = _pending = boundary;
        _n = n;
        _lanes = p.ClassCount;
        _nodeDoubles = (Sets * _lanes) + Grams;
        _multinomial = p.Multinomial;
        _p = p;
        _firstClass = firstClass;
        _y = y;
        _blocks = blocks;
        _blockBase = blockBase;
        _memory = memory;
        _seen = seen;
        _previous = previous;
        _exchange = exchange;
        _results = results;
        _balance = balance;
        _nodeDots = new SagLanes[tree.Nodes * Sets];
        _nodeGram = new double[tree.Nodes * Grams];

        // Twelve lanes are read at each set of the last node (padding masked): all within the message.
        if (Header + ((tree.MaxCover - 1) * _nodeDoubles) + ((Sets - 1) * _lanes) + SagLanes.Count > SagLaneExchange.Capacity)
        {
            throw new InvalidOperationException("The split's messages do not fit the exchange.");
        }

        SagLanes used = SagLanes.LessThan(SagLanes.Index, SagLanes.Broadcast(_lanes));
        _used = used;
        _chain = new SagLaneChain(p, used);
        _activeBits = (1 << _lanes) - 1;
        _rng = new XorShift32(p.Seed);
        for (int r = 0; r < Distance + Width; r++)
        {
            _ahead[r] = _rng.NextIndex(n);
        }

        // Allocated last: the other worker's objects that come next on the heap share no cache line with this one's.
        _guard = new byte[SagLaneSplitLeaf.GuardBytes];
    }

    /// <summary>0 for the first leaves, 1 for the last.</summary>
    public int Worker => _worker;

    /// <summary>Whether another epoch runs.</summary>
    public bool Running => _epoch < _p.MaxIterations && _results.Remaining(_worker) > 0;

    /// <summary>Whether the current epoch has quads left.</summary>
    public bool InEpoch => _t < _n;

    /// <summary>Whether the other worker asked this one to stop after the quad just stepped (it takes this half over).</summary>
    public bool HandedOver { get; private set; }

    /// <summary>Rounds exchanged so far (the same for both workers).</summary>
    public long Round => _round;

    /// <summary>The current boundary (the first leaf of worker 1).</summary>
    public int Boundary => _boundary;

    /// <summary>Boundary moves so far (the same for both workers).</summary>
    public int Moves { get; private set; }

    /// <summary>Starts an epoch: the first quad's dot products over this worker's leaves, from the state after the last flush.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BeginEpoch(ReadOnlySpan2D<T> x, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _t = 0;

        // The epoch's exchange has ordered the other's flush before this: a decision of the last quad applies now.
        _boundary = _computed = _pending;
        (int first, int end) = _tree.Owned(_worker, _boundary);
        for (int l = first; l < end; l++)
        {
            SagLaneSplitLeaf leaf = _leaves[l];
            RowQuad<T> quad = SagLaneQuadSolver.Quad(x, _ahead, _at, _n, leaf.Lo, leaf.Count);
            (leaf.UnionCount, _) = SparseRows.CompactQuad(quad, quad, leaf.Union, leaf.OnlyNext);
            leaf.Acc = default;
            SagLaneQuadKernels.Dot(leaf.Union.AsSpan(0, leaf.UnionCount), quad, ref W(leaf.Lo), ref leaf.Acc);
            SagLaneQuadKernels.Gram(quad, leaf.Gram);
        }
    }

    /// <summary>
    /// Sends this worker's sums of the current quad (round <see cref="Round"/> + 1); <paramref name="handOver"/> tells
    /// the other worker to stop after this quad (<see cref="HandedOver"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PublishQuad(bool handOver = false)
    {
        _round++;
        int boundary = _computed;
        (int first, int end) = _tree.Owned(_worker, boundary);
        Span<SagLanes> dots = _nodeDots;
        Span<double> gram = _nodeGram;
        SagLanes used = _used;
        for (int l = first; l < end; l++)
        {
            SagLaneSplitLeaf leaf = _leaves[l];
            int node = _tree.LeafNode(l);
            for (int r = 0; r < Width; r++)
            {
                (SagLanes u, SagLanes a) = leaf.Acc.Reduce(r);
                dots[(node * Sets) + (2 * r)] = u & used;
                dots[(node * Sets) + (2 * r) + 1] = a & used;
            }

            leaf.Gram.CopyTo(gram.Slice(node * Grams, Grams));
        }

        _tree.CombineWithin(_worker, boundary, dots, gram);

        // Only the used lanes travel, written in place: each set of twelve lanes is stored whole at `lanes` past the
        // last, in order, so the next store (or the row products) overwrites its padding (read back masked).
        int lanes = _lanes;
        Span<double> packed = _exchange.Outbox(_worker, _round);
        ref double message = ref MemoryMarshal.GetReference(packed);
        _publishedWait = _exchange.WaitedTicks(_worker);
        _publishedClock = (_round % Window) == 0 ? Stopwatch.GetTimestamp() : 0;
        packed[0] = handOver ? 1.0 : 0.0;
        packed[1] = _publishedWait;
        packed[2] = _publishedClock;
        int offset = Header;
        foreach (int node in _tree.Cover(_worker, boundary))
        {
            for (int s = 0; s < Sets; s++)
            {
                dots[(node * Sets) + s].Store(ref Unsafe.Add(ref message, offset + (s * lanes)));
            }

            gram.Slice(node * Grams, Grams).CopyTo(packed.Slice(offset + (Sets * lanes), Grams));
            offset += _nodeDoubles;
        }

        _exchange.Publish(_worker, _round);
    }

    /// <summary>
    /// The next quad's work that the current quad's steps do not change, done while the other worker's message is on
    /// its way: on the leaves this worker already stepped last round, the next rows' feature union, their row products,
    /// and their dot products over the features that the current quad does not touch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PrepareQuad(ReadOnlySpan2D<T> x)
    {
        int n = _n;
        int t = _t;
        long at = _at;
        (int first, int end) = _tree.Owned(_worker, _boundary);
        int lo = _tree.Column(first);
        int count = _tree.Column(end) - lo;
        for (long k = at + Distance; k < at + Distance + Width; k++)
        {
            int far = _ahead[(int)(k & RingMask)];
            SagLaneSolver.Prefetch(x.GetRowSpan(far).Slice(lo, count), ref _memory[far * MemoryStride]);
        }

        if (t + Width < n)
        {
            (int kept, int keptEnd) = _tree.Owned(_worker, _computed);
            for (int l = Math.Max(first, kept); l < Math.Min(end, keptEnd); l++)
            {
                Prepare(x, _leaves[l]);
            }
        }
    }

    /// <summary>
    /// Receives the other worker's sums of the current quad, runs the quad's steps with the full dot products, applies
    /// them to this worker's leaves and completes the next quad's partial dot products (after <see cref="PrepareQuad"/>).
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
            _pending = leader._pending;
            Moves = leader.Moves;
            HandedOver = false;
        }
        else
        {
            Steps(m);
        }

        (int first, int end) = _tree.Owned(_worker, _boundary);
        (int kept, int keptEnd) = _tree.Owned(_worker, _computed);
        bool more = t + Width < n;
        for (int l = first; l < end; l++)
        {
            SagLaneSplitLeaf leaf = _leaves[l];
            if (more && (l < kept || l >= keptEnd))
            {
                // Taken over this round: the old owner's writes to it came before the message just received.
                Prepare(x, leaf);
            }

            ref double w = ref W(leaf.Lo);
            RowQuad<T> current = SagLaneQuadSolver.Quad(x, _ahead, at, m, leaf.Lo, leaf.Count);
            ReadOnlySpan<int> nz = leaf.Union.AsSpan(0, leaf.UnionCount);
            if (more)
            {
                RowQuad<T> next = SagLaneQuadSolver.Quad(x, _ahead, at + Width, n - t - Width, leaf.Lo, leaf.Count);
                SagLaneQuadKernels.UpdateDot(nz, current, next, ref w, _steps, ref leaf.Acc);
                (leaf.Union, leaf.NextUnion) = (leaf.NextUnion, leaf.Union);
                leaf.UnionCount = leaf.NextUnionCount;
            }
            else
            {
                SagLaneQuadKernels.Update(nz, current, ref w, _steps);
            }
        }

        for (int k = 0; k < m; k++)
        {
            _ahead[(int)((at + Distance + Width + k) & RingMask)] = _rng.NextIndex(n);
        }

        _at = at + m;
        _t = t + Width;
        _computed = _boundary;
        if (more)
        {
            _boundary = _pending;
        }
    }

    // Receives the other worker's message, adds up the tree and runs the quad's scalar steps on the total.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Steps(int m)
    {
        int lanes = _lanes;
        int other = 1 - _worker;
        ReadOnlySpan<double> theirs = _exchange.Inbox(other, _round);
        HandedOver = theirs[0] != 0;

        // Twelve lanes are read at each set (within the buffer, checked in the constructor) and the padding masked.
        Span<SagLanes> dots = _nodeDots;
        Span<double> gram = _nodeGram;
        SagLanes used = _used;
        ref double message = ref MemoryMarshal.GetReference(theirs);
        int offset = Header;
        foreach (int node in _tree.Cover(other, _computed))
        {
            for (int s = 0; s < Sets; s++)
            {
                dots[(node * Sets) + s] = SagLanes.Load(ref Unsafe.Add(ref message, offset + (s * lanes))) & used;
            }

            theirs.Slice(offset + (Sets * lanes), Grams).CopyTo(gram.Slice(node * Grams, Grams));
            offset += _nodeDoubles;
        }

        _tree.CombineStraddling(_computed, dots, gram);
        Decide(theirs);
        SagLaneQuadSolver.Run(ref _chain, ref _steps, dots[..Sets], gram[..Grams], _rows, m, _y, _firstClass, _memory, _seen, _multinomial, _epoch);
    }

    // Both workers decide the next boundary from the same published figures, so they decide alike.
    private void Decide(ReadOnlySpan<double> theirs)
    {
        if (_balance is not null)
        {
            int chosen = _balance(_round, _boundary);
            Moves += chosen != _pending ? 1 : 0;
            _pending = chosen;
            return;
        }

        if ((_round % Window) != 0)
        {
            return;
        }

        long wait0 = _worker == 0 ? _publishedWait : (long)theirs[1];
        long wait1 = _worker == 1 ? _publishedWait : (long)theirs[1];
        long clock = _worker == 0 ? _publishedClock : (long)theirs[2];
        if (_lastClock != 0)
        {
            long elapsed = clock - _lastClock;
            long difference = (wait0 - _lastWait0) - (wait1 - _lastWait1);
            if (difference * ThresholdDivisor > elapsed && _pending < _tree.Leaves - 1)
            {
                // Worker 0 waited more: its core is the faster one, give it a leaf.
                _pending++;
                Moves++;
            }
            else if (-difference * ThresholdDivisor > elapsed && _pending > 1)
            {
                _pending--;
                Moves++;
            }
        }

        _lastWait0 = wait0;
        _lastWait1 = wait1;
        _lastClock = clock;
    }

    /// <summary>Ends the epoch on this worker's features (flush, per-lane max|W| and max|ΔW|) and publishes the maxima.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PublishEpoch()
    {
        (int lo, int count) = Columns();
        ref double w = ref W(lo);
        SagLaneSolver.Flush(ref w, count, _lanes, _chain.StepSum, _chain.Scale, _activeBits, _epoch);
        _chain.StepSum = 0.0;
        _chain.Scale = 1.0;
        _epoch++;

        _round++;
        Span<double> message = _maxima;
        message.Clear();
        for (int j = 0; j < count; j++)
        {
            for (int c = 0; c < _lanes; c++)
            {
                double v = SagLaneKernels.U(ref w, j, c);
                ref double old = ref _previous[((lo + j) * _lanes) + c];
                message[c] = Math.Max(message[c], Math.Abs(v));
                message[SagLanes.Count + c] = Math.Max(message[SagLanes.Count + c], Math.Abs(v - old));
                old = v;
            }
        }

        _exchange.Send(_worker, _round, message);
    }

    /// <summary>
    /// sklearn's stopping test on both workers' maxima (a maximum is exact, so both workers decide alike); a problem
    /// that stops stores this worker's features of its weights (worker 0 also its intercept and counters).
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

    // The next quad's union, its dot products over the columns the current quad does not visit, and its row products,
    // on one leaf.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Prepare(ReadOnlySpan2D<T> x, SagLaneSplitLeaf leaf)
    {
        int n = _n;
        int t = _t;
        long at = _at;
        RowQuad<T> current = SagLaneQuadSolver.Quad(x, _ahead, at, n - t, leaf.Lo, leaf.Count);
        RowQuad<T> next = SagLaneQuadSolver.Quad(x, _ahead, at + Width, n - t - Width, leaf.Lo, leaf.Count);
        (leaf.NextUnionCount, int onlyCount) = SparseRows.CompactQuad(current, next, leaf.NextUnion, leaf.OnlyNext);
        leaf.Acc = default;
        SagLaneQuadKernels.Dot(leaf.OnlyNext.AsSpan(0, onlyCount), next, ref W(leaf.Lo), ref leaf.Acc);
        SagLaneQuadKernels.Gram(next, leaf.Gram);
    }

    private void StoreWeights(double[] weights, int first, int count)
    {
        (int lo, int columns) = Columns();
        ref double w = ref W(lo);
        for (int j = 0; j < columns; j++)
        {
            for (int c = 0; c < count; c++)
            {
                weights[((lo + j) * count) + c] = SagLaneKernels.U(ref w, j, first + c);
            }
        }
    }

    // This worker's features at the current boundary: [Lo, Lo + Count).
    private (int Lo, int Count) Columns()
    {
        (int first, int end) = _tree.Owned(_worker, _boundary);
        int lo = _tree.Column(first);
        return (lo, _tree.Column(end) - lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref double W(int column) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_blocks), _blockBase + (column * SagLaneKernels.Block));
}
