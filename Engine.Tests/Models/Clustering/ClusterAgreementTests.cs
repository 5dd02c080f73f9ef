using FashionCore.Models.Clustering;

namespace FashionCore.Tests.Models.Clustering;

public class ClusterAgreementTests
{
    // Expected values printed by sklearn 1.2.1 metrics.adjusted_rand_score; exact because both sides compute the
    // pair counts in integers and do the same two float operations.
    [TestCase(new[] { 0, 0, 1, 2 }, new[] { 0, 0, 1, 1 }, 0.5714285714285714)]
    [TestCase(new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 3 }, 0.0)]
    [TestCase(new[] { 0, 0, 1, 1 }, new[] { 1, 1, 0, 0 }, 1.0)]
    [TestCase(new[] { 5, 5, 7, 7, 7, 9 }, new[] { 1, 2, 1, 2, 2, 2 }, -0.23853211009174313)]
    [TestCase(
        new[] { 2, 0, 1, 3, 0, 0, 0, 1, 1, 3, 2, 3, 1, 1, 2, 1, 3, 2, 0, 0, 0, 1, 3, 2, 0, 2, 1, 2, 2, 2, 2, 3, 0, 1, 3, 2, 1, 0, 2, 1, 1, 2, 0, 3, 2, 3, 0, 3, 1, 3 },
        new[] { 0, 1, 0, 2, 1, 1, 2, 0, 0, 2, 0, 0, 1, 2, 0, 1, 0, 0, 1, 1, 2, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 2, 2, 0, 1, 1, 2, 0, 1, 1, 0, 1, 0, 2, 2, 0, 0, 2 },
        0.06101547528945716)]
    public void AdjustedRandIndex_SklearnCases_EqualSklearn(int[] labelsTrue, int[] labelsPredicted, double expected)
    {
        Assert.That(ClusterAgreement.AdjustedRandIndex(labelsTrue, labelsPredicted), Is.EqualTo(expected));
        Assert.That(ClusterAgreement.AdjustedRandIndex(labelsPredicted, labelsTrue), Is.EqualTo(expected).Within(1e-15)); // symmetric
    }

    [Test]
    public void AdjustedRandIndex_BadLengths_Throw()
    {
        Assert.That(() => ClusterAgreement.AdjustedRandIndex([0, 1], [0]), Throws.ArgumentException);
        Assert.That(() => ClusterAgreement.AdjustedRandIndex([], []), Throws.ArgumentException);
    }

    [Test]
    public void ContingencyTable_Toy_CountsPerClusterAndLabel()
    {
        ContingencyTable t = ContingencyTable.Compute([2, 2, 0, 0, 0, 2], [7, 3, 3, 3, 7, 7]);
        Assert.That(t.RowLabels.ToArray(), Is.EqualTo(new[] { 0, 2 }));
        Assert.That(t.ColumnLabels.ToArray(), Is.EqualTo(new[] { 3, 7 }));
        Assert.That(t.Counts.ToArray(), Is.EqualTo(new long[,] { { 2, 1 }, { 1, 2 } }));
        Assert.That(t.Total, Is.EqualTo(6));
    }

    [Test]
    public void FindKnee_ConvexDecreasingCurve_IsFarthestBelowChord()
    {
        // Normalized: ny = 1, .375, .125, .0625, .025, 0 at nx = 0, .2, …, 1; gaps below the chord 1 − nx are
        // .425, .475, .3375, .175 → the knee is index 2 (k = 3).
        double[] k = [1, 2, 3, 4, 5, 6];
        Assert.That(KMeansElbow.FindKnee(k, [100, 50, 30, 25, 22, 20]), Is.EqualTo(2));
        Assert.That(KMeansElbow.FindKnee(k, [6, 5, 4, 3, 2, 1]), Is.EqualTo(-1)); // a straight line has no knee
        Assert.That(KMeansElbow.FindKnee([1, 2], [5, 1]), Is.EqualTo(-1));
    }

    [Test]
    public void AdjustedRandIndex_BadLengths_NameItsOwnParameters()
    {
        ArgumentException mismatch = Assert.Throws<ArgumentException>(() => ClusterAgreement.AdjustedRandIndex([0, 1], [0]))!;
        ArgumentException empty = Assert.Throws<ArgumentException>(() => ClusterAgreement.AdjustedRandIndex([], []))!;

        Assert.That(mismatch.ParamName, Is.EqualTo("labelsPredicted"));
        Assert.That(mismatch.Message, Does.Contain("'labelsPredicted' must have length 2 but has 1"));
        Assert.That(empty.ParamName, Is.EqualTo("labelsTrue"));
        Assert.That(empty.Message, Does.Contain("'labelsTrue' must not be empty"));
    }
}
