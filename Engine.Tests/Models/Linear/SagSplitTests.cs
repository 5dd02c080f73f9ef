using CommunityToolkit.HighPerformance;
using FashionCore.Internals;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The two-thread SAG/SAGA loop (<see cref="SagLaneSplitSolver"/>, eight steps per round) against itself on one thread and
/// against the quad and pair loops.
/// </summary>
[NonParallelizable]
public class SagSplitTests
{
    // 7 mod 8, so every epoch ends with an octet of seven steps.
    private const int Rows = 1999;

    // The split sums each dot product (and the row products) per feature range and then across the two ranges, instead
    // of in one sweep, and takes eight dot products per pass (adding back up to seven row-product corrections where the
    // quad loop adds up to three): only summation order changes (a few ulp per step), as for the quad loop against the
    // pair loop, so the same bound applies (1e-12 is far below the 1e-6 parity bound with sklearn).
    private const double RelativeTolerance = 1e-12;

    private static readonly Lazy<float[]> s_pixels = new(() => LogisticRegressionData.ToFloat(LogisticRegressionData.Train(Rows + 1)));

    [TestCaseSource(typeof(SagPairTests), nameof(SagPairTests.Cases))]
    [Category("Dataset")]
    public void Solve_TwoThreadsVsOneThreadAlternating_IdenticalResults(bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(multinomial, saga, tolerance, maxIterations);

        SagResult[] two = SolveOnTwoThreads(x, labels, p);
        SagResult[] alternating = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false);
        SagResult[] again = SolveOnTwoThreads(x, labels, p);

        AssertIdentical(two, alternating);
        AssertIdentical(two, again);
    }

    // A partner that does not start within the solver's 5 ms leaves the caller running both workers alone, which would
    // compare the alternating path with itself: such a run is repeated (a busy machine), and five in a row fail.
    private static SagResult[] SolveOnTwoThreads(ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) =>
        WithPartnerStarted(counts => SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: true, counts: counts));

    // Runs `solve` (given the counts to pass to the solver) until the partner thread took part, at most five times.
    private static TResult WithPartnerStarted<TResult>(Func<SagLaneSplitCounts, TResult> solve)
    {
        for (int attempt = 0; ; attempt++)
        {
            SagLaneSplitCounts counts = new();
            TResult result = solve(counts);
            if (!counts.Alone || attempt == 4)
            {
                Assert.That(counts.Alone, Is.False, "the partner thread never started in 5 attempts");
                return result;
            }
        }
    }

    // Double rows holding the float rows' values: the same lists (the vector non-zero test reads 64-bit lanes) and the same
    // arithmetic, so the same bits.
    [TestCase(true)]
    [TestCase(false)]
    [Category("Dataset")]
    public void Solve_DoubleRowsOfTheSameValues_IdenticalToFloatRows(bool multinomial)
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(multinomial, true, 0.0, 2);
        double[] wide = [.. s_pixels.Value.AsSpan(0, Rows * 784).ToArray().Select(v => (double)v)];

        SagResult[] fromFloat = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: true);
        SagResult[] fromDouble = SagLaneSplitSolver.Solve(new ReadOnlyMemory2D<double>(wide, Rows, 784), labels, p, 0, default, partner: true);

        AssertIdentical(fromDouble, fromFloat);
    }

    // 1999 rows: rounds 1–250 are epoch 1's octets (250 its last, seven steps), 251 its end-of-epoch exchange; epoch 3
    // runs rounds 503–753.
    [TestCase(1L)]
    [TestCase(189L)]
    [TestCase(250L)]
    [TestCase(251L)]
    [TestCase(625L)]
    [Category("Dataset")]
    public void Solve_HandOverToOneThread_IdenticalResults(long round)
    {
        foreach (bool multinomial in new[] { true, false })
        {
            (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(multinomial, true, 0.0, 3);

            SagResult[] handedOver = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: true, handOverRound: round);
            SagResult[] alternating = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false);

            AssertIdentical(handedOver, alternating);
        }
    }

    // Each runs at least one octet on one thread (whose gradient memory rows the second worker must then have): taken
    // over after round 1, handed back after round 2; mid-epoch both ways; over in epoch 1, back in epoch 3 (across two
    // end-of-epoch exchanges); over at epoch 1's last octet, back after epoch 2's first; handed back before the caller has
    // run a round of its own (the round number it published with the hand-over request must not let the partner read
    // the next round's message early).
    [TestCase(1L, 3L)]
    [TestCase(189L, 200L)]
    [TestCase(100L, 625L)]
    [TestCase(250L, 253L)]
    [TestCase(5L, 6L)]
    [TestCase(190L, 191L)]
    [Category("Dataset")]
    public void Solve_HandOverAndBack_IdenticalResults(long overRound, long backRound)
    {
        foreach (bool multinomial in new[] { true, false })
        {
            (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(multinomial, true, 0.0, 3);

            SagLaneSplitCounts counts = new();
            SagResult[] handedBack = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: true, handOverRound: overRound, handBackRound: backRound, counts: counts);
            SagResult[] alternating = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false);

            // The forced takeover (if the partner started in time: a loaded machine may start it late) and hand-back; a
            // loaded machine may add takeovers of its own (stalls), each handed back at once unless the fit ends first.
            Assert.That(counts.TakeOvers, Is.GreaterThanOrEqualTo(counts.Alone ? 0 : 1), "takeovers");
            Assert.That(counts.HandBacks, Is.GreaterThanOrEqualTo(1), "hand-backs");
            Assert.That(counts.TakeOvers - counts.HandBacks, Is.InRange(counts.Alone ? -1 : 0, counts.Alone ? 0 : 1), "takeovers not handed back");

            AssertIdentical(handedBack, alternating);
        }
    }

    [TestCaseSource(typeof(SagPairTests), nameof(SagPairTests.Cases))]
    [Category("Dataset")]
    public void Solve_SplitVsQuads_SameIterationsAndPredictionsCoefWithinRounding(bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(multinomial, saga, tolerance, maxIterations);

        SagResult[] split = SagLaneSplitSolver.Solve(x, labels, p, 0, default);
        SagResult[] quads = SagLaneQuadSolver.Solve(x.Span, labels, p, 0, default);

        SagDenseTests.AssertAgree(split, quads, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertSamePredictions(split, quads, x.Span, multinomial);
    }

    // Shuffled epochs (each worker shuffles its own copy of the order, read ahead across epoch ends; 1999 rows, so
    // every epoch ends mid-octet): two threads, and a hand-over in epoch 1 handed back in epoch 3 (each worker's order
    // then advances on the other thread for a while), as alternating; then the quad, pair and one-step loops within
    // rounding.
    // (SAGA only: the options reject the shuffled order for SAG.)
    [TestCase(true, 0.0, 3)]
    [TestCase(false, 0.0, 3)]
    [TestCase(true, 3e-2, 40)]
    [TestCase(false, 3e-2, 40)]
    [Category("Dataset")]
    public void Solve_ShuffledOrder_EveryLoopAgrees(bool multinomial, double tolerance, int maxIterations)
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem drawn) = Problem(multinomial, true, tolerance, maxIterations);
        SagProblem p = drawn with { Shuffled = true };

        SagResult[] two = SolveOnTwoThreads(x, labels, p);
        SagResult[] alternating = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false);
        SagResult[] quads = SagLaneQuadSolver.Solve(x.Span, labels, p, 0, default);
        SagResult[] pairs = SagLaneSolver.Solve(x.Span, labels, p, 0, default, dense: false, pairs: true, quads: false);
        SagResult[] oneStep = SagLaneSolver.Solve(x.Span, labels, p, 0, default, dense: false, pairs: false);

        AssertIdentical(two, alternating);
        AssertIdentical(SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: true, handOverRound: 189, handBackRound: 625), alternating);
        SagDenseTests.AssertAgree(two, quads, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertAgree(quads, pairs, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertAgree(pairs, oneStep, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertSamePredictions(two, oneStep, x.Span, multinomial);
        Assert.That(two[0].Weights, Is.Not.EqualTo(SagLaneSplitSolver.Solve(x, labels, drawn, 0, default)[0].Weights), "the order reached the workers");
    }

    // Dense rows (HOG: 72 features, ~23% zeros) go to the split too: against the one-thread dense passes, which apply
    // each step's update one step late and sum by feature parity, so again only the summation order differs.
    [TestCaseSource(typeof(SagPairTests), nameof(SagPairTests.Cases))]
    [Category("Dataset")]
    public void Solve_SplitVsDensePassesOnHog_SameIterationsAndPredictionsCoefWithinRounding(bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        ReadOnlyMemory2D<float> x = SagDenseTests.HogRows;
        int rows = x.Height;
        Assert.That(SagLaneSolver.IsDense(x.Span), Is.True, "HOG rows take the dense passes on one thread");
        int[] labels = LogisticRegressionData.TrainLabels(rows).ToArray();
        double alphaScaled = 1.0 / rows;
        double step = SagProblem.AutoStepSize(SparseRows.ScanMaxSquaredSum(x.Span, "x"), alphaScaled, true, rows, saga);
        SagProblem p = new(10, multinomial, saga, alphaScaled, 0.0, step, maxIterations, tolerance, 209652396u, true);

        SagResult[] split = SolveOnTwoThreads(x, labels, p);
        SagResult[] alternating = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false);
        SagResult[] dense = SagLaneSolver.Solve(x.Span, labels, p, 0, default, dense: true);

        AssertIdentical(split, alternating);
        SagDenseTests.AssertAgree(split, dense, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertSamePredictions(split, dense, x.Span, multinomial);
    }

    // Octets against the reference pair loop (two steps per pass, one row-product correction per pair).
    [TestCaseSource(typeof(SagPairTests), nameof(SagPairTests.Cases))]
    [Category("Dataset")]
    public void Solve_SplitVsPairs_SameIterationsAndPredictionsCoefWithinRounding(bool multinomial, bool saga, double tolerance, int maxIterations)
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(multinomial, saga, tolerance, maxIterations);

        SagResult[] split = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false);
        SagResult[] pairs = SagLaneSolver.Solve(x.Span, labels, p, 0, default, dense: false, quads: false);

        SagDenseTests.AssertAgree(split, pairs, RelativeTolerance, tolerance > 0);
        SagDenseTests.AssertSamePredictions(split, pairs, x.Span, multinomial);
    }

    // Every remainder mod 8 but 7 (Rows: the tests above), i.e. the last octet of an epoch 1–8 steps long, with and
    // without the intercept.
    [TestCase(1993, true)]
    [TestCase(1994, false)]
    [TestCase(1995, true)]
    [TestCase(1996, false)]
    [TestCase(1997, true)]
    [TestCase(1998, false)]
    [TestCase(2000, true)]
    [Category("Dataset")]
    public void Solve_EveryEpochRemainder_SameAsQuads(int rows, bool fitIntercept)
    {
        foreach (bool multinomial in new[] { true, false })
        {
            (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(multinomial, true, 0.0, 4, rows, fitIntercept);

            SagResult[] split = SagLaneSplitSolver.Solve(x, labels, p, 0, default);
            SagResult[] alternating = SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false);
            SagResult[] quads = SagLaneQuadSolver.Solve(x.Span, labels, p, 0, default);

            AssertIdentical(split, alternating);
            SagDenseTests.AssertAgree(split, quads, RelativeTolerance, false);
            SagDenseTests.AssertSamePredictions(split, quads, x.Span, multinomial);
        }
    }

    [Test]
    [Category("Dataset")]
    public void Solve_MoreEpochs_NoMoreAllocation()
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(true, true, 0.0, 2);
        SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: false);
        SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: true);

        // One thread alternating the two workers: exactly the setup's bytes, whatever the number of epochs.
        (long twoEpochs, long sixEpochs) = OneThreadBytes(epochs => SagLaneSplitSolver.Solve(x, labels, p with { MaxIterations = epochs }, 0, default, partner: false));
        Assert.That(sixEpochs, Is.EqualTo(twoEpochs), "bytes allocated by 6 epochs vs 2 (one thread)");

        // Two threads: the caller's bytes and the partner thread's own (the process's count also takes in the test
        // host's threads, ~1.5 KB per second of fit, which failed this check with SIMD off). Any per-epoch buffer would
        // be ≥ 8·d bytes per epoch; the runtime allocates a little once in a while (64 B the first time a thread is moved
        // off a CPU, ~0.5 KB after a gen-2 collection trims the array pool), hence the 1 KB allowance. The process's
        // count stays as a looser backstop for work the solver might hand to other threads.
        (long twoThreadsTwoEpochs, long processTwoEpochs) = TwoThreadBytes(x, labels, p);
        (long twoThreadsSixEpochs, long processSixEpochs) = TwoThreadBytes(x, labels, p with { MaxIterations = 6 });
        Assert.That(twoThreadsSixEpochs - twoThreadsTwoEpochs, Is.LessThan(1024), "bytes allocated by 6 epochs vs 2 (the two threads)");
        Assert.That(processSixEpochs - processTwoEpochs, Is.LessThan(16 * 1024), "bytes allocated by 6 epochs vs 2 (the process)");
    }

    // The bytes `solve` allocates on this thread for 2 and for 6 epochs. A gen-2 collection during either (other tests'
    // large arrays make them likelier) trims the array pool, so that the next set-up allocates its scratch afresh
    // (+7.6 KB, measured): such a measurement is repeated, at most three times.
    internal static (long TwoEpochs, long SixEpochs) OneThreadBytes(Action<int> solve)
    {
        for (int attempt = 0; ; attempt++)
        {
            int collections = GC.CollectionCount(2);
            long before = GC.GetAllocatedBytesForCurrentThread();
            solve(2);
            long twoEpochs = GC.GetAllocatedBytesForCurrentThread() - before;
            before = GC.GetAllocatedBytesForCurrentThread();
            solve(6);
            long sixEpochs = GC.GetAllocatedBytesForCurrentThread() - before;
            if (GC.CollectionCount(2) == collections || attempt == 2)
            {
                return (twoEpochs, sixEpochs);
            }
        }
    }

    // The bytes a two-thread solve allocates on the calling thread and on the partner thread (with the partner
    // running), and in the whole process.
    private static (long Threads, long Process) TwoThreadBytes(ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) =>
        WithPartnerStarted(counts =>
        {
            using SagLanePartnerThread thread = new(null);
            long process = GC.GetTotalAllocatedBytes(precise: true);
            long before = GC.GetAllocatedBytesForCurrentThread();
            SagLaneSplitSolver.Solve(x, labels, p, 0, default, partner: true, counts: counts, thread: thread);
            long caller = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.That(thread.Task.Wait(TimeSpan.FromSeconds(60)), Is.True, "the partner thread ended");
            return (caller + thread.WorkAllocatedBytes, GC.GetTotalAllocatedBytes(precise: true) - process);
        });

    [Test]
    [Category("Dataset")]
    public void Solve_CancelledToken_ThrowsOperationCanceled()
    {
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(true, true, 0.0, 5);
        using CancellationTokenSource cancelled = new();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => SagLaneSplitSolver.Solve(x, labels, p, 0, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => SagLaneSplitSolver.Solve(x, labels, p, 0, cancelled.Token, partner: false));
    }

    [Test]
    [Category("Dataset")]
    public void Solve_CancelledWhileRunning_StopsBothWorkers()
    {
        // Thousands of epochs (~1 ms each): cancelled after 50 ms, the call must end with OperationCanceledException.
        (ReadOnlyMemory2D<float> x, int[] labels, SagProblem p) = Problem(true, true, 0.0, 100_000);
        using CancellationTokenSource cancel = new(TimeSpan.FromMilliseconds(50));
        Task solve = Task.Factory.StartNew(() => SagLaneSplitSolver.Solve(x, labels, p, 0, cancel.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.That(() => solve.Wait(TimeSpan.FromSeconds(60)), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
    }

    [Test]
    [Category("Dataset")]
    public void Applies_LargeSparseProblem_OnlyWithTwoThreadsAllowedAndCoresFree()
    {
        int rows = 6000;
        float[] pixels = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(rows));
        ReadOnlyMemory2D<float> x = new(pixels, rows, 784);
        SagProblem p = new(10, true, true, 1.0 / rows, 0.0, 0.001, 3, 1e-4, 1u, true);
        Assert.That(SagLaneSplitSolver.Applies(x.Span, p), Is.EqualTo(Environment.ProcessorCount >= 2), "free cores, default scheduler");
        Assert.That(SagLaneSplitSolver.Applies(new ReadOnlyMemory2D<float>(pixels, Rows, 784).Span, p), Is.False, "small problem");

        using (EngineParallel.ShareCores())
        {
            Assert.That(SagLaneSplitSolver.Applies(x.Span, p), Is.False, "cores shared with other workers");
        }

        var limit = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, 1);
        bool underLimit = Task.Factory.StartNew(() => SagLaneSplitSolver.Applies(x.Span, p), CancellationToken.None, TaskCreationOptions.None, limit.ConcurrentScheduler).Result;
        limit.Complete();
        Assert.That(underLimit, Is.False, "one thread allowed");
    }

    [Test]
    public void Applies_LargeDenseProblem_FromSixtyFourFeatures()
    {
        // Dense rows (no zeros): 60 000 rows of 72 features as the study's HOG fit, 64 features just large enough
        // (n·d ≥ 2²²), and 40 features (PCA-40) on enough rows to be large: only the width keeps that one on one thread.
        SagProblem p = new(10, true, true, 1.0 / 60000, 0.0, 0.001, 3, 1e-4, 1u, true);
        float[] values = new float[120_000 * 40];
        Array.Fill(values, 0.5f);
        bool twoCores = Environment.ProcessorCount >= 2;

        Assert.That(SagLaneSplitSolver.Applies(new ReadOnlySpan2D<float>(values, 60_000, 72), p), Is.EqualTo(twoCores), "60 000 × 72");
        Assert.That(SagLaneSplitSolver.Applies(new ReadOnlySpan2D<float>(values, 65_536, 64), p), Is.EqualTo(twoCores), "65 536 × 64");
        Assert.That(SagLaneSplitSolver.Applies(new ReadOnlySpan2D<float>(values, 65_535, 64), p), Is.False, "65 535 × 64: small");
        Assert.That(SagLaneSplitSolver.Applies(new ReadOnlySpan2D<float>(values, 120_000, 40), p), Is.False, "120 000 × 40: narrow");
    }

    [Test]
    public void SplitPoint_Columns_BalancesNonZerosAtAlignedFeature()
    {
        // Non-zeros only in columns 64..127: the balance point is column 96.
        float[] values = new float[10 * 200];
        for (int i = 0; i < 10; i++)
        {
            values.AsSpan((i * 200) + 64, 64).Fill(1f);
        }

        Assert.That(SagLaneSplitSolver.SplitPoint(new ReadOnlySpan2D<float>(values, 10, 200)), Is.EqualTo(96));
    }

    private static (ReadOnlyMemory2D<float> X, int[] Labels, SagProblem P) Problem(
        bool multinomial, bool saga, double tolerance, int maxIterations, int rows = Rows, bool fitIntercept = true)
    {
        ReadOnlyMemory2D<float> x = new(s_pixels.Value, 0, rows, 784, 0);
        int[] labels = LogisticRegressionData.TrainLabels(rows).ToArray();
        double alphaScaled = 1.0 / rows;
        double step = SagProblem.AutoStepSize(SparseRows.ScanMaxSquaredSum(x.Span, "x"), alphaScaled, fitIntercept, rows, saga);
        return (x, labels, new SagProblem(10, multinomial, saga, alphaScaled, 0.0, step, maxIterations, tolerance, 209652396u, fitIntercept));
    }

    internal static void AssertIdentical(SagResult[] a, SagResult[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length));
        for (int c = 0; c < a.Length; c++)
        {
            Assert.That(a[c].Weights, Is.EqualTo(b[c].Weights), $"weights of result {c}");
            Assert.That(a[c].Intercept, Is.EqualTo(b[c].Intercept), $"intercepts of result {c}");
            Assert.That(a[c].Iterations, Is.EqualTo(b[c].Iterations), $"n_iter_ of result {c}");
            Assert.That(a[c].Converged, Is.EqualTo(b[c].Converged), $"converged flag of result {c}");
            Assert.That(a[c].FinalChange, Is.EqualTo(b[c].FinalChange), $"final change of result {c}");
        }
    }
}
