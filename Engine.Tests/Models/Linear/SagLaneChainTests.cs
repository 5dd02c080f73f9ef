using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The scalar chain's contracts that the two-thread split relies on: worker 1 advances the scale and step sums alone
/// (<see cref="SagLaneChain.AdvanceScalars"/>) and forms each update's coef from worker 0's δ and factor.
/// </summary>
public sealed class SagLaneChainTests
{
    [TestCase(true, 0b1111_1111, 8)]
    [TestCase(true, 0b1011_0101, 8)]
    [TestCase(true, 0b0000_0001, 8)]
    [TestCase(true, 0b0010_1101, 6)]
    [TestCase(false, 0b1011_0101, 8)]
    [TestCase(false, 0b0000_0011, 3)]
    public void AdvanceScalars_OctetsOfDraws_SameStepSumsScaleAndStepSumAsSteps(bool saga, int firstDraws, int m)
    {
        SagProblem p = new(10, true, saga, 1.0 / 60000, 0.0, 0.0076, 3, 0.0, 1u, true);
        SagLanes used = SagLanes.LessThan(SagLanes.Index, SagLanes.Broadcast(10));
        SagLaneChain stepped = new(p, used);
        SagLaneChain advanced = new(p, used);
        Random random = new(5);
        double[] memory = new double[SagLanes.Count];
        double[] sums = new double[8];

        // Three octets in a row: the state carries over (the seen count grows only at first draws; the fit's first step
        // is always one, as here).
        for (int octet = 0; octet < 3; octet++)
        {
            int draws = octet == 0 ? firstDraws : firstDraws & 0b0101_0101;
            double[] expected = new double[m];
            for (int r = 0; r < m; r++)
            {
                expected[r] = stepped.StepSum;
                bool first = (draws & (1 << r)) != 0;
                SagLanes zU = SagOctetKernelsTests.RandomLanes(random);
                SagLanes zA = SagOctetKernelsTests.RandomLanes(random);
                SagLanes previous = SagLaneChain.Previous(ref memory[0], first);
                (SagLanes coef, SagLanes delta) = stepped.Step(zU, zA, random.Next(10), 0, previous, first, ref memory[0], true, 0);
                Assert.That(coef, Is.EqualTo(stepped.Factor * delta), $"octet {octet}, step {r}: coef is the factor times δ");
            }

            advanced.AdvanceScalars(draws, m, sums);
            Assert.That(sums[..m], Is.EqualTo(expected), $"octet {octet}: step sums before each step");
            Assert.That(advanced.Scale, Is.EqualTo(stepped.Scale), $"octet {octet}: scale after the octet");
            Assert.That(advanced.StepSum, Is.EqualTo(stepped.StepSum), $"octet {octet}: step sum after the octet");
        }

        Assert.That(stepped.StepSum, Is.GreaterThan(0.0), "the steps moved the step sum");
    }
}
