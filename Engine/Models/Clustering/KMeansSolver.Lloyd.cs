using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CommunityToolkit.HighPerformance;
using FashionCore.Numerics;

namespace FashionCore.Models.Clustering;

/// <content>Lloyd's algorithm as scikit-learn 1.2.1 <c>_kmeans_single_lloyd</c> runs it, with exact-skip bounds.</content>
internal sealed partial class KMeansSolver<T>
{
    // Relative slack on every bound (covers rounding in the bound arithmetic itself).
    private const double BoundSlack = 1e-12;

    // Rows ahead whose screen data the bounded E-step prefetches (one row's screen takes about a memory latency).
    private const int PrefetchAhead = 2;

    // Up to this many centres the bounded E-step keeps each opened row's list of open centres (k ints per row of a chunk
    // on the stack).
    private const int MaxKeptCentres = 16;

    // Up to this many centres the bound tests run as two 4-lane vectors per row (lanes ≥ k padded to never count).
    private const int LaneCentres = 8;

    // Ints in a cache line, and the places of the apply state in LloydState's padded array.
    private const int PadInts = 16;
    private const int AppliedAt = PadInts;
    private const int LockAt = PadInts + 1;

    private static readonly double s_horizonFactor = Math.Sqrt(1 - (2 * BoundSlack));

    /// <summary>
    /// Runs Lloyd from the centred <paramref name="centres"/> (k×d, overwritten with the final centred centres) and
    /// writes the labels. Returns the inertia and the number of iterations (sklearn <c>n_iter_</c>); with
    /// <paramref name="exactInertia"/> false, possibly an estimate of the inertia instead, within the returned error of
    /// the exact value (<see cref="Inertia(ReadOnlySpan{double}, ReadOnlySpan{int})"/> computes that on demand), else
    /// the exact value with error 0.
    /// </summary>
    /// <remarks>
    /// Each iteration: E-step (label = argmin_j ‖c_j‖² − 2x·c_j, strict &lt;), M-step (cluster means; empty clusters
    /// take the rows farthest from their old centre), shift = Σ_j ‖c_j^new − c_j^old‖². Stops on identical labels
    /// ("strict convergence") or shift ≤ <paramref name="toleranceAbsolute"/>; otherwise ends with one more E-step.
    /// <para>
    /// With <see cref="UseBounds"/> the E-step skips a centre only when Elkan-style triangle-inequality bounds prove
    /// it cannot win even under the worst-case rounding of the full computation (gap &gt; 2E with
    /// E = (d + 16)·2⁻⁵²·(‖x‖ + max‖c‖)²), so labels and iteration counts equal the plain computation's; cluster sums
    /// are then updated by the moved rows only, which differs from re-summing by rounding (≈1e-15 relative).
    /// Rows the bounds do not skip are labelled by a float screen with rigorous error bounds (see <c>Screen</c>), falling
    /// back to the double computation only when the screen cannot separate the two nearest centres.
    /// </para>
    /// </remarks>
    public (double Inertia, int Iterations, double InertiaError) Lloyd(Span<double> centres, int k, int maxIterations, double toleranceAbsolute, int[] labels, CancellationToken cancellationToken, bool parallel = true, bool exactInertia = true)
    {
        LloydState s = new(this, k, labels, parallel);
        try
        {
            centres.CopyTo(s.Current);
            s.RefreshCentreFacts(null);
            bool strict = false;
            int iteration = 0;
            for (; iteration < maxIterations; iteration++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool full = iteration == 0 || !UseBounds;
                int moves = s.EStep(full, updateSums: true);
                s.MStep();
                if (moves == 0)
                {
                    strict = true;
                    break;
                }

                if (s.TotalShift <= toleranceAbsolute)
                {
                    break;
                }
            }

            if (!strict)
            {
                // The estimate needs the sums of the final labels: the last E-step moves its rows in them too.
                s.EStep(full: !UseBounds, updateSums: !exactInertia);
            }

            s.Current.AsSpan().CopyTo(centres);
            int iterations = Math.Min(iteration + 1, maxIterations);
            if (!exactInertia)
            {
                (double estimate, double error) = s.EstimateInertia();
                if (error < double.PositiveInfinity)
                {
                    return (estimate, iterations, error);
                }
            }

            return (s.Inertia(), iterations, 0);
        }
        finally
        {
            s.Team.Dispose();
            s.Buffers.ReturnAll();
        }
    }

    /// <summary>
    /// sklearn 1.2.1 inertia of <paramref name="labels"/> with the centred <paramref name="centres"/> (k×d): the value
    /// <see cref="Lloyd"/> returns with its exact inertia (the same chunks, reduced in order), on this thread.
    /// </summary>
    public double Inertia(ReadOnlySpan<double> centres, ReadOnlySpan<int> labels)
    {
        double inertia = 0;
        for (int c = 0; c < _chunks; c++)
        {
            inertia += InertiaChunk(c, centres, labels);
        }

        return inertia;
    }

    // One chunk's Σ ‖x_i − c_label(i)‖² in row order, each computed directly (fused with the centring). One row at a time:
    // the two-row kernel (SquaredDistanceCentredPair, the same bits) measured slower in this memory-bound sweep on Zen 4
    // (6.4-6.8 ms vs 4.6 ms on two threads without prefetches; 3.2-3.4 ms one row at a time with StreamRow).
    private double InertiaChunk(int c, ReadOnlySpan<double> centres, ReadOnlySpan<int> labels)
    {
        int d = _d;
        ReadOnlySpan2D<T> xs = _x.Span;
        double sum = 0;
        for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(_n, i + ChunkedRows.ChunkSize); i < end; i++)
        {
            if (i + 2 < end)
            {
                StreamRow(xs.GetRowSpan(i + 2));
            }

            sum += KMeansKernels.SquaredDistanceCentred(xs.GetRowSpan(i), _mean, centres.Slice(labels[i] * d, d));
        }

        return sum;
    }

    /// <summary>Per-run buffers and the chunk bodies of one Lloyd run.</summary>
    private sealed class LloydState
    {
        private readonly KMeansSolver<T> _p;
        private readonly int _k;
        private readonly int[] _labels;
        private readonly double[] _upper;
        private readonly double[] _lower;
        private readonly double[] _sums;
        private readonly double[] _counts;
        private readonly double[] _partial;
        private readonly double[] _partialCounts;
        private readonly int[] _moves;
        private readonly int[] _movedFrom; // per chunk (at chunk * ChunkSize): the old labels of the rows that moved
        private readonly int[] _movedRows; // … and those rows
        private readonly double[] _weights;
        private readonly double[] _shift;
        private readonly Action<int> _eStepChunk;
        private readonly double[] _norms;
        private readonly double[] _separation;
        private readonly double[] _drift; // cumulative inflated shift of each centre since the run started
        private double _driftSlack;
        private readonly double[] _lowerMin; // Hamerly: min over j ≠ label of the lower bounds, + _maxDrift when set
        private readonly double[] _horizon; // per row: while _threshold[label] is below this, Hamerly's test skips the row
        private readonly double[] _threshold; // per centre j: c·_maxDrift + _drift[j] (c = s_horizonFactor), pinned for gathers
        private readonly double[] _minSeparation; // per centre, the smallest (deflated) distance to another centre
        private readonly bool _lanes; // k ≤ LaneCentres with 256-bit vectors: the bound tests run on centre lanes
        private readonly double[] _laneDrift; // _drift in LaneCentres lanes, −∞ past k (so those lanes' lower bounds are +∞)
        private readonly double[] _laneSeparation; // _separation with rows of LaneCentres lanes (0 past k)
        private double _maxDrift; // Σ over iterations of the largest inflated shift
        private readonly double _errorScale;
        private readonly DotScreen _dots;
        private readonly double[] _centreNorm;
        private readonly bool _screen;
        private double[] _next;
        private double _maxNorm;
        private bool _full;
        private bool _updateSums;
        private readonly int[] _chunkPass; // per chunk: the last E-step (_pass) whose bounded labelling of it is done
        private int _pass; // E-steps started
        private bool _sumsSet; // _sums hold the sums of the labelled rows (a full E-step updated them)
        private long _sumMoves; // moves applied to _sums since they were last summed afresh

        // [AppliedAt]: the chunks of this E-step whose moves are in the sums (a prefix); [LockAt]: 1 while a thread applies.
        // Written by both threads during a pass: kept in a cache line of their own.
        private readonly int[] _apply = new int[3 * PadInts];

        public LloydState(KMeansSolver<T> p, int k, int[] labels, bool parallel)
        {
            Team = new ChunkTeam(parallel);
            _p = p;
            _k = k;
            _labels = labels;
            Array.Fill(labels, -1);
            int n = p._n, d = p._d;
            _upper = Buffers.Rent<double>(n);
            // Padded by LaneCentres so that the lane tests can read LaneCentres lanes from any row's bounds.
            _lower = Buffers.Rent<double>((n * k) + LaneCentres);
            Current = new double[k * d];
            _next = new double[k * d];
            _sums = new double[k * d];
            _counts = new double[k];
            _partial = Buffers.Rent<double>(p._chunks * k * d);
            _partialCounts = new double[p._chunks * k];
            _moves = new int[p._chunks];
            _movedFrom = Buffers.Rent<int>(n);
            _movedRows = Buffers.Rent<int>(n);
            _chunkPass = new int[p._chunks];
            _weights = new double[k];
            _shift = new double[k];
            _eStepChunk = EStepChunk;
            _norms = new double[k];
            _separation = new double[k * k];
            _drift = new double[k];
            _lowerMin = Buffers.Rent<double>(n);
            _horizon = Buffers.Rent<double>(n);
            _threshold = GC.AllocateArray<double>(Math.Max(k, 16), pinned: true); // ≥ 16 for the scan's permute (lanes ≥ k unused)
            _minSeparation = new double[k];
            _lanes = k <= LaneCentres && Vector256.IsHardwareAccelerated;
            _laneDrift = new double[LaneCentres];
            _laneSeparation = new double[k * LaneCentres];
            _errorScale = (d + 16) * Math.ScaleB(1.0, -52);
            // The byte screen's 16-bit integer dots (WordDots, where AVX-512BW runs them) take about half the work of
            // widening the bytes to float; their extra rounding is in the screen's proved bound, so the labels are the same.
            _dots = new DotScreen(p, k, words: true);
            _centreNorm = new double[k];
            _screen = p.UseBounds;
        }

        public double[] Current { get; private set; }

        /// <summary>
        /// The run's chunked passes: on this thread and one helper kept for the run, or only on this thread when the run is one
        /// of several running in parallel.
        /// </summary>
        public ChunkTeam Team { get; }

        /// <summary>The run's large buffers (returned by <see cref="Lloyd"/> when the run ends).</summary>
        public PooledArrays Buffers { get; } = new();

        public double TotalShift { get; private set; }

        /// <summary>Labels every row with the current centres; returns how many labels changed.</summary>
        public int EStep(bool full, bool updateSums)
        {
            _full = full;
            _updateSums = updateSums;
            _apply[AppliedAt] = 0;
            _pass++;
            Team.Run(_p._chunks, _eStepChunk);
            int moves = 0;
            foreach (int m in _moves)
            {
                moves += m;
            }

            if (!updateSums)
            {
                return moves;
            }

            int d = _p._d, kd = _k * d;
            if (full)
            {
                Array.Clear(_sums);
                Array.Clear(_counts);
                for (int c = 0; c < _p._chunks; c++)
                {
                    TensorPrimitives.Add(_sums, _partial.AsSpan(c * kd, kd), _sums);
                    TensorPrimitives.Add(_counts, _partialCounts.AsSpan(c * _k, _k), _counts);
                }

                _sumsSet = true;
                _sumMoves = 0;
                return moves;
            }

            // The chunks the pass left (see ApplyReady).
            for (int c = _apply[AppliedAt]; c < _p._chunks; c++)
            {
                ApplyMoves(c);
            }

            _apply[AppliedAt] = _p._chunks;
            _sumMoves += moves;
            return moves;
        }

        // Few rows move once the first iterations are over: the sums are updated by them directly (not by reducing k·d
        // partials per chunk), in row order: chunk by chunk in chunk order, each chunk's moved rows in row order, the same
        // for any thread count. A chunk's moves are applied as soon as it and every chunk before it are done, by the
        // thread that finished one of them, while the other thread goes on labelling (the moved rows are then mostly
        // still in its cache); the pass's end applies what is left. One thread at a time applies (the lock); a chunk whose
        // completion races with a release is left to the next completion or the end, which changes only who applies it.
        private void ApplyReady()
        {
            int chunks = _p._chunks, pass = _pass;
            while (Interlocked.CompareExchange(ref _apply[LockAt], 1, 0) == 0)
            {
                int a = _apply[AppliedAt];
                while (a < chunks && Volatile.Read(ref _chunkPass[a]) == pass)
                {
                    ApplyMoves(a++);
                }

                _apply[AppliedAt] = a;
                Interlocked.Exchange(ref _apply[LockAt], 0);
                if (a >= chunks || Volatile.Read(ref _chunkPass[a]) != pass)
                {
                    return;
                }
            }
        }

        // Moves chunk c's moved rows between the cluster sums, in row order (later rows prefetched: they are scattered; into
        // L2, as the relabelling already fetched most of them there: into L1 measured slower on Zen 4).
        private void ApplyMoves(int c)
        {
            int d = _p._d;
            ReadOnlySpan2D<T> xs = _p._x.Span;
            for (int m = c * ChunkedRows.ChunkSize, end = m + _moves[c]; m < end; m++)
            {
                if (m + PrefetchAhead < end)
                {
                    StreamRow(xs.GetRowSpan(_movedRows[m + PrefetchAhead]));
                }

                int i = _movedRows[m], from = _movedFrom[m], to = _labels[i];
                KMeansKernels.MoveCentred(xs.GetRowSpan(i), _p._mean, _sums.AsSpan(from * d, d), _sums.AsSpan(to * d, d));
                _counts[from] -= 1;
                _counts[to] += 1;
            }
        }

        /// <summary>New centres from the cluster sums (with sklearn 1.2.1's empty-cluster relocation), and the shift.</summary>
        public void MStep()
        {
            int d = _p._d;
            _sums.AsSpan().CopyTo(_next);
            double[] weights = _weights;
            _counts.AsSpan().CopyTo(weights);
            int empty = 0;
            foreach (double w in weights)
            {
                empty += w == 0 ? 1 : 0;
            }

            if (empty > 0)
            {
                Relocate(weights, empty);
            }

            for (int j = 0; j < _k; j++)
            {
                if (weights[j] > 0)
                {
                    TensorPrimitives.Multiply(_next.AsSpan(j * d, d), 1.0 / weights[j], _next.AsSpan(j * d, d));
                }
            }

            double[] shift = _shift;
            double total = 0;
            for (int j = 0; j < _k; j++)
            {
                shift[j] = Math.Sqrt(KMeansKernels.SquaredDistance(_next.AsSpan(j * d, d), Current.AsSpan(j * d, d)));
                total += shift[j] * shift[j];
            }

            TotalShift = total;
            (Current, _next) = (_next, Current);
            RefreshCentreFacts(shift);
        }

        /// <summary>Centre norms, centre-to-centre distances and per-centre bound drifts for the next E-step.</summary>
        public void RefreshCentreFacts(double[]? shift)
        {
            int d = _p._d;
            _maxNorm = 0;
            for (int j = 0; j < _k; j++)
            {
                ReadOnlySpan<double> centre = Current.AsSpan(j * d, d);
                _norms[j] = KMeansKernels.Dot(centre, centre);
                _centreNorm[j] = Math.Sqrt(_norms[j]);
                _maxNorm = Math.Max(_maxNorm, _centreNorm[j]);
                _dots.SetCentre(j, centre, _centreNorm[j]);

                for (int l = 0; l < j; l++)
                {
                    double separation = Math.Sqrt(KMeansKernels.SquaredDistance(Current.AsSpan(j * d, d), Current.AsSpan(l * d, d))) * (1 - BoundSlack);
                    _separation[(j * _k) + l] = separation;
                    _separation[(l * _k) + j] = separation;
                }
            }

            for (int j = 0; j < _k; j++)
            {
                double m = double.PositiveInfinity;
                for (int l = 0; l < _k; l++)
                {
                    if (l != j)
                    {
                        m = Math.Min(m, _separation[(j * _k) + l]);
                    }
                }

                _minSeparation[j] = m;
            }

            if (shift is not null)
            {
                double largest = 0;
                for (int j = 0; j < _k; j++)
                {
                    largest = Math.Max(largest, shift[j]);
                }

                _maxDrift += largest * (1 + BoundSlack);
                _driftSlack = Math.Max(_driftSlack, 1e-13 * (1 + _maxDrift));
                for (int j = 0; j < _k; j++)
                {
                    _drift[j] += shift[j] * (1 + BoundSlack);
                    _driftSlack = Math.Max(_driftSlack, 1e-13 * (1 + _drift[j]));
                }
            }

            for (int j = 0; j < _k; j++)
            {
                _threshold[j] = (s_horizonFactor * _maxDrift) + _drift[j];
            }

            if (_lanes)
            {
                for (int l = 0; l < LaneCentres; l++)
                {
                    _laneDrift[l] = l < _k ? _drift[l] : double.NegativeInfinity;
                }

                for (int j = 0; j < _k; j++)
                {
                    _separation.AsSpan(j * _k, _k).CopyTo(_laneSeparation.AsSpan(j * LaneCentres, LaneCentres));
                }
            }
        }

        /// <summary>sklearn 1.2.1 inertia: Σ_i ‖x_i − c_label(i)‖², computed directly (fused with the centring), per chunk, reduced in order.</summary>
        public double Inertia()
        {
            double[] partial = new double[_p._chunks];
            Team.Run(_p._chunks, c => partial[c] = _p.InertiaChunk(c, Current, _labels));
            double inertia = 0;
            foreach (double v in partial)
            {
                inertia += v;
            }

            return inertia;
        }

        /// <summary>
        /// An estimate of <see cref="Inertia()"/> from the cluster sums S_j, counts n_j and the rows' squared norms,
        /// Σ_i ‖x_i‖² + Σ_j (n_j‖c_j‖² − 2·S_j·c_j), without reading the rows, and a rigorous bound on its distance from
        /// the exact value (+∞ when the sums are not those of the labels).
        /// </summary>
        /// <remarks>
        /// With u = 2⁻⁵³ and γ_m = mu/(1 − mu) (Higham, Accuracy and Stability, §3.1): each S_j is a recursive sum whose
        /// every term (a centred row, added when summed afresh, or added and taken away by each move) went through at
        /// most T = 256 + chunks + moves roundings, so Σ_j |S_j − S*_j|·|c_j| ≤ γ_T·(n + 2·moves)·Σ_l max_i|x_il|·max_j|c_jl|
        /// (max_i|x_il| from the column range). The norms, dots and final sums are within γ_(d+n+k+4) of the sum of the
        /// magnitudes of their terms, and the exact computation itself (d-term row sums, then 256 rows a chunk, then the
        /// chunks) within γ_(d+256+chunks+4) of the true inertia. The bound is widened by 1% and 10⁻¹² of the magnitudes.
        /// </remarks>
        public (double Estimate, double Error) EstimateInertia()
        {
            KMeansSolver<T> p = _p;
            int n = p._n, d = p._d, k = _k;
            if (!_sumsSet)
            {
                return (0, double.PositiveInfinity);
            }

            double rows = 0;
            for (int i = 0; i < n; i++)
            {
                rows += p._rowNormSq[i];
            }

            double reach = 0;
            for (int l = 0; l < d; l++)
            {
                double column = Math.Max(Math.Abs(p._quantLow[l]), Math.Abs(p._quantLow[l] + (255 * p._quantStep[l])));
                double centre = 0;
                for (int j = 0; j < k; j++)
                {
                    centre = Math.Max(centre, Math.Abs(Current[(j * d) + l]));
                }

                reach += column * centre;
            }

            double estimate = rows, magnitude = rows;
            for (int j = 0; j < k; j++)
            {
                ReadOnlySpan<double> centre = Current.AsSpan(j * d, d), sum = _sums.AsSpan(j * d, d);
                double centreNorm = KMeansKernels.Dot(centre, centre);
                double absolute = 0;
                for (int l = 0; l < d; l++)
                {
                    absolute += Math.Abs(sum[l] * centre[l]);
                }

                estimate += (_counts[j] * centreNorm) - (2 * KMeansKernels.Dot(sum, centre));
                magnitude += (_counts[j] * centreNorm) + (2 * absolute);
            }

            double sumsError = 2 * Gamma(ChunkedRows.ChunkSize + p._chunks + _sumMoves + 1) * (n + (2.0 * _sumMoves)) * reach * (1 + 1e-9);
            double computeError = Gamma(d + n + k + 4) * magnitude;
            double exactError = Gamma(d + ChunkedRows.ChunkSize + p._chunks + 4) * (Math.Abs(estimate) + sumsError + computeError);
            double error = ((sumsError + computeError + exactError) * 1.01) + (1e-12 * magnitude);
            return double.IsFinite(estimate) && double.IsFinite(error) ? (estimate, error) : (0, double.PositiveInfinity);

            static double Gamma(double m) => m * Math.ScaleB(1.0, -53) / (1 - (m * Math.ScaleB(1.0, -53)));
        }

        // sklearn _relocate_empty_clusters_dense: the n_empty rows farthest from their (old) centre each seed one empty
        // cluster (in ascending cluster order, listed before any is filled); their contribution moves out of their own
        // cluster's sum. Which rows, among equally far ones, and in which order is numpy's argpartition(d, −n_empty)
        // read backwards, so NumpyArgPartition picks them.
        private void Relocate(double[] weights, int empty)
        {
            int n = _p._n, d = _p._d;
            double[] distance = new double[n];
            Team.Run(_p._chunks, c =>
            {
                ReadOnlySpan2D<T> xs = _p._x.Span;
                for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize); i < end; i++)
                {
                    distance[i] = KMeansKernels.SquaredDistanceCentred(xs.GetRowSpan(i), _p._mean, Current.AsSpan(_labels[i] * d, d));
                }
            });
            int[] order = new int[n];
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            NumpyArgPartition.Select(distance, order, n - empty);
            int[] emptyClusters = new int[empty];
            for (int e = 0, found = 0; e < _k; e++)
            {
                if (weights[e] == 0)
                {
                    emptyClusters[found++] = e;
                }
            }

            double[] row = new double[d];
            for (int t = 0; t < empty; t++)
            {
                int e = emptyClusters[t];
                int far = order[n - 1 - t];
                int from = _labels[far];
                _p.LoadRow(far, row);
                TensorPrimitives.Subtract(_next.AsSpan(from * d, d), row, _next.AsSpan(from * d, d));
                row.CopyTo(_next.AsSpan(e * d, d));
                weights[e] = 1;
                weights[from] -= 1;
            }
        }

        // One chunk of an E-step. Bounds (Elkan 2003): upper[i] ≥ ‖x_i − c_label‖ and lower[i,j] ≤ ‖x_i − c_j‖,
        // moved by the centre shifts each iteration. They are stored relative to each centre's cumulative shift
        // (upper − drift[label], lower + drift[j]), so a skipped row is only read, never written. A row is skipped only
        // when every other centre's squared distance provably exceeds the label's by more than 2E, twice the worst
        // rounding error of a computed ‖c‖² − 2x·c, so no computed value could have beaten the label's.
        // A row that is not skipped is labelled against all k centres: first by the float screen, which settles the
        // argmin whenever its error bounds separate the smallest value from all others; otherwise in double with
        // KMeansKernels.Dots, exactly as plain Lloyd computes it.
        // Every stack buffer here is written before it is read: not zeroing them saves clearing ~5 KB a chunk (k = 5).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        [SkipLocalsInit]
        private unsafe void EStepChunk(int c)
        {
            KMeansSolver<T> p = _p;
            int d = p._d, k = _k;
            ReadOnlySpan2D<T> xs = p._x.Span;
            Span<double> scratch = Scratch(d + (3 * k));
            Span<double> row = scratch[..d];
            Span<double> dots = scratch.Slice(d, k);
            Span<double> values = scratch.Slice(d + k, k);
            Span<double> margins = scratch.Slice(d + (2 * k), k);
            Span<float> dotsF = k <= 1024 ? stackalloc float[k] : new float[k];
            int first = c * ChunkedRows.ChunkSize, end = Math.Min(p._n, first + ChunkedRows.ChunkSize);
            int moves = 0;
            if (_full)
            {
                Span<double> partial = _partial.AsSpan(c * k * d, k * d);
                Span<double> partialCounts = _partialCounts.AsSpan(c * k, k);
                if (_updateSums)
                {
                    partial.Clear();
                    partialCounts.Clear();
                }

                for (int i = first; i < end; i++)
                {
                    // The row the sums add two rows on: the hardware prefetcher alone leaves much of this sweep waiting
                    // on memory (a hint only).
                    if (_updateSums && i + 2 < end)
                    {
                        StreamRow(xs.GetRowSpan(i + 2));
                    }

                    int old = _labels[i];
                    int best = Relabel(xs, i, default, _lower.AsSpan(i * k, k), row, dots, dotsF, values, margins, out bool loaded);
                    moves += best == old ? 0 : 1;
                    if (_updateSums)
                    {
                        if (loaded)
                        {
                            TensorPrimitives.Add(partial.Slice(best * d, d), row, partial.Slice(best * d, d));
                        }
                        else
                        {
                            KMeansKernels.AddCentred(xs.GetRowSpan(i), p._mean, partial.Slice(best * d, d));
                        }

                        partialCounts[best] += 1;
                    }
                }

                _moves[c] = moves;
                return;
            }

            // Bounded E-step in two phases: the bound tests pick the rows that may change label (a few percent, scattered
            // over the chunk); those are then relabelled in row order with a later row's screen data prefetched, since
            // fetching a scattered row from memory otherwise takes longer than screening it.
            Span<int> open = stackalloc int[ChunkedRows.ChunkSize];
            Span<int> which = k <= 1024 ? stackalloc int[k] : new int[k];

            // Small k: the tests' lists of centres left open are kept for the relabelling (which would otherwise repeat
            // the tests: the same inputs, so the same lists).
            // With the lane tests, each opened row keeps the bit mask of its open centres instead.
            bool lanes = _lanes;
            bool keep = !lanes && k <= MaxKeptCentres;
            Span<int> kept = keep ? stackalloc int[ChunkedRows.ChunkSize * k] : default;
            Span<int> keptCount = keep || lanes ? stackalloc int[ChunkedRows.ChunkSize] : default;
            int count = 0;
            ref double horizon = ref MemoryMarshal.GetArrayDataReference(_horizon);
            ref int labels = ref MemoryMarshal.GetArrayDataReference(_labels);
            double* threshold = (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_threshold)); // pinned
            // With AVX-512 and k ≤ 16 the thresholds fit in two registers, and a permute by the labels picks eight rows'
            // thresholds at once (a gather of four costs several times as much); otherwise four rows are gathered.
            bool permute = k <= 16 && Avx512F.IsSupported;
            int blockRows = permute ? 8 : 4;
            Vector512<double> lowTable = permute ? Vector512.Load(threshold) : default;
            Vector512<double> highTable = permute ? Vector512.Load(threshold + 8) : default;
            for (int block = first; block < end; block += blockRows)
            {
                // Most rows are still within their horizon (SetHorizon), where Hamerly's test is sure to skip them: four
                // or eight at a time, reading nothing else but their labels. The rest take the tests themselves.
                uint due;
                if (block + blockRows > end)
                {
                    due = (1u << (end - block)) - 1;
                }
                else if (permute)
                {
                    Vector512<long> at = Avx512F.ConvertToVector512Int64(Vector256.LoadUnsafe(ref labels, (nuint)block));
                    Vector512<double> limit = Avx512F.PermuteVar8x64x2(lowTable, at, highTable);
                    due = (uint)(~Vector512.LessThan(limit, Vector512.LoadUnsafe(ref horizon, (nuint)block)).ExtractMostSignificantBits() & 0xFF);
                }
                else if (Avx2.IsSupported)
                {
                    Vector256<double> limit = Avx2.GatherVector256(threshold, Vector128.LoadUnsafe(ref labels, (nuint)block), 8);
                    due = ~Vector256.LessThan(limit, Vector256.LoadUnsafe(ref horizon, (nuint)block)).ExtractMostSignificantBits() & 0xF;
                }
                else
                {
                    due = 0;
                    for (int r = 0; r < 4; r++)
                    {
                        due |= threshold[Unsafe.Add(ref labels, block + r)] < Unsafe.Add(ref horizon, block + r) ? 0u : 1u << r;
                    }
                }

                while (due != 0 && lanes)
                {
                    // Elkan's test per centre on the lanes (Hamerly's single test is left to the horizons, which skip
                    // nearly every row it would).
                    int i = block + BitOperations.TrailingZeroCount(due);
                    due &= due - 1;
                    int old = _labels[i];
                    double reach = p._rowNorm[i] + _maxNorm;
                    double u = _upper[i] + _drift[old] + _driftSlack;
                    double need = (u * u) + (2 * (_errorScale * reach * reach));
                    LowerLanes(i, out Vector256<double> low, out Vector256<double> high);
                    uint openMask = OpenLanes(old, u, need, low, high);
                    if (openMask == 0)
                    {
                        _lowerMin[i] = LowerMinLanes(old, low, high);
                        SetHorizon(i, old);
                        continue;
                    }

                    // The relabelling below prefetches its rows' screen data PrefetchAhead rows ahead (into L2), too late
                    // for the chunk's first rows and, alone, for most rows of the late passes (a few per chunk): the data
                    // of the first are fetched from here into L1 and the rest into L2, while the tests go on.
                    p.PrefetchScreenRow(xs, i, toL2: count >= PrefetchAhead);

                    keptCount[count] = (int)openMask;
                    open[count++] = i;
                }

                while (due != 0)
                {
                    int i = block + BitOperations.TrailingZeroCount(due);
                    due &= due - 1;
                    int old = _labels[i];
                    double reach = p._rowNorm[i] + _maxNorm;
                    double error = _errorScale * reach * reach;
                    Span<double> lower = _lower.AsSpan(i * k, k);

                    // Hamerly's single test first (one lower bound for all other centres), then Elkan's per centre.
                    double u = _upper[i] + _drift[old] + _driftSlack;
                    double need = (u * u) + (2 * error);
                    double quick = Math.Max(_lowerMin[i] - _maxDrift - _driftSlack, _minSeparation[old] - u);
                    if (quick > 0 && need < quick * quick * (1 - BoundSlack))
                    {
                        continue;
                    }

                    int openCentres = OpenCentres(old, u, need, lower, which);
                    if (openCentres == 1)
                    {
                        _lowerMin[i] = LowerMin(old, lower);
                        SetHorizon(i, old);
                        continue;
                    }

                    if (keep)
                    {
                        which[..openCentres].CopyTo(kept.Slice(count * k, k));
                        keptCount[count] = openCentres;
                    }

                    open[count++] = i;
                }
            }

            for (int m = 0; m < count; m++)
            {
                if (m + PrefetchAhead < count)
                {
                    p.PrefetchScreenRow(xs, open[m + PrefetchAhead], toL2: true);
                }

                int i = open[m];
                int old = _labels[i];
                Span<double> lower = _lower.AsSpan(i * k, k);
                int screened;
                scoped ReadOnlySpan<int> centres;
                if (lanes)
                {
                    // The label first, then the open centres in order (as OpenCentres lists them).
                    which[0] = old;
                    screened = 1;
                    for (uint mask = (uint)keptCount[m]; mask != 0; mask &= mask - 1)
                    {
                        which[screened++] = BitOperations.TrailingZeroCount(mask);
                    }

                    centres = which[..screened];
                }
                else if (keep)
                {
                    screened = keptCount[m];
                    centres = kept.Slice(m * k, screened);
                }
                else
                {
                    double reach = p._rowNorm[i] + _maxNorm;
                    double error = _errorScale * reach * reach;
                    double u = _upper[i] + _drift[old] + _driftSlack;
                    screened = OpenCentres(old, u, (u * u) + (2 * error), lower, which);
                    centres = which[..screened];
                }

                // Few centres open: screen only those (and the label); most or all: the full screen (its kernels batch k).
                ReadOnlySpan<int> subset = 2 * screened <= k ? centres : default;
                int best = Relabel(xs, i, subset, lower, row, dots, dotsF, values, margins, out _);
                if (best != old)
                {
                    // The serial sum update after this pass reads the moved rows: fetching them here, while both threads
                    // run, makes them cache hits there. Into L2 only: a row is ~50 lines, and fetching them into L1 held
                    // the relabelling up on the prefetches themselves (perf) for lines needed only later.
                    if (_updateSums)
                    {
                        StreamRow(xs.GetRowSpan(i));
                    }

                    _movedRows[first + moves] = i;
                    _movedFrom[first + moves] = old;
                    moves++;
                }
            }

            _moves[c] = moves;
            if (_updateSums)
            {
                Volatile.Write(ref _chunkPass[c], _pass);
                ApplyReady();
            }
        }

        // Labels row i (screens of the centres in which, all when empty; else double against all k), sets its bounds and
        // label, and returns the label; loaded tells whether row now holds the centred row (the double path ran).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Relabel(ReadOnlySpan2D<T> xs, int i, ReadOnlySpan<int> which, Span<double> lower, Span<double> row, Span<double> dots, Span<float> dotsF, Span<double> values, Span<double> margins, out bool loaded)
        {
            KMeansSolver<T> p = _p;
            int k = _k;
            double rowNorm = p._rowNormSq[i];
            double reach = p._rowNorm[i] + _maxNorm;
            double error = _errorScale * reach * reach;
            int best = _screen ? Screen(xs, i, which, rowNorm, error, lower, dotsF, values, margins) : -1;
            loaded = false;
            if (best < 0)
            {
                KMeansKernels.LoadCentred(xs.GetRowSpan(i), p._mean, row);
                loaded = true;
                KMeansKernels.Dots(row, Current, dots);
                best = 0;
                for (int j = 0; j < k; j++)
                {
                    values[j] = _norms[j] + (-2.0 * dots[j]);
                    lower[j] = (Math.Sqrt(Math.Max(0, values[j] + rowNorm - error)) * (1 - BoundSlack)) + _drift[j];
                    if (values[j] < values[best])
                    {
                        best = j;
                    }
                }

                _upper[i] = (Math.Sqrt(Math.Max(0, values[best] + rowNorm + error)) * (1 + BoundSlack)) - _drift[best];
            }

            _labels[i] = best;
            if (_lanes)
            {
                LowerLanes(i, out Vector256<double> low, out Vector256<double> high);
                _lowerMin[i] = LowerMinLanes(best, low, high);
            }
            else
            {
                _lowerMin[i] = LowerMin(best, lower);
            }
            SetHorizon(i, best);
            return best;
        }

        // The value of _threshold[label] = c·_maxDrift + _drift[label] below which Hamerly's test is sure to skip row i
        // (labelled label) with its current bounds. Now the row's upper bound is U = upper + drift[label] + ds and its lower
        // bound L = lowerMin − maxDrift − ds. When _maxDrift has grown by Δ since and drift[label] by δ ≤ Δ, every centre
        // norm (so E's reach) has grown by at most Δ, and the slack ds is at most s = 1e-13·(1 + maxDrift + L)·1.01 while
        // Δ < L, so the test's quick ≥ L − Δ − s and u ≤ U + δ + s. With c = √(1 − 2·BoundSlack) and r = √(2·E_max),
        // (L − Δ − s)·c > U + δ + s + r (which implies Δ < L) gives quick²(1 − BoundSlack) > u² + 2E with room for the
        // test's own rounding, i.e. the test skips whenever c·Δ + δ < g = Lc − U − r − s(1 + c), i.e. while the label's
        // threshold is below its value now + g. The horizon is shrunk a little for the rounding here and in the threshold.
        // (Bounding δ by Δ instead would leave rows of slowly moving centres due at every iteration.)
        private void SetHorizon(int i, int label)
        {
            double ds = _driftSlack;
            double upper = _upper[i] + _drift[label] + ds;
            double lower = _lowerMin[i] - _maxDrift - ds;
            double g = double.NegativeInfinity;
            if (lower > upper)
            {
                double reach = _p._rowNorm[i] + _maxNorm + lower;
                double r = Math.Sqrt(2 * _errorScale * reach * reach) * (1 + 1e-9);
                g = ((lower * s_horizonFactor) - upper - r) - (1.01e-13 * (1 + _maxDrift + lower) * (1 + s_horizonFactor));
            }

            double now = _threshold[label];
            _horizon[i] = g > 0 ? now + (g * (1 - 1e-9)) - (1e-12 * (1 + _maxDrift + _drift[label])) : double.NegativeInfinity;
        }

        // Lanes j < k: row i's current lower bounds lower[i,j] − drift[j] − slack (as LowerMin and OpenCentres compute
        // them); lanes ≥ k: +∞ (their drift is −∞; the _lower rows are padded so eight lanes can be read from any row).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void LowerLanes(int i, out Vector256<double> low, out Vector256<double> high)
        {
            ref double lr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_lower), i * _k);
            ref double dr = ref MemoryMarshal.GetArrayDataReference(_laneDrift);
            Vector256<double> slack = Vector256.Create(_driftSlack);
            low = (Vector256.LoadUnsafe(ref lr) - Vector256.LoadUnsafe(ref dr)) - slack;
            high = (Vector256.LoadUnsafe(ref lr, 4) - Vector256.LoadUnsafe(ref dr, 4)) - slack;
        }

        // OpenCentres on the lanes: the bit mask of the centres other than the label that the bounds cannot exclude (the
        // same test per centre, so the same centres).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private uint OpenLanes(int old, double u, double need, Vector256<double> low, Vector256<double> high)
        {
            ref double sr = ref _laneSeparation[old * LaneCentres];
            Vector256<double> uv = Vector256.Create(u), needv = Vector256.Create(need), shrink = Vector256.Create(1 - BoundSlack);
            Vector256<double> boundLow = Vector256.Max(low, Vector256.LoadUnsafe(ref sr) - uv);
            Vector256<double> boundHigh = Vector256.Max(high, Vector256.LoadUnsafe(ref sr, 4) - uv);
            Vector256<double> excludedLow = Vector256.GreaterThan(boundLow, Vector256<double>.Zero) & Vector256.LessThan(needv, boundLow * boundLow * shrink);
            Vector256<double> excludedHigh = Vector256.GreaterThan(boundHigh, Vector256<double>.Zero) & Vector256.LessThan(needv, boundHigh * boundHigh * shrink);
            uint excluded = excludedLow.ExtractMostSignificantBits() | (excludedHigh.ExtractMostSignificantBits() << 4);
            return ~excluded & ((1u << _k) - 1) & ~(1u << old);
        }

        // LowerMin on the lanes (a minimum, so the same value in any order).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private double LowerMinLanes(int label, Vector256<double> low, Vector256<double> high)
        {
            Vector256<double> at = Vector256.Create((double)label), infinity = Vector256.Create(double.PositiveInfinity);
            low = Vector256.ConditionalSelect(Vector256.Equals(Vector256.Create(0.0, 1, 2, 3), at), infinity, low);
            high = Vector256.ConditionalSelect(Vector256.Equals(Vector256.Create(4.0, 5, 6, 7), at), infinity, high);
            Vector256<double> both = Vector256.Min(low, high);
            Vector128<double> half = Vector128.Min(both.GetLower(), both.GetUpper());
            return Math.Min(half.GetElement(0), half.GetElement(1)) + _maxDrift;
        }

        // Hamerly's bound from Elkan's: min over j ≠ label of the current lower bounds, stored + _maxDrift.
        private double LowerMin(int label, ReadOnlySpan<double> lower)
        {
            double m = double.PositiveInfinity;
            for (int j = 0; j < lower.Length; j++)
            {
                if (j != label)
                {
                    m = Math.Min(m, lower[j] - _drift[j] - _driftSlack);
                }
            }

            return m + _maxDrift;
        }

        // Writes the label and then every centre the bounds cannot exclude to which (u ≥ distance to the label,
        // need = u² + 2E; j is excluded when its bound proves v_j > v_label) and returns how many were written: 1 means
        // no centre other than the label can win.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int OpenCentres(int old, double u, double need, ReadOnlySpan<double> lower, Span<int> which)
        {
            int k = _k, count = 1, j = 0;
            which[0] = old;
            if (Vector256.IsHardwareAccelerated)
            {
                // The scalar test below, four centres at a time (the same operations per lane).
                ref double lr = ref MemoryMarshal.GetReference(lower);
                ref double dr = ref MemoryMarshal.GetArrayDataReference(_drift);
                ref double sr = ref MemoryMarshal.GetArrayDataReference(_separation);
                Vector256<double> slack = Vector256.Create(_driftSlack), uv = Vector256.Create(u), needv = Vector256.Create(need);
                Vector256<double> shrink = Vector256.Create(1 - BoundSlack);
                for (; j <= k - 4; j += 4)
                {
                    Vector256<double> l = (Vector256.LoadUnsafe(ref lr, (nuint)j) - Vector256.LoadUnsafe(ref dr, (nuint)j)) - slack;
                    Vector256<double> bound = Vector256.Max(l, Vector256.LoadUnsafe(ref sr, (nuint)((old * k) + j)) - uv);
                    Vector256<double> excluded = Vector256.GreaterThan(bound, Vector256<double>.Zero) & Vector256.LessThan(needv, bound * bound * shrink);
                    uint open = ~excluded.ExtractMostSignificantBits() & 0xF;
                    while (open != 0)
                    {
                        int o = j + BitOperations.TrailingZeroCount(open);
                        open &= open - 1;
                        if (o != old)
                        {
                            which[count++] = o;
                        }
                    }
                }
            }

            for (; j < k; j++)
            {
                if (j == old)
                {
                    continue;
                }

                double l = lower[j] - _drift[j] - _driftSlack;
                double bound = Math.Max(l, _separation[(old * k) + j] - u);
                if (!(bound > 0 && need < bound * bound * (1 - BoundSlack)))
                {
                    which[count++] = j;
                }
            }

            return count;
        }

        // The screens: v'_j = ‖c_j‖² − 2·est_j with |est_j − x·c_j| ≤ err_j (DotScreen) is within M_j = 2err_j + 2E of the
        // double value v_j plain Lloyd computes (E covers the double path's own rounding and the final additions). If
        // v'_j − M_j > v'_best + M_best for every other screened j, then v_j > v_best for each of them, so best is plain
        // Lloyd's label among them: the bounds of the screened centres are then set from the screened values widened by M
        // and best is returned. The centres screened are all (which empty) or the label and those the bounds could not
        // exclude (which[0] = label): every excluded j has v_j > v_label ≥ v_best, so best is the label among all k.
        // The 8-bit screen goes first when available; the float screen takes what it leaves; −1 (also on NaN/overflow,
        // where every comparison fails) sends the row to the double computation.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Screen(ReadOnlySpan2D<T> xs, int i, ReadOnlySpan<int> which, double rowNorm, double error, Span<double> lower, Span<float> dotsF, Span<double> values, Span<double> margins)
        {
            int count = which.IsEmpty ? _k : which.Length;
            values = values[..count];
            margins = margins[..count];
            for (int level = _p.HasByteScreen ? 0 : 1; level < 2; level++)
            {
                _dots.Estimate(level == 0, xs, i, which, dotsF, values, margins);
                int best = 0;
                for (int m = 0; m < count; m++)
                {
                    int j = which.IsEmpty ? m : which[m];
                    values[m] = _norms[j] + (-2.0 * values[m]);
                    margins[m] = (2 * margins[m]) + (2 * error);
                    if (values[m] < values[best])
                    {
                        best = m;
                    }
                }

                double ceiling = values[best] + margins[best];
                bool decided = true;
                for (int m = 0; m < count && decided; m++)
                {
                    decided = m == best || values[m] - margins[m] > ceiling;
                }

                if (!decided)
                {
                    continue;
                }

                for (int m = 0; m < count; m++)
                {
                    int j = which.IsEmpty ? m : which[m];
                    lower[j] = (Math.Sqrt(Math.Max(0, values[m] - margins[m] + rowNorm - error)) * (1 - BoundSlack)) + _drift[j];
                }

                int label = which.IsEmpty ? best : which[best];
                _upper[i] = (Math.Sqrt(Math.Max(0, ceiling + rowNorm + error)) * (1 + BoundSlack)) - _drift[label];
                return label;
            }

            return -1;
        }
    }
}
