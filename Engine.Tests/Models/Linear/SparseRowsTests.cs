using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

public class SparseRowsTests
{
    // 6 000 × 784 values: above the size from which the scan is split across threads.
    private const int Rows = 6000;

    [Test]
    [Category("Dataset")]
    public void ScanMaxSquaredSum_ParallelOnPixels_EqualsSequentialExactly()
    {
        float[] x = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(Rows));
        double sequential = SparseRows.ScanMaxSquaredSum(new ReadOnlySpan2D<float>(x, Rows, 784), "x");

        double parallel = SparseRows.ScanMaxSquaredSum(new ReadOnlyMemory2D<float>(x, Rows, 784), "x");

        Assert.That(parallel, Is.EqualTo(sequential));
        Assert.That(parallel, Is.GreaterThan(100.0), "pixels/255 rows have squared norms of a few hundred");
    }

    [Test]
    public void ScanMaxSquaredSum_ParallelWithTwoBadRows_NamesTheFirst()
    {
        float[] x = new float[Rows * 784];
        x[(5000 * 784) + 3] = float.NaN;
        x[(4000 * 784) + 7] = float.PositiveInfinity;

        ArgumentException e = Assert.Throws<ArgumentException>(() => SparseRows.ScanMaxSquaredSum(new ReadOnlyMemory2D<float>(x, Rows, 784), "x"))!;

        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at row 4000, column 7"));
    }

    [Test]
    public void ScanMaxSquaredSum_UnderOneThreadLimit_SameResult()
    {
        float[] x = new float[Rows * 784];
        x[(123 * 784) + 5] = 3f;
        x[(5999 * 784) + 783] = -4f;
        var pair = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, 1);

        double result = Task.Factory.StartNew(
            () => SparseRows.ScanMaxSquaredSum(new ReadOnlyMemory2D<float>(x, Rows, 784), "x"),
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            pair.ConcurrentScheduler).GetAwaiter().GetResult();
        pair.Complete();

        Assert.That(result, Is.EqualTo(16.0));
    }
}
