using System.Text.Json;
using FashionCore.Models.Clustering;
using FashionCore.Numerics.Random;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Models.Clustering;

/// <summary>Parity with scikit-learn 1.2.1 on the study's 30 000-row standardized subset (Golden/kmeans/kmeans.json).</summary>
[Category("Dataset")]
public class KMeansGoldenTests
{
    private static readonly Lazy<JsonElement> s_golden = new(() => GoldenJson.Load("kmeans/kmeans.json"));

    private static IEnumerable<TestCaseData> Runs()
    {
        // (random_state, n_init) as in make_kmeans_golden.py
        yield return new TestCaseData(0u, 1);
        yield return new TestCaseData(1u, 1);
        yield return new TestCaseData(42u, 1);
        yield return new TestCaseData(7u, 1);
        yield return new TestCaseData(0u, 10);
    }

    [TestCaseSource(nameof(Runs))]
    public void Fit_DoubleInput_EqualsSklearn(uint randomState, int initCount)
    {
        JsonElement g = Find(randomState, initCount);
        KMeansModel m = new KMeans(new KMeansOptions { Clusters = 5, InitCount = initCount, RandomState = randomState }).Fit(KMeansTestData.Double);
        AssertMatches(m, g);
    }

    [Test]
    public void Fit_FloatInput_EqualsSklearnOnItsFloat64Data()
    {
        // The float32-rounded data differ from sklearn's float64 input by ≤ 6e-8 relative per value; no row of this
        // run is that close to a tie, so labels and n_iter agree and inertia/centres agree to float rounding.
        JsonElement g = Find(0, 1);
        KMeansModel m = new KMeans(new KMeansOptions { Clusters = 5, InitCount = 1, RandomState = 0 }).Fit(KMeansTestData.Float);
        Assert.That(LabelString(m), Is.EqualTo(g.GetProperty("labels").GetString()));
        Assert.That(m.Iterations, Is.EqualTo(g.GetProperty("n_iter").GetInt32()));
        Assert.That(m.Inertia, Is.EqualTo(g.GetProperty("inertia").GetDouble()).Within(1e-6).Percent);
    }

    [TestCase(0u)]
    [TestCase(42u)]
    public void KMeansPlusPlus_SameRandomState_PicksSklearnRows(uint randomState)
    {
        JsonElement g = Find(randomState, 1);
        KMeansSolver<double> solver = new(KMeansTestData.Double);
        int[] indices = new int[5];
        solver.KMeansPlusPlus(new Mt19937(randomState), 5, indices, new double[5 * 784]);
        Assert.That(indices, Is.EqualTo(g.GetProperty("kpp_indices").Ints()));
    }

    [Test]
    public void Fit_WithAndWithoutBounds_GiveIdenticalLabelsAndIterations()
    {
        // k = 9, random_state 0 runs 133 iterations in sklearn: many rows are skipped, so this exercises the bounds.
        KMeansOptions o = new() { Clusters = 9, InitCount = 1, RandomState = 0 };
        KMeansModel bounded = new KMeans(o).Fit(KMeansTestData.Float);
        KMeansModel plain = new KMeans(o) { UseBounds = false }.Fit(KMeansTestData.Float);
        Assert.That(bounded.Labels.ToArray(), Is.EqualTo(plain.Labels.ToArray()));
        Assert.That(bounded.Iterations, Is.EqualTo(plain.Iterations));
        Assert.That(bounded.Inertia, Is.EqualTo(plain.Inertia).Within(1e-12).Percent); // incremental vs re-summed cluster sums
        JsonElement sk = s_golden.Value.GetProperty("elbow_n_init1_rs0")[8];
        Assert.That(bounded.Iterations, Is.EqualTo(sk.GetProperty("n_iter").GetInt32()));
        Assert.That(bounded.Inertia, Is.EqualTo(sk.GetProperty("inertia").GetDouble()).Within(1e-6).Percent);
    }

    [Test]
    public void Elbow_KOneToTen_EqualsSklearnCurveAndFindsKnee()
    {
        JsonElement[] sk = [.. s_golden.Value.GetProperty("elbow_n_init1_rs0").EnumerateArray()];
        KMeansElbowResult elbow = KMeansElbow.Compute(KMeansTestData.Float, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], new KMeansOptions { InitCount = 1, RandomState = 0 });
        for (int i = 0; i < 10; i++)
        {
            // float32 input (see Fit_FloatInput_EqualsSklearnOnItsFloat64Data): same iterations, inertia to float rounding
            Assert.That(elbow.Iterations[i], Is.EqualTo(sk[i].GetProperty("n_iter").GetInt32()), $"k={i + 1}");
            Assert.That(elbow.Inertia[i], Is.EqualTo(sk[i].GetProperty("inertia").GetDouble()).Within(1e-6).Percent, $"k={i + 1}");
        }

        // The knee of sklearn's own curve by the same rule (max distance below the chord, normalized axes).
        int expectedKnee = KMeansElbow.FindKnee([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [.. sk.Select(e => e.GetProperty("inertia").GetDouble())]);
        Assert.That(elbow.KneeIndex, Is.EqualTo(expectedKnee));
        Assert.That(elbow.KneeClusterCount, Is.EqualTo(4)); // normalized gaps .339 .395 .422 .372 … for k = 2, 3, 4, 5
    }

    [Test]
    public void AdjustedRandIndex_SklearnLabelsOfTheSubset_EqualsSklearnScore()
    {
        JsonElement g = Find(0, 1);
        int[] clusters = [.. g.GetProperty("labels").GetString()!.Select(ch => ch - '0')];
        Assert.That(ClusterAgreement.AdjustedRandIndex(KMeansTestData.Labels, clusters), Is.EqualTo(g.GetProperty("ari_vs_labels").GetDouble()));
        ContingencyTable table = ContingencyTable.Compute(clusters, KMeansTestData.Labels);
        Assert.That(table.Total, Is.EqualTo(30000));
        Assert.That(table.ColumnLabels.ToArray(), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    private static void AssertMatches(KMeansModel m, JsonElement g)
    {
        Assert.Multiple(() =>
        {
            Assert.That(LabelString(m), Is.EqualTo(g.GetProperty("labels").GetString()));
            Assert.That(m.Iterations, Is.EqualTo(g.GetProperty("n_iter").GetInt32()));

            // Same float64 data and same operations up to summation order (sklearn: BLAS/OpenMP order; here 256-row
            // chunks, FMA): differences are a few ulps per sum, so 1e-12 relative is ample and still catches any
            // single relabelled row (which moves the inertia by ≥ 1e-8 relative here).
            Assert.That(m.Inertia, Is.EqualTo(g.GetProperty("inertia").GetDouble()).Within(1e-10).Percent);
            double[,] c = m.ClusterCenters.ToArray();
            double[] sums = g.GetProperty("center_sums").Doubles();
            double[] sumsq = g.GetProperty("center_sumsq").Doubles();
            double[] head = g.GetProperty("center_head").Doubles();
            for (int j = 0; j < 5; j++)
            {
                double s = 0, q = 0;
                for (int f = 0; f < 784; f++)
                {
                    s += c[j, f];
                    q += c[j, f] * c[j, f];
                }

                Assert.That(s, Is.EqualTo(sums[j]).Within(1e-9));
                Assert.That(q, Is.EqualTo(sumsq[j]).Within(1e-10).Percent);
                for (int f = 0; f < 8; f++)
                {
                    Assert.That(c[j, f], Is.EqualTo(head[(j * 8) + f]).Within(1e-12));
                }
            }
        });
    }

    private static string LabelString(KMeansModel m) => string.Concat(m.Labels.ToArray().Select(v => (char)('0' + v)));

    private static JsonElement Find(uint randomState, int initCount) =>
        s_golden.Value.GetProperty("runs").EnumerateArray().First(r =>
            r.GetProperty("random_state").GetUInt32() == randomState && r.GetProperty("n_init").GetInt32() == initCount);
}
