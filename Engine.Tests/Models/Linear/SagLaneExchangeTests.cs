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

    // Side messages: their own buffers (every message and every other side message of both workers stay as written),
    // double-buffered by parity, and a prefetch leaves them as written.
    [TestCase(0, 1L)]
    [TestCase(1, 2L)]
    [TestCase(1, 3L)]
    public void Side_WrittenAndPrefetched_ReadAsWrittenMessagesUntouched(int worker, long round)
    {
        SagLaneExchange exchange = new();
        double[] message = [.. Enumerable.Range(0, SagLaneExchange.Capacity).Select(v => (v * 0.5) - 7.0)];
        double[] other = [.. Enumerable.Range(0, SagLaneExchange.SideCapacity).Select(v => -1.0 - v)];
        for (int w = 0; w < 2; w++)
        {
            for (long r = round; r < round + 2; r++)
            {
                message.CopyTo(exchange.Outbox(w, r));
                other.CopyTo(exchange.Side(w, r));
            }
        }

        double[] expected = [.. Enumerable.Range(0, SagLaneExchange.SideCapacity).Select(v => (v * 0.25) + 3.0)];
        expected.CopyTo(exchange.Side(worker, round));
        exchange.PrefetchSide(worker, round, SagLaneExchange.SideCapacity);

        Assert.That(exchange.Side(worker, round).ToArray(), Is.EqualTo(expected));
        Assert.That(exchange.Side(worker, round + 1).ToArray(), Is.EqualTo(other), "the other parity");
        Assert.That(exchange.Side(1 - worker, round).ToArray(), Is.EqualTo(other), "the other worker's");
        for (int w = 0; w < 2; w++)
        {
            for (long r = round; r < round + 2; r++)
            {
                Assert.That(exchange.Outbox(w, r).ToArray(), Is.EqualTo(message), $"worker {w}'s message of round {r}");
            }
        }
    }

    // A hand-over request travels in the published round number: the message is received as usual, and only the round
    // published with the request reads as handed over.
    [Test]
    public void Publish_WithHandOver_ReceivedAndHandedOverOnlyThatRound()
    {
        SagLaneExchange exchange = new();
        double[] expected = [.. Enumerable.Range(0, SagLaneExchange.Capacity).Select(v => v * 0.125)];

        exchange.Publish(0, 5);
        Assert.That(exchange.HandedOver(0, 5), Is.False, "published without the request");

        expected.CopyTo(exchange.Outbox(0, 6));
        exchange.Publish(0, 6, handOver: true);
        Assert.That(exchange.Inbox(0, 6).ToArray(), Is.EqualTo(expected));
        Assert.That(exchange.HandedOver(0, 6), Is.True);
        Assert.That(exchange.HandedOver(1, 6), Is.False, "the other worker's round number");

        exchange.Publish(0, 7);
        Assert.That(exchange.HandedOver(0, 7), Is.False, "the next round, published without the request");
    }

    // A request left in the round number makes the next round's message look published: the receiver of that round
    // must not go on with the stale message in the buffer. Withdrawn (the round published again), it waits as usual.
    [Test]
    public void HandedOver_RequestOfAnEarlierRound_ThrowsUntilWithdrawn()
    {
        SagLaneExchange exchange = new();
        exchange.Publish(0, 6, handOver: true);

        Assert.That(
            () => exchange.HandedOver(0, 7),
            Throws.InvalidOperationException.With.Message.Contains("round 6").And.Message.Contains("round 7"));

        exchange.Publish(0, 6);
        Assert.That(exchange.HandedOver(0, 7), Is.False);
        Assert.That(exchange.HandedOver(0, 6), Is.False, "withdrawn");
    }

    [TestCase(-1)]
    [TestCase(SagLaneExchange.SideCapacity + 1)]
    public void PrefetchSide_LengthOutsideSideMessage_Throws(int length)
    {
        SagLaneExchange exchange = new();
        Assert.That(
            () => exchange.PrefetchSide(0, 1, length),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("length"));
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
