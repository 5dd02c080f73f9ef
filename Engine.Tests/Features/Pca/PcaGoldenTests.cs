using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;

// The test namespace ends in 'Pca', which would otherwise hide the estimator type.
using PcaEstimator = FashionCore.Features.Pca.Pca;

namespace FashionCore.Tests.Features.Pca;

/// <summary>Parity with scikit-learn 1.2.1 on the real data (goldens in Golden/pca, see make_pca_subsets.py).</summary>
[Category("Dataset")]
public sealed class PcaGoldenTests
{
    private static double[] Array1(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    private static double[][] Array2(JsonElement e) => [.. e.EnumerateArray().Select(Array1)];

    private static JsonElement Load(string file) => JsonDocument.Parse(File.ReadAllText(TestData.GoldenPath(file))).RootElement;

    private static void AssertClose(double[] actual, double[] expected, double tolerance, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        double max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        }

        TestContext.Out.WriteLine($"{what}: max |diff| = {max:E2}");
        Assert.That(max, Is.LessThanOrEqualTo(tolerance), what);
    }

    private static double[] Project(PcaModel model, StandardScalerModel? scaler, ReadOnlySpan2D<float> rows)
    {
        int n = rows.Height;
        int d = rows.Width;
        double[] z = new double[n * d];
        if (scaler is null)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    z[(i * d) + j] = rows[i, j];
                }
            }
        }
        else
        {
            scaler.Transform(rows, new Span2D<double>(z, n, d));
        }

        double[] t = new double[n * model.ComponentCount];
        model.Transform(new ReadOnlySpan2D<double>(z, n, d), new Span2D<double>(t, n, model.ComponentCount));
        return t;
    }

    [Test]
    public void FitStandardized_FullTrainSet_MatchesSklearnFullSolver()
    {
        JsonElement golden = Load("pca/pca40.json");
        JsonElement full = golden.GetProperty("full");
        float[] pixels = TestData.FashionMnist.Train.ToFloatPixels();
        var x = new ReadOnlyMemory2D<float>(pixels, 60000, 784);
        StandardScalerModel scaler = new StandardScaler().Fit(x);
        PcaModel model = new PcaEstimator(new PcaOptions { Components = 40 }).FitStandardized(x, scaler);

        // sklearn's own float64 rounding is ~1e-14 (pca_check.py: covariance-eigh vs gesdd EVR 8e-15, transform
        // 4e-11); the issue's targets are 1e-9 (EVR) and 1e-6 (transform). We assert 1e-12 / 1e-9: tight enough to
        // catch any real error (a wrong sign is O(1), float32 covariance ~1e-7) with margin for ISA-dependent rounding.
        AssertClose(model.ExplainedVarianceRatio.ToArray(), Array1(full.GetProperty("explained_variance_ratio_")), 1e-12, "EVR");
        double[] variance = Array1(full.GetProperty("explained_variance_"));
        AssertClose(model.ExplainedVariance.ToArray(), variance, 1e-12 * variance[0], "explained variance");
        double[] singular = Array1(full.GetProperty("singular_values_"));
        AssertClose(model.SingularValues.ToArray(), singular, 1e-12 * singular[0], "singular values");
        double[] t = Project(model, scaler, x.Span[..5, ..]);
        AssertClose(t, [.. Array2(full.GetProperty("transform_first5")).SelectMany(r => r)], 1e-9, "transform rows 0..4");
        double[][] comps = Array2(full.GetProperty("components_first3_first10"));
        for (int r = 0; r < 3; r++)
        {
            AssertClose(model.Components.GetRowSpan(r)[..10].ToArray(), comps[r], 1e-12, $"component {r}");
        }

        // The float Transform (the pipeline path) is within float rounding of the golden.
        float[] tf = new float[5 * 40];
        float[] zf = new float[5 * 784];
        scaler.Transform(x.Span[..5, ..], new Span2D<float>(zf, 5, 784));
        model.Transform(new ReadOnlySpan2D<float>(zf, 5, 784), new Span2D<float>(tf, 5, 40));
        AssertClose([.. tf.Select(v => (double)v)], t, 1e-5, "float transform vs double transform");

        // How far the default (randomized) solver is from the exact one: documented, not a parity target.
        JsonElement auto = golden.GetProperty("auto");
        double[] autoEvr = Array1(auto.GetProperty("explained_variance_ratio_"));
        double evrGap = model.ExplainedVarianceRatio.ToArray().Zip(autoEvr, (a, b) => Math.Abs(a - b)).Max();
        double[][] autoT = Array2(auto.GetProperty("transform_first5"));
        double tGap = 0;
        double tGap10 = 0;
        for (int i = 0; i < 5; i++)
        {
            for (int r = 0; r < 40; r++)
            {
                double g = Math.Abs(t[(i * 40) + r] - autoT[i][r]);
                tGap = Math.Max(tGap, g);
                tGap10 = r < 10 ? Math.Max(tGap10, g) : tGap10;
            }
        }

        TestContext.Out.WriteLine($"vs randomized (auto): EVR max diff {evrGap:E2}, transform max diff {tGap:E2} (first 10 components {tGap10:E2})");
        Assert.That(evrGap, Is.LessThan(2e-5));
        Assert.That(tGap10, Is.LessThan(1e-5));
    }

    [Test]
    public void Fit_FloatStandardizedFullTrainSet_WithinIssueTolerancesOfSklearn()
    {
        // The pca40_fit benchmark stage: PCA fitted on the standardized pixels stored as float (the peer fits float64
        // ones), i.e. the general float path (background-shifted double Gram, sparse column order, row slabs).
        JsonElement full = Load("pca/pca40.json").GetProperty("full");
        float[] pixels = TestData.FashionMnist.Train.ToFloatPixels();
        var x = new ReadOnlyMemory2D<float>(pixels, 60000, 784);
        StandardScalerModel scaler = new StandardScaler().Fit(x);
        float[] z = new float[pixels.Length];
        scaler.Transform(x.Span, new Span2D<float>(z, 60000, 784));
        PcaModel model = new PcaEstimator(new PcaOptions { Components = 40, MaxDegreeOfParallelism = 2 }).Fit(new ReadOnlyMemory2D<float>(z, 60000, 784));

        // The issue's contract (EVR 1e-9, transformed rows 1e-6). The input itself differs from sklearn's by the float
        // rounding of z (relative 6e-8 per value), which bounds how close any fit on it can get; everything after
        // that is double.
        AssertClose(model.ExplainedVarianceRatio.ToArray(), Array1(full.GetProperty("explained_variance_ratio_")), 1e-9, "EVR (float input)");
        double[] t = Project(model, scaler, x.Span[..5, ..]);
        AssertClose(t, [.. Array2(full.GetProperty("transform_first5")).SelectMany(r => r)], 1e-6, "transform rows 0..4 (float input)");
    }

    private static (float[] Rows, int N) Subset(JsonElement c, bool fiveClasses)
    {
        int n = c.GetProperty("n_samples").GetInt32();
        float[] all = TestData.FashionMnist.Train.ToFloatPixels();
        if (!fiveClasses)
        {
            return (all.AsSpan(0, n * 784).ToArray(), n);
        }

        int[] labels = TestData.FashionMnist.Train.GetLabelsInt32();
        float[] rows = new float[n * 784];
        int taken = 0;
        for (int i = 0; taken < n; i++)
        {
            if (labels[i] < 5)
            {
                all.AsSpan(i * 784, 784).CopyTo(rows.AsSpan(taken * 784));
                taken++;
            }
        }

        return (rows, n);
    }

    private static void AssertCase(JsonElement c, PcaModel model, StandardScalerModel? scaler, float[] rows, int n, double scale)
    {
        int k = c.GetProperty("n_components_").GetInt32();
        Assert.That(model.ComponentCount, Is.EqualTo(k));

        // Tolerances relative to the data scale (1 standardized, 255 raw): sklearn's rounding is ~1e-13 of it (measured:
        // components ≤ 2.8e-14, transformed rows ≤ 5.9e-13 standardized and 1.7e-11 raw).
        AssertClose(model.ExplainedVarianceRatio.ToArray(), Array1(c.GetProperty("explained_variance_ratio_")), 1e-11, "EVR");
        double[] variance = Array1(c.GetProperty("explained_variance_"));
        AssertClose(model.ExplainedVariance.ToArray(), variance, 1e-11 * variance[0], "explained variance");
        AssertClose(model.Mean[..10].ToArray(), Array1(c.GetProperty("mean_first10")), 1e-12 * scale, "mean");
        double[][] comps = Array2(c.GetProperty("components_first10"));
        for (int r = 0; r < k; r++)
        {
            AssertClose(model.Components.GetRowSpan(r)[..10].ToArray(), comps[r], 1e-12, $"component {r}");
        }

        double[] t = Project(model, scaler, new ReadOnlySpan2D<float>(rows, 5, 784));
        AssertClose(t, [.. Array2(c.GetProperty("transform_first5")).SelectMany(r => r)], 1e-11 * scale, "transform rows 0..4");
        double[] back = new double[2 * 784];
        model.InverseTransform(new ReadOnlySpan2D<double>(t, 2, k), new Span2D<double>(back, 2, 784));
        AssertClose(back, [.. Array2(c.GetProperty("inverse_transform_first2")).SelectMany(r => r)], 1e-11 * scale, "inverse transform rows 0..1");
    }

    [Test]
    public void FitStandardized_FiveClassSubsetPca3_MatchesSklearn()
    {
        JsonElement c = Load("pca/pca_subsets.json").GetProperty("pca3_5class_std");
        (float[] rows, int n) = Subset(c, fiveClasses: true);
        var x = new ReadOnlyMemory2D<float>(rows, n, 784);
        StandardScalerModel scaler = new StandardScaler().Fit(x);
        AssertCase(c, new PcaEstimator(new PcaOptions { Components = 3 }).FitStandardized(x, scaler), scaler, rows, n, 1);
    }

    [Test]
    public void FitStandardized_Whiten_MatchesSklearn()
    {
        JsonElement c = Load("pca/pca_subsets.json").GetProperty("pca5_whiten_std");
        (float[] rows, int n) = Subset(c, fiveClasses: false);
        var x = new ReadOnlyMemory2D<float>(rows, n, 784);
        StandardScalerModel scaler = new StandardScaler().Fit(x);
        AssertCase(c, new PcaEstimator(new PcaOptions { Components = 5, Whiten = true }).FitStandardized(x, scaler), scaler, rows, n, 1);
    }

    [Test]
    public void FitDouble_StandardizedVarianceFraction_MatchesSklearn()
    {
        JsonElement c = Load("pca/pca_subsets.json").GetProperty("pca_fraction_std");
        (float[] rows, int n) = Subset(c, fiveClasses: false);
        var x = new ReadOnlyMemory2D<float>(rows, n, 784);
        StandardScalerModel scaler = new StandardScaler().Fit(x);
        double[] z = new double[n * 784];
        scaler.Transform(x.Span, new Span2D<double>(z, n, 784));

        // The double overload on materialised standardized rows (the general path) must agree as well.
        PcaModel model = new PcaEstimator(new PcaOptions { VarianceFraction = 0.8 }).Fit(new ReadOnlyMemory2D<double>(z, n, 784));
        AssertCase(c, model, scaler, rows, n, 1);
    }

    [Test]
    public void Fit_RawPixelsPca10_MatchesSklearn()
    {
        JsonElement c = Load("pca/pca_subsets.json").GetProperty("pca10_raw");
        (float[] rows, int n) = Subset(c, fiveClasses: false);
        AssertCase(c, new PcaEstimator(new PcaOptions { Components = 10 }).Fit(new ReadOnlyMemory2D<float>(rows, n, 784)), null, rows, n, 255);
    }
}
