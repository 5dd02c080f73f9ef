using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The mailboxes of the two-thread SAGA split (<see cref="SagLaneExchange"/>), on one thread.</summary>
public class SagLaneExchangeTests
{
    // Both workers, both parities (worker 1's odd round is the last buffer of the array), the whole capacity: a
    // prefetch before or after publishing must leave the message as written.
    [TestCase(0, 1L)]
    [TestCase(1, 2L)]
    [TestCase(1, 3L)]
    public void PrefetchIfPublished_BeforeAndAfterPublish_MessageReadUnchanged(int worker, long round)
    {
        SagLaneExchange exchange = new();
        double[] expected = [.. Enumerable.Range(0, SagLaneExchange.Capacity).Select(v => (v * 0.5) - 7.0)];
        expected.CopyTo(exchange.Outbox(worker, round));

        exchange.PrefetchIfPublished(worker, round, SagLaneExchange.Capacity);
        exchange.Publish(worker, round);
        exchange.PrefetchIfPublished(worker, round, SagLaneExchange.Capacity);

        Assert.That(exchange.Inbox(worker, round).ToArray(), Is.EqualTo(expected));
    }

    // A claim touches only its own message's buffer (the other parity and the other worker's stay as written), and
    // the message written after it is what is read.
    [TestCase(0, 1L)]
    [TestCase(1, 2L)]
    [TestCase(1, 3L)]
    public void Claim_ThenWrite_MessageReadAsWrittenOthersUntouched(int worker, long round)
    {
        SagLaneExchange exchange = new();
        double[] expected = [.. Enumerable.Range(0, SagLaneExchange.Capacity).Select(v => (v * 0.5) - 7.0)];
        double[] other = [.. expected.Select(v => -v)];
        other.CopyTo(exchange.Outbox(worker, round + 1));
        other.CopyTo(exchange.Outbox(1 - worker, round));

        exchange.Claim(worker, round, SagLaneExchange.Capacity);
        expected.CopyTo(exchange.Outbox(worker, round));
        exchange.Publish(worker, round);

        Assert.That(exchange.Inbox(worker, round).ToArray(), Is.EqualTo(expected));
        Assert.That(exchange.Outbox(worker, round + 1).ToArray(), Is.EqualTo(other));
        Assert.That(exchange.Outbox(1 - worker, round).ToArray(), Is.EqualTo(other));
    }

    [TestCase(-1)]
    [TestCase(SagLaneExchange.Capacity + 1)]
    public void Claim_LengthOutsideMessage_Throws(int length)
    {
        SagLaneExchange exchange = new();
        Assert.That(
            () => exchange.Claim(0, 1, length),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("length"));
    }

    [TestCase(-1)]
    [TestCase(SagLaneExchange.Capacity + 1)]
    public void PrefetchIfPublished_LengthOutsideMessage_Throws(int length)
    {
        SagLaneExchange exchange = new();
        Assert.That(
            () => exchange.PrefetchIfPublished(0, 1, length),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("length"));
    }
}
