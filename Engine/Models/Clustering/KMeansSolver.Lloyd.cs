using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Clustering;

/// <content>Lloyd's algorithm as scikit-learn 1.2.1 <c>_kmeans_single_lloyd</c> runs it, with exact-skip bounds.</content>
internal sealed partial class KMeansSolver<T>
{
    // Relative slack on every bound (covers rounding in the bound arithmetic itself).
    private const double BoundSlack = 1e-12;

    /// <summary>
    /// Runs Lloyd from the centred <paramref name="centres"/> (k×d, overwritten with the final centred centres) and
    /// writes the labels. Returns the inertia and the number of iterations (sklearn <c>n_iter_</c>).
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
    public (double Inertia, int Iterations) Lloyd(Span<double> centres, int k, int maxIterations, double toleranceAbsolute, int[] labels, CancellationToken cancellationToken, bool parallel = true)
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
                s.EStep(full: !UseBounds, updateSums: false);
            }

            s.Current.AsSpan().CopyTo(centres);
            return (s.Inertia(), Math.Min(iteration + 1, maxIterations));
        }
        finally
        {
            s.Buffers.ReturnAll();
        }
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
        private readonly double[] _row;
        private readonly Action<int> _eStepChunk;
        private readonly double[] _norms;
        private readonly double[] _separation;
        private readonly double[] _drift; // cumulative inflated shift of each centre since the run started
        private double _driftSlack;
        private readonly double[] _lowerMin; // Hamerly: min over j ≠ label of the lower bounds, + _maxDrift when set
        private readonly double[] _minSeparation; // per centre, the smallest (deflated) distance to another centre
        private double _maxDrift; // Σ over iterations of the largest inflated shift
        private readonly double _errorScale;
        private readonly DotScreen _dots;
        private readonly double[] _centreNorm;
        private readonly bool _screen;
        private double[] _next;
        private double _maxNorm;
        private bool _full;
        private bool _updateSums;
        private readonly bool _parallel; // false: this run is one of several running in parallel, so its chunks run in order

        public LloydState(KMeansSolver<T> p, int k, int[] labels, bool parallel)
        {
            _parallel = parallel;
            _p = p;
            _k = k;
            _labels = labels;
            Array.Fill(labels, -1);
            int n = p._n, d = p._d;
            _upper = Buffers.Rent<double>(n);
            _lower = Buffers.Rent<double>(n * k);
            Current = new double[k * d];
            _next = new double[k * d];
            _sums = new double[k * d];
            _counts = new double[k];
            _partial = Buffers.Rent<double>(p._chunks * k * d);
            _partialCounts = new double[p._chunks * k];
            _moves = new int[p._chunks];
            _movedFrom = Buffers.Rent<int>(n);
            _movedRows = Buffers.Rent<int>(n);
            _weights = new double[k];
            _shift = new double[k];
            _row = new double[d];
            _eStepChunk = EStepChunk;
            _norms = new double[k];
            _separation = new double[k * k];
            _drift = new double[k];
            _lowerMin = Buffers.Rent<double>(n);
            _minSeparation = new double[k];
            _errorScale = (d + 16) * Math.ScaleB(1.0, -52);
            _dots = new DotScreen(p, k);
            _centreNorm = new double[k];
            _screen = p.UseBounds;
        }

        public double[] Current { get; private set; }

        /// <summary>The run's large buffers (returned by <see cref="Lloyd"/> when the run ends).</summary>
        public PooledArrays Buffers { get; } = new();

        public double TotalShift { get; private set; }

        /// <summary>Labels every row with the current centres; returns how many labels changed.</summary>
        public int EStep(bool full, bool updateSums)
        {
            _full = full;
            _updateSums = updateSums;
            ChunkedRows.Run(_p._chunks, _eStepChunk, _parallel);
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

                return moves;
            }

            // Few rows move once the first iterations are over: update the sums by them directly, in row order (the
            // same for any thread count), instead of reducing k·d partials per chunk.
            for (int c = 0; c < _p._chunks; c++)
            {
                for (int m = c * ChunkedRows.ChunkSize, end = m + _moves[c]; m < end; m++)
                {
                    int i = _movedRows[m], from = _movedFrom[m], to = _labels[i];
                    _p.LoadRow(i, _row);
                    TensorPrimitives.Subtract(_sums.AsSpan(from * d, d), _row, _sums.AsSpan(from * d, d));
                    TensorPrimitives.Add(_sums.AsSpan(to * d, d), _row, _sums.AsSpan(to * d, d));
                    _counts[from] -= 1;
                    _counts[to] += 1;
                }
            }

            return moves;
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
        }

        /// <summary>sklearn 1.2.1 inertia: Σ_i ‖x_i − c_label(i)‖², computed directly (fused with the centring), per chunk, reduced in order.</summary>
        public double Inertia()
        {
            int d = _p._d;
            double[] partial = new double[_p._chunks];
            ChunkedRows.Run(_p._chunks, c =>
            {
                ReadOnlySpan2D<T> xs = _p._x.Span;
                double sum = 0;
                for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(_p._n, i + ChunkedRows.ChunkSize); i < end; i++)
                {
                    sum += KMeansKernels.SquaredDistanceCentred(xs.GetRowSpan(i), _p._mean, Current.AsSpan(_labels[i] * d, d));
                }

                partial[c] = sum;
            }, _parallel);
            double inertia = 0;
            foreach (double v in partial)
            {
                inertia += v;
            }

            return inertia;
        }

        // sklearn _relocate_empty_clusters_dense: the n_empty rows farthest from their (old) centre each seed one empty
        // cluster; their contribution moves out of their own cluster's sum. Ties in distance go to the lower row.
        private void Relocate(double[] weights, int empty)
        {
            int n = _p._n, d = _p._d;
            double[] distance = new double[n];
            ChunkedRows.Run(_p._chunks, c =>
            {
                ReadOnlySpan2D<T> xs = _p._x.Span;
                for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize); i < end; i++)
                {
                    distance[i] = KMeansKernels.SquaredDistanceCentred(xs.GetRowSpan(i), _p._mean, Current.AsSpan(_labels[i] * d, d));
                }
            }, _parallel);
            int[] order = new int[n];
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (a, b) => distance[a] != distance[b] ? distance[b].CompareTo(distance[a]) : a.CompareTo(b));
            double[] row = new double[d];
            int taken = 0;
            for (int e = 0; e < _k && taken < empty; e++)
            {
                if (weights[e] != 0)
                {
                    continue;
                }

                int far = order[taken++];
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void EStepChunk(int c)
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
            Span<double> partial = _partial.AsSpan(c * k * d, k * d);
            Span<double> partialCounts = _partialCounts.AsSpan(c * k, k);
            if (_full && _updateSums)
            {
                partial.Clear();
                partialCounts.Clear();
            }

            int moves = 0;
            double[] current = Current;
            for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(p._n, i + ChunkedRows.ChunkSize); i < end; i++)
            {
                int old = _labels[i];
                double rowNorm = p._rowNormSq[i];
                double reach = p._rowNorm[i] + _maxNorm;
                double error = _errorScale * reach * reach;
                Span<double> lower = _lower.AsSpan(i * k, k);
                if (!_full)
                {
                    // Hamerly's single test first (one lower bound for all other centres), then Elkan's per centre.
                    double u = _upper[i] + _drift[old] + _driftSlack;
                    double need = (u * u) + (2 * error);
                    double quick = Math.Max(_lowerMin[i] - _maxDrift - _driftSlack, _minSeparation[old] - u);
                    if (quick > 0 && need < quick * quick * (1 - BoundSlack))
                    {
                        continue;
                    }

                    if (!IsOpen(old, u, need, lower))
                    {
                        _lowerMin[i] = LowerMin(old, lower);
                        continue;
                    }
                }

                int best = _screen ? Screen(xs, i, rowNorm, error, lower, dotsF, values, margins) : -1;
                bool loaded = false;
                if (best < 0)
                {
                    KMeansKernels.LoadCentred(xs.GetRowSpan(i), p._mean, row);
                    loaded = true;
                    KMeansKernels.Dots(row, current, dots);
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
                _lowerMin[i] = LowerMin(best, lower);
                if (best == old && !_full)
                {
                    continue;
                }

                if (!_full)
                {
                    _movedRows[(c * ChunkedRows.ChunkSize) + moves] = i;
                    _movedFrom[(c * ChunkedRows.ChunkSize) + moves] = old;
                    moves++;
                    continue;
                }

                moves += best == old ? 0 : 1;
                if (_updateSums)
                {
                    if (!loaded)
                    {
                        KMeansKernels.LoadCentred(xs.GetRowSpan(i), p._mean, row);
                    }

                    TensorPrimitives.Add(partial.Slice(best * d, d), row, partial.Slice(best * d, d));
                    partialCounts[best] += 1;
                }
            }

            _moves[c] = moves;
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

        // False when the bounds prove that no centre other than the current label can win (u ≥ distance to the label,
        // need = u² + 2E).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool IsOpen(int old, double u, double need, ReadOnlySpan<double> lower)
        {
            int k = _k;
            for (int j = 0; j < k; j++)
            {
                if (j == old)
                {
                    continue;
                }

                double l = lower[j] - _drift[j] - _driftSlack;
                double bound = Math.Max(l, _separation[(old * k) + j] - u);
                if (!(bound > 0 && need < bound * bound * (1 - BoundSlack)))
                {
                    return true;
                }
            }

            return false;
        }

        // The screens: v'_j = ‖c_j‖² − 2·est_j with |est_j − x·c_j| ≤ err_j (DotScreen) is within M_j = 2err_j + 2E of the
        // double value v_j plain Lloyd computes (E covers the double path's own rounding and the final additions). If
        // v'_j − M_j > v'_best + M_best for every j ≠ best, then v_j > v_best for every j, so best is plain Lloyd's
        // label: the bounds are then set from the screened values widened by M and best is returned. The 8-bit screen
        // goes first when available; the float screen takes what it leaves; −1 (also on NaN/overflow, where every
        // comparison fails) sends the row to the double computation.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Screen(ReadOnlySpan2D<T> xs, int i, double rowNorm, double error, Span<double> lower, Span<float> dotsF, Span<double> values, Span<double> margins)
        {
            int k = _k;
            for (int level = _p.HasByteScreen ? 0 : 1; level < 2; level++)
            {
                _dots.Estimate(level == 0, xs, i, dotsF, values, margins);
                int best = 0;
                for (int j = 0; j < k; j++)
                {
                    values[j] = _norms[j] + (-2.0 * values[j]);
                    margins[j] = (2 * margins[j]) + (2 * error);
                    if (values[j] < values[best])
                    {
                        best = j;
                    }
                }

                double ceiling = values[best] + margins[best];
                bool decided = true;
                for (int j = 0; j < k && decided; j++)
                {
                    decided = j == best || values[j] - margins[j] > ceiling;
                }

                if (!decided)
                {
                    continue;
                }


                for (int j = 0; j < k; j++)
                {
                    lower[j] = (Math.Sqrt(Math.Max(0, values[j] - margins[j] + rowNorm - error)) * (1 - BoundSlack)) + _drift[j];
                }

                _upper[i] = (Math.Sqrt(Math.Max(0, ceiling + rowNorm + error)) * (1 + BoundSlack)) - _drift[best];
                return best;
            }

            return -1;
        }
    }
}
