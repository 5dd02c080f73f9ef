using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using CommunityToolkit.HighPerformance;
using CommunityToolkit.HighPerformance.Buffers;
using FashionCore.Abstractions;
using FashionCore.Internals;
using FashionCore.Metrics;
using FashionCore.Numerics;

namespace FashionCore.Selection;

/// <summary>
/// Runs candidates × folds fits: the shared engine of <see cref="CrossValidation"/> and <see cref="GridSearch"/>.
/// </summary>
/// <remarks>
/// <para><b>Stateless prefixes.</b> Candidates that are <see cref="Pipeline"/>s are grouped by their leading
/// <see cref="IStatelessTransformerEstimator"/> steps (by reference: grid candidates that do not change those steps share
/// the same step objects); each group's prefix is fitted and applied to all rows once, and its folds are cut from those
/// features.</para>
/// <para><b>Memory.</b> Work items run group-major, then fold-major, then candidate, pulled in that order by at most
/// <c>degree</c> workers. A fold's training rows (ascending indices, as sklearn's) and test rows are gathered once into one
/// buffer shared by all candidates of that fold, which goes back to the run's free list after the last of them and
/// serves the next fold. Since items are pulled in order, a fold is alive only while a worker runs one of its
/// candidates, so a run takes at most <c>degree</c> fold buffers (per distinct feature width), whatever the number of
/// folds and candidates. They come from <see cref="ArrayPool{T}.Shared"/> and all go back to it at the end of the run
/// on the calling thread (a buffer returned on a finishing worker thread would sit in that thread's local cache and
/// be lost with it), so the next search or cross-validation of the same shape reuses them: on this kind of VM, first
/// touching a fresh 188 MB buffer costs over a second. Each worker keeps one prediction buffer for all its fits.</para>
/// <para><b>Determinism.</b> Each fit sees the same rows in the same order whatever the degree; results are stored by
/// (candidate, fold), so scores are identical for any degree (times of course vary).</para>
/// </remarks>
internal sealed class FoldRunner : IDisposable
{
    private readonly IClassifierEstimator<IClassifier>[] _candidates;
    private readonly ReadOnlyMemory2D<float> _x;
    private readonly ReadOnlyMemory<int> _y;
    private readonly Folds _folds;
    private readonly Scorer _scorer;
    private readonly int _degree;
    private readonly double? _errorScore;
    private readonly System.Collections.Concurrent.ConcurrentQueue<FitFailure> _failures = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<FitFailure> _scoreFailures = new();
    private readonly IProgress<SearchProgress>? _progress;
    private readonly List<Group> _groups = [];
    private readonly int[] _groupOf;
    private readonly FoldBuffers _buffers = new();

    public FoldRunner(IClassifierEstimator<IClassifier>[] candidates, ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, Folds folds, CrossValidationOptions options, IProgress<SearchProgress>? progress)
    {
        _candidates = candidates;
        _x = x;
        _y = y;
        _folds = folds;
        _scorer = options.Scoring ?? Accuracy.Score;
        _degree = options.ResolveDegree();
        _errorScore = options.ErrorScore;
        _progress = progress;
        _groupOf = new int[candidates.Length];
        for (int c = 0; c < candidates.Length; c++)
        {
            object[] prefix = candidates[c] is Pipeline p ? [.. p.Transforms.Take(p.StatelessPrefixLength).Select(s => s.Estimator)] : [];
            int g = _groups.FindIndex(group => group.Prefix.AsSpan().SequenceEqual(prefix, ReferenceEqualityComparer.Instance));
            if (g < 0)
            {
                g = _groups.Count;
                _groups.Add(new Group(prefix));
            }

            _groupOf[c] = g;
            _groups[g].Candidates.Add(c);
        }

        Scores = new double[candidates.Length * folds.Count];
        FitTimes = new double[candidates.Length * folds.Count];
        ScoreTimes = new double[candidates.Length * folds.Count];
    }

    /// <summary>Scores, row-major [candidate, fold].</summary>
    public double[] Scores { get; }

    /// <summary>Fit seconds, [candidate, fold].</summary>
    public double[] FitTimes { get; }

    /// <summary>Score seconds, [candidate, fold].</summary>
    public double[] ScoreTimes { get; }

    /// <summary>The fits that threw and were scored with the error score, by candidate then fold.</summary>
    public IReadOnlyList<FitFailure> Failures => [.. _failures.OrderBy(f => f.Candidate).ThenBy(f => f.Fold)];

    /// <summary>The fitted models whose scoring threw and were scored with the error score, by candidate then fold.</summary>
    public IReadOnlyList<FitFailure> ScoreFailures => [.. _scoreFailures.OrderBy(f => f.Candidate).ThenBy(f => f.Fold)];

    /// <summary>Fold buffers taken from the shared pool by the last <see cref="Run"/> (the rest were reused from its free list).</summary>
    internal int FoldBuffersTaken => _buffers.Taken;

    /// <summary>Seconds spent fitting and applying the shared stateless prefixes.</summary>
    public double PrecomputeSeconds { get; private set; }

    public void Run(CancellationToken cancellationToken)
    {
        int k = _folds.Count;
        List<(int Group, int Fold, int Candidate)> work = [];
        for (int g = 0; g < _groups.Count; g++)
        {
            for (int f = 0; f < k; f++)
            {
                foreach (int c in _groups[g].Candidates)
                {
                    work.Add((g, f, c));
                }
            }
        }

        int[][] trainIndices = new int[k][];
        int[][] testIndices = new int[k][];
        int[][] testLabels = new int[k][];
        int[][] trainLabels = new int[k][];
        ReadOnlySpan<int> y = _y.Span;
        int maxTest = 0;
        for (int f = 0; f < k; f++)
        {
            trainIndices[f] = _folds.TrainIndices(f);
            testIndices[f] = _folds.TestIndices(f);
            testLabels[f] = Gather(y, testIndices[f]);
            trainLabels[f] = Gather(y, trainIndices[f]);
            maxTest = Math.Max(maxTest, testIndices[f].Length);
        }

        FoldData?[,] foldData = new FoldData?[_groups.Count, k];
        object gate = new();
        int next = -1;
        int completed = 0;
        Exception? failure = null;

        void Completed() => _progress?.Report(new SearchProgress(Interlocked.Increment(ref completed), work.Count));

        // sklearn's error_score: record the failed fit, score it, go on with the others. Its fit time is what ran until
        // the error (RunOne records it as it goes; a shared prefix's failure, that prefix's own fit time), as sklearn's
        // _fit_and_score notes it. (A failed scoring is handled in RunOne: no failed fit in sklearn.)
        void Fail(int c, int f, Exception e)
        {
            Scores[(c * k) + f] = _errorScore!.Value;
            _failures.Enqueue(new FitFailure(c, f, e));
            Completed();
        }

        void Worker()
        {
            int[]? predicted = null;
            while (Volatile.Read(ref failure) is null && !cancellationToken.IsCancellationRequested)
            {
                int item = Interlocked.Increment(ref next);
                if (item >= work.Count)
                {
                    return;
                }

                (int g, int f, int c) = work[item];
                if (_groups[g].Failure is Exception prefixFailure)
                {
                    // The shared prefix failed (only kept when there is an error score): so does each of its fits.
                    FitTimes[(c * k) + f] = _groups[g].FailureSeconds;
                    Fail(c, f, prefixFailure);
                    continue;
                }

                FoldData data;
                try
                {
                    lock (gate)
                    {
                        data = foldData[g, f] ??= new FoldData(_groups[g].Candidates.Count);
                    }

                    data.EnsureGathered(this, g, trainIndices[f], testIndices[f], trainLabels[f]);
                    try
                    {
                        predicted ??= new int[maxTest];
                        RunOne(c, f, data, testLabels[f], predicted.AsSpan(0, testLabels[f].Length), cancellationToken);
                    }
                    catch (Exception e) when (_errorScore is not null && !cancellationToken.IsCancellationRequested)
                    {
                        Fail(c, f, e);
                        continue;
                    }

                    Completed();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    return;
                }
                finally
                {
                    lock (gate)
                    {
                        foldData[g, f]?.Release();
                    }
                }
            }
        }

        try
        {
            PrepareGroups(cancellationToken);
            int workers = Math.Min(_degree, work.Count);

            // Parallel fits share the cores: no fit may start a lockstep partner thread (see EngineParallel.CoresShared).
            using EngineParallel.SharedCoresScope shared = EngineParallel.ShareCores(workers > 1);
            Task[] others = new Task[workers - 1];
            for (int w = 0; w < others.Length; w++)
            {
                // On the current scheduler, like every engine loop (see EngineParallel): a limited one bounds the fits too.
                others[w] = Task.Factory.StartNew(Worker, CancellationToken.None, TaskCreationOptions.LongRunning, EngineParallel.Scheduler);
            }

            Worker();
            Task.WaitAll(others, CancellationToken.None);
        }
        finally
        {
            foreach (FoldData? data in foldData)
            {
                data?.Dispose();
            }

            _buffers.ReturnAll();
        }

        if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_failures.Count == work.Count)
        {
            FitFailure first = Failures[0];
            throw new ArgumentException(
                $"All the {work.Count} fits failed, so the estimator or grid is most likely misconfigured; the first (candidate {first.Candidate}, fold {first.Fold}): {first.Exception.Message}",
                first.Exception);
        }
    }

    /// <summary>Fits candidate <paramref name="candidate"/> on all rows, reusing its group's precomputed prefix when there is one.</summary>
    public IClassifier Refit(int candidate, CancellationToken cancellationToken)
    {
        Group group = _groups[_groupOf[candidate]];
        if (group.Prefix.Length == 0)
        {
            return _candidates[candidate].Fit(_x, _y, cancellationToken);
        }

        PrepareGroup(group, cancellationToken);
        return ((Pipeline)_candidates[candidate]).FitFrom(group.Prefix.Length, group.PrefixModels!, group.Features, _y, cancellationToken);
    }

    /// <summary>Returns the precomputed prefix features to the pool.</summary>
    public void Dispose()
    {
        foreach (Group group in _groups)
        {
            group.Dispose();
        }
    }

    // A prefix that fails fails every fit of its candidates: with an error score those are scored (by the workers) and
    // the others still run, as when sklearn fits the step in each fold; without one it is raised.
    private void PrepareGroups(CancellationToken cancellationToken)
    {
        foreach (Group group in _groups)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                PrepareGroup(group, cancellationToken);
            }
            catch (Exception e) when (_errorScore is not null && !cancellationToken.IsCancellationRequested)
            {
                group.Failure = e;
                group.FailureSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }
    }

    private void PrepareGroup(Group group, CancellationToken cancellationToken)
    {
        if (group.PrefixModels is not null)
        {
            return;
        }

        if (group.Prefix.Length == 0)
        {
            group.Features = _x;
            group.PrefixModels = [];
            return;
        }

        long start = Stopwatch.GetTimestamp();
        ITransformer[] models = new ITransformer[group.Prefix.Length];
        ReadOnlyMemory2D<float> current = _x;
        MemoryOwner<float>? owner = null;
        MemoryOwner<float>? output = null;
        try
        {
            for (int i = 0; i < models.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                models[i] = ((ITransformerEstimator<ITransformer>)group.Prefix[i]).Fit(current, cancellationToken);
                output = PooledArray.Allocate<float>(current.Height * models[i].OutputFeatureCount);
                Memory2D<float> features = output.Memory.AsMemory2D(current.Height, models[i].OutputFeatureCount);
                models[i].Transform(current.Span, features.Span);
                owner?.Dispose();
                owner = output;
                output = null;
                current = features;
            }
        }
        catch
        {
            // A failing step (kept as the group's failure with an error score) must not keep the pooled features.
            output?.Dispose();
            owner?.Dispose();
            throw;
        }

        group.PrefixModels = models;
        group.Features = current;
        group.Owner = owner;
        PrecomputeSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private void RunOne(int candidate, int fold, FoldData data, int[] testLabels, Span<int> predicted, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Group group = _groups[_groupOf[candidate]];
        int prefix = group.Prefix.Length;
        int at = (candidate * _folds.Count) + fold;

        // Each time is recorded even when its step throws (the time until the error, as sklearn notes it).
        long start = Stopwatch.GetTimestamp();
        IClassifier model;
        try
        {
            model = prefix == 0
                ? _candidates[candidate].Fit(data.Train, data.TrainLabels, cancellationToken)
                : ((Pipeline)_candidates[candidate]).FitFrom(prefix, group.PrefixModels!, data.Train, data.TrainLabels, cancellationToken);
        }
        finally
        {
            FitTimes[at] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        start = Stopwatch.GetTimestamp();
        try
        {
            if (prefix == 0)
            {
                model.Predict(data.Test.Span, predicted);
            }
            else
            {
                ((PipelineModel)model).PredictFrom(prefix, data.Test.Span, predicted);
            }

            Scores[at] = _scorer(testLabels, predicted);
        }
        catch (Exception e) when (_errorScore is not null && !cancellationToken.IsCancellationRequested)
        {
            // sklearn's _score: a scoring that throws gets the error score and a warning of its own ("Scoring failed");
            // it is no failed fit (nor counted towards "all the fits failed").
            Scores[at] = _errorScore.Value;
            _scoreFailures.Enqueue(new FitFailure(candidate, fold, e));
        }
        finally
        {
            ScoreTimes[at] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    private static int[] Gather(ReadOnlySpan<int> values, int[] indices)
    {
        int[] result = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            result[i] = values[indices[i]];
        }

        return result;
    }

    private sealed class Group(object[] prefix) : IDisposable
    {
        public object[] Prefix { get; } = prefix;

        public List<int> Candidates { get; } = [];

        public ITransformer[]? PrefixModels { get; set; }

        public ReadOnlyMemory2D<float> Features { get; set; }

        public MemoryOwner<float>? Owner { get; set; }

        /// <summary>Why fitting or applying the prefix failed (then every fit of the group fails with it).</summary>
        public Exception? Failure { get; set; }

        /// <summary>How long the prefix ran until <see cref="Failure"/>.</summary>
        public double FailureSeconds { get; set; }

        public void Dispose()
        {
            Owner?.Dispose();
            Owner = null;
        }
    }

    /// <summary>One fold's gathered rows, shared by the candidates of a group, in a buffer from the run's free list.</summary>
    private sealed class FoldData(int users) : IDisposable
    {
        private readonly Lock _lock = new();
        private int _users = users;
        private FoldBuffers? _pool;
        private float[]? _buffer;
        private bool _gathered;

        public ReadOnlyMemory2D<float> Train { get; private set; }

        public ReadOnlyMemory<int> TrainLabels { get; private set; }

        public ReadOnlyMemory2D<float> Test { get; private set; }

        public void EnsureGathered(FoldRunner runner, int group, int[] trainIndices, int[] testIndices, int[] trainLabels)
        {
            lock (_lock)
            {
                if (_gathered)
                {
                    return;
                }

                ReadOnlySpan2D<float> source = runner._groups[group].Features.Span;
                int width = source.Width;
                int trainLength = trainIndices.Length * width;
                int length = trainLength + (testIndices.Length * width);
                float[] buffer = runner._buffers.Take(length);
                GatherRows(source, trainIndices, buffer.AsSpan(0, trainLength));
                GatherRows(source, testIndices, buffer.AsSpan(trainLength, length - trainLength));
                _pool = runner._buffers;
                _buffer = buffer;
                Train = new ReadOnlyMemory2D<float>(buffer, 0, trainIndices.Length, width, 0);
                Test = new ReadOnlyMemory2D<float>(buffer, trainLength, testIndices.Length, width, 0);
                TrainLabels = trainLabels;
                _gathered = true;
            }
        }

        private static void GatherRows(ReadOnlySpan2D<float> source, int[] indices, Span<float> destination)
        {
            int width = source.Width;
            for (int i = 0; i < indices.Length; i++)
            {
                source.GetRowSpan(indices[i]).CopyTo(destination.Slice(i * width, width));
            }
        }

        /// <summary>Called once per candidate when its fit on this fold is over; the last one returns the buffer.</summary>
        public void Release()
        {
            if (--_users == 0)
            {
                Dispose();
            }
        }

        public void Dispose()
        {
            if (_buffer is not null)
            {
                _pool!.Give(_buffer);
                _buffer = null;
            }
        }
    }

    /// <summary>
    /// The run's free list of fold buffers: a released buffer serves the next fold; a miss takes one from
    /// <see cref="ArrayPool{T}.Shared"/>; <see cref="ReturnAll"/> hands them all back to it on the calling thread.
    /// </summary>
    private sealed class FoldBuffers
    {
        private readonly Lock _lock = new();
        private readonly List<float[]> _free = [];
        private readonly List<float[]> _all = [];

        /// <summary>Buffers taken from the shared pool since the last <see cref="ReturnAll"/>.</summary>
        public int Taken { get; private set; }

        /// <summary>A buffer of at least <paramref name="length"/> floats: the smallest free one that fits, else a new one.</summary>
        public float[] Take(int length)
        {
            lock (_lock)
            {
                int best = -1;
                for (int i = 0; i < _free.Count; i++)
                {
                    if (_free[i].Length >= length && (best < 0 || _free[i].Length < _free[best].Length))
                    {
                        best = i;
                    }
                }

                if (best >= 0)
                {
                    float[] buffer = _free[best];
                    _free.RemoveAt(best);
                    return buffer;
                }

                float[] taken = PooledArray.Rent<float>(length);
                _all.Add(taken);
                Taken++;
                return taken;
            }
        }

        /// <summary>Puts a buffer from <see cref="Take"/> back on the free list.</summary>
        public void Give(float[] buffer)
        {
            lock (_lock)
            {
                _free.Add(buffer);
            }
        }

        /// <summary>Returns every buffer taken to the shared pool (once no fold uses them any more).</summary>
        public void ReturnAll()
        {
            lock (_lock)
            {
                foreach (float[] buffer in _all)
                {
                    ArrayPool<float>.Shared.Return(buffer);
                }

                _all.Clear();
                _free.Clear();
            }
        }
    }
}
