using FashionCore.Internals;
using FashionCore.Numerics.Random;

namespace FashionCore.Models.Clustering;

/// <summary>
/// The n_init runs of one k-means fit on a prepared solver: their random draws, their results, and the pick of the best.
/// </summary>
/// <remarks>
/// The runs' random draws do not depend on the data, so they are all drawn when the set is made, in sklearn's order;
/// after that the runs are independent and may run in any order, on any thread: each computes exactly what it would
/// alone, and <see cref="Best"/> picks in run order, as sklearn's loop picks.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class KMeansRuns<T>
    where T : unmanaged
{
    private readonly KMeansSolver<T> _solver;
    private readonly KMeansOptions _options;
    private readonly double _toleranceAbsolute;
    private readonly int[] _first;
    private readonly double[][] _uniforms;
    private readonly int[][] _rows;
    private readonly double[][] _centres;
    private readonly int[][] _labels;
    private readonly double[] _inertia;
    private readonly double[] _inertiaError; // per run: |_inertia − exact inertia| ≤ this (0: exact)
    private readonly int[] _iterations;

    /// <summary>Draws every run's random numbers from one <c>RandomState(random_state)</c> stream, in run order.</summary>
    public KMeansRuns(KMeansSolver<T> solver, KMeansOptions o)
    {
        _solver = solver;
        _options = o;
        int k = o.Clusters, n = solver.RowCount;
        Mt19937 random = new(o.RandomState ?? (uint)System.Random.Shared.NextInt64(0, 1L << 32));
        _toleranceAbsolute = solver.MeanVariance * o.Tolerance;
        Count = o.Init == KMeansInit.Given ? 1 : o.InitCount;
        _first = new int[Count];
        _uniforms = new double[Count][];
        _rows = new int[Count][];
        for (int r = 0; r < Count; r++)
        {
            if (o.Init == KMeansInit.KMeansPlusPlus)
            {
                _uniforms[r] = new double[(k - 1) * KMeansSolver<T>.PlusPlusTrials(k)];
                _first[r] = KMeansSolver<T>.DrawPlusPlus(random, n, k, _uniforms[r]);
            }
            else if (o.Init == KMeansInit.Random)
            {
                _rows[r] = new int[k];
                KMeansSolver<T>.DrawRandomRows(random, n, _rows[r]);
            }
        }

        _centres = new double[Count][];
        _labels = new int[Count][];
        _inertia = new double[Count];
        _inertiaError = new double[Count];
        _iterations = new int[Count];
    }

    /// <summary>The runs' first k-means++ centres (empty for other initialisations).</summary>
    public ReadOnlySpan<int> FirstCentres => _options.Init == KMeansInit.KMeansPlusPlus ? _first : default;

    /// <summary>Runs (n_init, or 1 for given centres).</summary>
    public int Count { get; }

    /// <summary>Whether running the runs in parallel (one per core, each run's passes in order) beats running them in turn.</summary>
    public static bool ParallelRuns(int runs) => runs > 1 && Environment.ProcessorCount > 1 && !ChunkedRows.ForceSequential;

    /// <summary>Initialisation and Lloyd for run <paramref name="r"/>.</summary>
    /// <param name="r">The run.</param>
    /// <param name="parallel">Whether the run's passes may run their chunks in parallel.</param>
    /// <param name="cancellationToken">Checked between Lloyd iterations.</param>
    public void Run(int r, bool parallel, CancellationToken cancellationToken)
    {
        KMeansOptions o = _options;
        int k = o.Clusters;
        double[] centres = new double[k * _solver.ColumnCount];
        int[] labels = new int[_solver.RowCount];
        switch (o.Init)
        {
            case KMeansInit.KMeansPlusPlus:
                _solver.KMeansPlusPlus(_first[r], _uniforms[r], k, new int[k], centres, parallel);
                break;
            case KMeansInit.Random:
                _solver.LoadRows(_rows[r], centres);
                break;
            default:
                _solver.GivenCentres(o.InitialCenters.Span, centres);
                break;
        }

        // With several runs, each returns an estimate of its inertia with an error bound (exact inertia reads every row
        // again); Best computes the exact values it needs.
        (_inertia[r], _iterations[r], _inertiaError[r]) = _solver.Lloyd(centres, k, o.MaxIterations, _toleranceAbsolute, labels, cancellationToken, parallel, exactInertia: Count == 1 || ExactInertia);
        _centres[r] = centres;
        _labels[r] = labels;
    }

    /// <summary>
    /// The best run as a model (centres in input coordinates): a run replaces the best so far only when its inertia is
    /// lower and its partition differs (sklearn's <c>_is_same_clustering</c>). Every run must have run; call once.
    /// </summary>
    /// <remarks>
    /// Runs that returned an estimate of their inertia are compared by their error intervals where those settle the
    /// comparison and by exact inertias (computed here) where they do not, so the pick is the one exact inertias give;
    /// the best run's inertia is always made exact.
    /// </remarks>
    public KMeansModel Best()
    {
        int k = _options.Clusters, d = _solver.ColumnCount;
        int best = 0;
        for (int r = 1; r < Count; r++)
        {
            if (!IsSamePartition(_labels[r], _labels[best], k) && IsLower(r, best))
            {
                best = r;
            }
        }

        MakeExact(best);
        double[] centres = _centres[best];
        ReadOnlySpan<double> mean = _solver.Mean;
        for (int j = 0; j < k; j++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(centres.AsSpan(j * d, d), mean, centres.AsSpan(j * d, d));
        }

        return new KMeansModel(centres, k, _labels[best], _inertia[best], _iterations[best]);
    }

    /// <summary>
    /// Runs every run of every set, the runs in parallel (one per core, each run's passes in order) when that pays,
    /// handing them out in set order; calls <paramref name="onCompleted"/> with each set's index as soon as that set and
    /// all sets before it have finished, in set order (serialised).
    /// </summary>
    public static void RunAll(IReadOnlyList<KMeansRuns<T>> sets, Action<int>? onCompleted, CancellationToken cancellationToken)
    {
        int total = 0;
        foreach (KMeansRuns<T> set in sets)
        {
            total += set.Count;
        }

        if (!ParallelRuns(total))
        {
            for (int s = 0; s < sets.Count; s++)
            {
                for (int r = 0; r < sets[s].Count; r++)
                {
                    sets[s].Run(r, parallel: true, cancellationToken);
                }

                onCompleted?.Invoke(s);
            }

            return;
        }

        // One flat list of (set, run), handed out one at a time in order by a shared counter: a core that finishes a
        // short run takes the next one at once, so no core idles until the last few runs (a loop per set would wait for
        // each set's slowest run).
        int[] setOf = new int[total], runOf = new int[total], remaining = new int[sets.Count];
        for (int s = 0, i = 0; s < sets.Count; s++)
        {
            remaining[s] = sets[s].Count;
            for (int r = 0; r < sets[s].Count; r++, i++)
            {
                setOf[i] = s;
                runOf[i] = r;
            }
        }

        int next = -1, reported = 0;
        bool failed = false;
        object gate = new();
        int workers = Math.Min(Environment.ProcessorCount, total);
        EngineParallel.For(workers, _ =>
        {
            int i;
            while (!Volatile.Read(ref failed) && (i = Interlocked.Increment(ref next)) < total)
            {
                try
                {
                    sets[setOf[i]].Run(runOf[i], parallel: false, cancellationToken);
                    lock (gate)
                    {
                        remaining[setOf[i]]--;
                        for (; reported < sets.Count && remaining[reported] == 0; reported++)
                        {
                            onCompleted?.Invoke(reported);
                        }
                    }
                }
                catch
                {
                    Volatile.Write(ref failed, true);
                    throw;
                }
            }
        }, workers, cancellationToken);
    }

    /// <summary>Tests only: every run computes its exact inertia in Lloyd, as a single run does.</summary>
    internal bool ExactInertia { get; init; }

    /// <summary>How many runs' inertias <see cref="Best"/> computed exactly after their Lloyd (tests).</summary>
    internal int ExactInertias { get; private set; }

    // Whether run r's exact inertia is below run b's, decided by the error intervals when they do not overlap.
    private bool IsLower(int r, int b)
    {
        if (_inertia[r] + _inertiaError[r] < _inertia[b] - _inertiaError[b])
        {
            return true;
        }

        if (_inertia[r] - _inertiaError[r] >= _inertia[b] + _inertiaError[b])
        {
            return false;
        }

        MakeExact(r);
        MakeExact(b);
        return _inertia[r] < _inertia[b];
    }

    // Replaces run r's inertia estimate by the exact inertia (its centres are still centred here).
    private void MakeExact(int r)
    {
        if (_inertiaError[r] != 0)
        {
            _inertia[r] = _solver.Inertia(_centres[r], _labels[r]);
            _inertiaError[r] = 0;
            ExactInertias++;
        }
    }

    // sklearn _is_same_clustering: a one-way map from labels of a to labels of b that is consistent on every row.
    private static bool IsSamePartition(ReadOnlySpan<int> a, ReadOnlySpan<int> b, int k)
    {
        Span<int> map = k <= 256 ? stackalloc int[k] : new int[k];
        map.Fill(-1);
        for (int i = 0; i < a.Length; i++)
        {
            if (map[a[i]] == -1)
            {
                map[a[i]] = b[i];
            }
            else if (map[a[i]] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
