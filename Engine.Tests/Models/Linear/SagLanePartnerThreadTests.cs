using System.Collections.Concurrent;
using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The partner thread started ahead of the two-thread SAGA (<see cref="SagLanePartnerThread"/>) and the max_squared_sum
/// scan it helps with (<see cref="SparseRows.ChunkedScan{T}"/>).
/// </summary>
public class SagLanePartnerThreadTests
{
    // 6 000 × 784 values: above the size from which the scan is split, and from which a fit starts the partner early.
    private const int Rows = 6000;

    [Test]
    public void Start_AfterItsWorkBefore_RunsBothInOrderOnTheSameThread()
    {
        ConcurrentQueue<(string What, int Thread)> ran = new();
        using SagLanePartnerThread partner = new(() => ran.Enqueue(("before", Environment.CurrentManagedThreadId)));

        Task task = partner.Start(() => ran.Enqueue(("work", Environment.CurrentManagedThreadId)));

        Assert.That(task.Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(ran.Select(r => r.What), Is.EqualTo(new[] { "before", "work" }));
        Assert.That(ran.Select(r => r.Thread).Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void WorkAllocatedBytes_CountsTheWorksBytesOnly()
    {
        byte[]? before = null;
        byte[]? work = null;
        using SagLanePartnerThread partner = new(() => before = new byte[100_000]);

        Assert.That(partner.Start(() => work = new byte[10_000]).Wait(TimeSpan.FromSeconds(10)), Is.True);

        Assert.That(partner.WorkAllocatedBytes, Is.InRange(10_000, 10_100), "an array of 10 000 bytes and its header");
        Assert.That(before, Is.Not.Null);
        Assert.That(work, Is.Not.Null);
    }

    [Test]
    public void Dispose_WithoutWork_ThreadEndsAndStartThrows()
    {
        bool ranBefore = false;
        SagLanePartnerThread partner = new(() => ranBefore = true);

        partner.Dispose();

        Assert.That(partner.Task.Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(ranBefore, Is.True);
        Assert.Throws<InvalidOperationException>(() => partner.Start(() => { }));
    }

    [Test]
    public void Start_Twice_Throws()
    {
        using SagLanePartnerThread partner = new(null);
        partner.Start(() => { }).Wait(TimeSpan.FromSeconds(10));

        Assert.Throws<InvalidOperationException>(() => partner.Start(() => { }));
    }

    [Test]
    public void ChunkedScan_WithThePartnerHelping_EqualsSequentialExactly()
    {
        Random random = new(3);
        float[] x = [.. Enumerable.Range(0, Rows * 784).Select(_ => random.NextDouble() < 0.5 ? 0f : (float)random.NextDouble())];
        double sequential = SparseRows.ScanMaxSquaredSum(new ReadOnlySpan2D<float>(x, Rows, 784), "x");

        SparseRows.ChunkedScan<float> scan = new(new ReadOnlyMemory2D<float>(x, Rows, 784));
        using SagLanePartnerThread partner = new(scan.Work);
        double chunked = scan.Finish("x");

        Assert.That(chunked, Is.EqualTo(sequential));
    }

    // Bad rows in two chunks (the later one scanned first when the helper takes it): the first row is named, as by the
    // sequential scan.
    [Test]
    public void ChunkedScan_TwoBadRows_NamesTheFirst()
    {
        float[] x = new float[Rows * 784];
        x[(5000 * 784) + 3] = float.NaN;
        x[(4000 * 784) + 7] = float.PositiveInfinity;

        SparseRows.ChunkedScan<float> scan = new(new ReadOnlyMemory2D<float>(x, Rows, 784));
        using SagLanePartnerThread partner = new(scan.Work);
        ArgumentException e = Assert.Throws<ArgumentException>(() => scan.Finish("x"))!;

        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at row 4000, column 7"));
    }

    // A multinomial SAGA fit large enough for the split starts the partner before its scan: a bad value still names the
    // first bad row, and the thread is let go.
    [Test]
    public void Fit_LargeMultinomialSagaWithBadValues_ThrowsNamingTheFirstRow()
    {
        float[] x = new float[Rows * 784];
        int[] y = [.. Enumerable.Range(0, Rows).Select(i => i % 3)];
        x[(5999 * 784) + 1] = float.NaN;
        x[(2500 * 784) + 9] = float.NegativeInfinity;
        LogisticRegression model = new(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 1, RandomState = 0 });

        ArgumentException e = Assert.Throws<ArgumentException>(() => model.Fit(new ReadOnlyMemory2D<float>(x, Rows, 784), y))!;

        Assert.That(e.Message, Does.Contain("at row 2500, column 9"));
    }
}
