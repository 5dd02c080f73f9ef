using System.Numerics.Tensors;
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
    /// </para>
    /// </remarks>
    public (double Inertia, int Iterations) Lloyd(Span<double> centres, int k, int maxIterations, double toleranceAbsolute, int[] labels, CancellationToken cancellationToken)
    {
        LloydState s = new(this, k, labels);
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
        private readonly bool[] _touched;
        private readonly int[] _moves;
        private readonly double[] _norms;
        private readonly double[] _separation;
        private readonly double[] _drift; // cumulative inflated shift of each centre since the run started
        private double _driftSlack;
        private readonly double _errorScale;
        private double[] _next;
        private double _maxNorm;
        private bool _full;
        private bool _updateSums;

        public LloydState(KMeansSolver<T> p, int k, int[] labels)
        {
            _p = p;
            _k = k;
            _labels = labels;
            Array.Fill(labels, -1);
            int n = p._n, d = p._d;
            _upper = new double[n];
            _lower = new double[n * k];
            Current = new double[k * d];
            _next = new double[k * d];
            _sums = new double[k * d];
            _counts = new double[k];
            _partial = new double[p._chunks * k * d];
            _partialCounts = new double[p._chunks * k];
            _touched = new bool[p._chunks];
            _moves = new int[p._chunks];
            _norms = new double[k];
            _separation = new double[k * k];
            _drift = new double[k];
            _errorScale = (d + 16) * Math.ScaleB(1.0, -52);
        }

        public double[] Current { get; private set; }

        public double TotalShift { get; private set; }

        /// <summary>Labels every row with the current centres; returns how many labels changed.</summary>
        public int EStep(bool full, bool updateSums)
        {
            _full = full;
            _updateSums = updateSums;
            ChunkedRows.Run(_p._chunks, EStepChunk);
            int moves = 0;
            foreach (int m in _moves)
            {
                moves += m;
            }

            if (!updateSums)
            {
                return moves;
            }

            int kd = _k * _p._d;
            if (full)
            {
                Array.Clear(_sums);
                Array.Clear(_counts);
            }

            for (int c = 0; c < _p._chunks; c++)
            {
                if (full || _touched[c])
                {
                    TensorPrimitives.Add(_sums, _partial.AsSpan(c * kd, kd), _sums);
                    TensorPrimitives.Add(_counts, _partialCounts.AsSpan(c * _k, _k), _counts);
                }
            }

            return moves;
        }

        /// <summary>New centres from the cluster sums (with sklearn 1.2.1's empty-cluster relocation), and the shift.</summary>
        public void MStep()
        {
            int d = _p._d;
            _sums.AsSpan().CopyTo(_next);
            double[] weights = (double[])_counts.Clone();
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

            double[] shift = new double[_k];
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
                _norms[j] = KMeansKernels.Dot(Current.AsSpan(j * d, d), Current.AsSpan(j * d, d));
                _maxNorm = Math.Max(_maxNorm, Math.Sqrt(_norms[j]));
                for (int l = 0; l < j; l++)
                {
                    double separation = Math.Sqrt(KMeansKernels.SquaredDistance(Current.AsSpan(j * d, d), Current.AsSpan(l * d, d))) * (1 - BoundSlack);
                    _separation[(j * _k) + l] = separation;
                    _separation[(l * _k) + j] = separation;
                }
            }

            if (shift is not null)
            {
                for (int j = 0; j < _k; j++)
                {
                    _drift[j] += shift[j] * (1 + BoundSlack);
                    _driftSlack = Math.Max(_driftSlack, 1e-13 * (1 + _drift[j]));
                }
            }
        }

        /// <summary>sklearn 1.2.1 inertia: Σ_i ‖x_i − c_label(i)‖², computed directly, per chunk, reduced in order.</summary>
        public double Inertia()
        {
            int d = _p._d;
            double[] partial = new double[_p._chunks];
            ChunkedRows.Run(_p._chunks, c =>
            {
                ReadOnlySpan2D<T> xs = _p._x.Span;
                Span<double> row = Scratch(d);
                double sum = 0;
                for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(_p._n, i + ChunkedRows.ChunkSize); i < end; i++)
                {
                    KMeansKernels.LoadCentred(xs.GetRowSpan(i), _p._mean, row);
                    sum += KMeansKernels.SquaredDistance(row, Current.AsSpan(_labels[i] * d, d));
                }

                partial[c] = sum;
            });
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
                Span<double> row = Scratch(d);
                for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize); i < end; i++)
                {
                    KMeansKernels.LoadCentred(xs.GetRowSpan(i), _p._mean, row);
                    distance[i] = KMeansKernels.SquaredDistance(row, Current.AsSpan(_labels[i] * d, d));
                }
            });
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
        // (upper − drift[label], lower + drift[j]), so a skipped row is only read, never written. Centre j ≠ label is skipped only when its squared distance provably
        // exceeds the label's by more than 2E, twice the worst rounding error of a computed ‖c‖² − 2x·c, so the computed
        // argmin over the centres that are evaluated equals the argmin over all of them. Evaluated centres use
        // KMeansKernels.Dot, bit-identical to the grouped kernel of a full pass.
        private void EStepChunk(int c)
        {
            KMeansSolver<T> p = _p;
            int d = p._d, k = _k;
            ReadOnlySpan2D<T> xs = p._x.Span;
            Span<double> scratch = Scratch(d + (2 * k));
            Span<double> row = scratch[..d];
            Span<double> dots = scratch.Slice(d, k);
            Span<double> values = scratch.Slice(d + k, k);
            Span<double> partial = _partial.AsSpan(c * k * d, k * d);
            Span<double> partialCounts = _partialCounts.AsSpan(c * k, k);
            bool touched = false;
            if (_full && _updateSums)
            {
                partial.Clear();
                partialCounts.Clear();
                touched = true;
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
                int best;
                if (_full)
                {
                    KMeansKernels.LoadCentred(xs.GetRowSpan(i), p._mean, row);
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
                }
                else
                {
                    double u = _upper[i] + _drift[old] + _driftSlack;
                    double need = (u * u) + (2 * error);
                    int open = 0;
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
                            values[j] = double.NaN; // to evaluate
                            open++;
                        }
                        else
                        {
                            values[j] = double.PositiveInfinity; // provably not the argmin
                        }
                    }

                    if (open == 0)
                    {
                        continue;
                    }

                    KMeansKernels.LoadCentred(xs.GetRowSpan(i), p._mean, row);
                    values[old] = double.NaN;
                    best = -1;
                    for (int j = 0; j < k; j++)
                    {
                        if (double.IsNaN(values[j]))
                        {
                            values[j] = _norms[j] + (-2.0 * KMeansKernels.Dot(row, current.AsSpan(j * d, d)));
                            lower[j] = (Math.Sqrt(Math.Max(0, values[j] + rowNorm - error)) * (1 - BoundSlack)) + _drift[j];
                            if (best < 0 || values[j] < values[best])
                            {
                                best = j;
                            }
                        }
                    }
                }

                _upper[i] = (Math.Sqrt(Math.Max(0, values[best] + rowNorm + error)) * (1 + BoundSlack)) - _drift[best];
                _labels[i] = best;
                if (best == old && !_full)
                {
                    continue;
                }

                moves += best == old ? 0 : 1;
                if (!_updateSums)
                {
                    continue;
                }

                if (!touched)
                {
                    partial.Clear();
                    partialCounts.Clear();
                    touched = true;
                }

                if (!_full)
                {
                    TensorPrimitives.Subtract(partial.Slice(old * d, d), row, partial.Slice(old * d, d));
                    partialCounts[old] -= 1;
                }

                TensorPrimitives.Add(partial.Slice(best * d, d), row, partial.Slice(best * d, d));
                partialCounts[best] += 1;
            }

            _touched[c] = touched;
            _moves[c] = moves;
        }
    }
}
