using FashionCore.Internals;

namespace FashionCore.Tests.Internals;

public class EngineParallelTests
{
    [Test]
    public void For_FailingIteration_ThrowsItsExceptionUnwrapped()
    {
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => EngineParallel.For(8, i =>
        {
            if (i == 5)
            {
                throw new InvalidOperationException("iteration 5");
            }
        }))!;
        Assert.That(e.Message, Is.EqualTo("iteration 5"));
        Assert.That(e.StackTrace, Does.Contain(nameof(For_FailingIteration_ThrowsItsExceptionUnwrapped)));
    }

    [Test]
    public void For_CancelledToken_ThrowsOperationCanceled()
    {
        using CancellationTokenSource cts = new();
        cts.Cancel();
        Assert.That(() => EngineParallel.For(4, _ => { }, cancellationToken: cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void For_RunsEveryIterationOnce()
    {
        int[] counts = new int[100];
        EngineParallel.For(counts.Length, i => Interlocked.Increment(ref counts[i]), maxDegreeOfParallelism: 2);
        Assert.That(counts, Is.All.EqualTo(1));
    }
}
