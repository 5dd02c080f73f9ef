using System.Security.Cryptography;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Features;
using FashionCore.Features.Hog;
using FashionCore.Features.Scaling;
using FashionCore.Models.Clustering;
using FashionCore.Models.Linear;
using FashionCore.Persistence;
using FashionCore.Selection;
using PcaEstimator = FashionCore.Features.Pca.Pca;
using PcaModel = FashionCore.Features.Pca.PcaModel;
using PcaOptions = FashionCore.Features.Pca.PcaOptions;

namespace FashionCore.Tests.Persistence;

/// <summary>Every fitted model type round-trips through a model file with identical outputs.</summary>
[Category("Dataset")]
public class ModelFileModelsTests
{
    private const int Rows = 600;

    private static readonly Lazy<(float[] X, int[] Y)> s_data = new(() =>
    {
        FashionCore.Data.Dataset train = TestData.FashionMnist.Train.Slice(0, Rows);
        return (train.ToFloatPixels(), train.GetLabelsInt32());
    });

    private static ReadOnlyMemory2D<float> X => new(s_data.Value.X, Rows, 784);

    [Test]
    public void Pipeline_PcaAndHogUnionIntoLogisticRegression_RoundTripsWithIdenticalProbabilities()
    {
        var union = new FeatureUnion([new("pca", new PcaEstimator(new PcaOptions { Components = 10 })), new("hog", new Hog(new HogOptions { Orientations = 8 }))]);
        var pipeline = new Pipeline(
            [new("union", union)],
            "logreg",
            new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 5, RandomState = 3 }));
        PipelineModel model = pipeline.Fit(X, s_data.Value.Y);

        PipelineModel loaded = RoundTrip(model);

        float[] expected = new float[Rows * 10];
        float[] actual = new float[Rows * 10];
        model.PredictProbabilities(X.Span, new Span2D<float>(expected, Rows, 10));
        loaded.PredictProbabilities(X.Span, new Span2D<float>(actual, Rows, 10));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(loaded.StepNames, Is.EqualTo(model.StepNames));
    }

    [Test]
    public void LogisticRegression_OvrWithElasticNetAndShuffledEpochs_RoundTripsOptionsAndFitFacts()
    {
        var options = new LogisticRegressionOptions
        {
            Penalty = LogisticRegressionPenalty.ElasticNet,
            L1Ratio = 0.3,
            MultiClass = LogisticRegressionMultiClass.Ovr,
            MaxIterations = 2,
            RandomState = 9,
            SampleOrder = LogisticRegressionSampleOrder.Shuffled,
        };
        float[] scaled = new float[Rows * 784];
        PixelScaler.Scale(TestData.FashionMnist.Train.Slice(0, Rows).Images.Span, new Span2D<float>(scaled, Rows, 784));
        LogisticRegressionModel model = new LogisticRegression(options).Fit(new ReadOnlyMemory2D<float>(scaled, Rows, 784), s_data.Value.Y);

        LogisticRegressionModel loaded = RoundTrip(model);

        Assert.That(loaded.Options, Is.EqualTo(model.Options));
        Assert.That(loaded.Iterations.ToArray(), Is.EqualTo(model.Iterations.ToArray()));
        Assert.That(loaded.ConvergedPerProblem.ToArray(), Is.EqualTo(model.ConvergedPerProblem.ToArray()));
        int[] expected = new int[Rows];
        int[] actual = new int[Rows];
        model.Predict(new ReadOnlySpan2D<float>(scaled, Rows, 784), expected);
        loaded.Predict(new ReadOnlySpan2D<float>(scaled, Rows, 784), actual);
        Assert.That(actual, Is.EqualTo(expected));
    }

    // Written by main a132d98 (format version 1, before the sample order existed) on a Zen 4 with AVX-512:
    // `fashion train --features hog --range 0:500 --max-iter 2 --model hog_train_v1.fcm`. It still loads, as drawn
    // with replacement, and today's fit of the same pipeline gives the same coefficients (to the bit on that machine;
    // within 1e-12 of the largest allows other vector widths' summation orders, while other draws move them by ~0.6 of
    // 2.8: random state 1, or shuffled epochs): sklearn's draws are unchanged by the shuffled order's arrival.
    [Test]
    [Category("Dataset")]
    public void LogisticRegression_VersionOneFileOfAnEarlierBuild_LoadsAndEqualsTodaysFit()
    {
        var loaded = ModelFile.Load<PipelineModel>(TestData.GoldenPath("logreg/hog_train_v1.fcm"));
        var saved = (LogisticRegressionModel)loaded.Classifier;
        Assert.That(saved.Options.SampleOrder, Is.EqualTo(LogisticRegressionSampleOrder.WithReplacement));

        int[] y = TestData.FashionMnist.Train.Slice(0, 500).GetLabelsInt32();
        ReadOnlyMemory2D<float> x = new(TestData.FashionMnist.Train.Slice(0, 500).ToFloatPixels(), 500, 784);
        var pipeline = new Pipeline(
            [new("hog", new Hog(new HogOptions { Orientations = 8 }))], "logreg", new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 2, RandomState = 0 }));
        var today = (LogisticRegressionModel)pipeline.Fit(x, y).Classifier;

        Assert.That(saved.Options, Is.EqualTo(today.Options));
        double bound = 1e-12 * today.Coefficients.ToArray().Cast<double>().Max(Math.Abs);
        Assert.That(saved.Coefficients.ToArray(), Is.EqualTo(today.Coefficients.ToArray()).Within(bound));
        Assert.That(saved.Intercept.ToArray(), Is.EqualTo(today.Intercept.ToArray()).Within(bound));
        Assert.That(saved.Iterations.ToArray(), Is.EqualTo(today.Iterations.ToArray()));
    }

    [Test]
    public void KMeans_RoundTripsCentresLabelsAndDistances()
    {
        KMeansModel model = new KMeans(new KMeansOptions { Clusters = 4, InitCount = 1, RandomState = 0 }).Fit(X);

        KMeansModel loaded = RoundTrip(model);

        Assert.That(loaded.Labels.ToArray(), Is.EqualTo(model.Labels.ToArray()));
        Assert.That(loaded.Inertia, Is.EqualTo(model.Inertia));
        Assert.That(loaded.Iterations, Is.EqualTo(model.Iterations));
        AssertSameTransform(model, loaded, 4);
    }

    [Test]
    public void Pca_WhitenedAndHog_RoundTripWithIdenticalTransforms()
    {
        AssertSameTransform(new PcaEstimator(new PcaOptions { Components = 7, Whiten = true }).Fit(X), RoundTrip(new PcaEstimator(new PcaOptions { Components = 7, Whiten = true }).Fit(X)), 7);
        HogModel hog = new Hog(new HogOptions { Orientations = 9, PixelsPerCell = (4, 4), CellsPerBlock = (2, 2), BlockNorm = HogBlockNorm.L1Sqrt }).Fit(X);
        AssertSameTransform(hog, RoundTrip(hog), hog.OutputFeatureCount);
    }

    [Test]
    public void Pca_RankOneFitWithRatioAnUlpAboveOne_RoundTrips()
    {
        // Two rows have rank 1: the top eigenvalue then often rounds an ulp above the trace (ratio 1.0000000000000002),
        // which a fit really produces and a file must therefore hold.
        var random = new Random(5);
        PcaModel? fitted = null;
        for (int attempt = 0; attempt < 200 && fitted is null; attempt++)
        {
            double[] x = [.. Enumerable.Range(0, 2 * 6).Select(_ => random.NextDouble() * 10)];
            PcaModel model = new PcaEstimator(new PcaOptions { Components = 1 }).Fit(new ReadOnlyMemory2D<double>(x, 2, 6));
            fitted = model.ExplainedVarianceRatio[0] > 1 ? model : null;
        }

        Assert.That(fitted, Is.Not.Null, "a rank-1 fit whose ratio rounds above 1 in 200 attempts");
        var loaded = (PcaModel)ModelFile.FromBytes(ModelFile.ToBytes(fitted!), "rank1.fcm");
        Assert.That(loaded.ExplainedVarianceRatio.ToArray(), Is.EqualTo(fitted!.ExplainedVarianceRatio.ToArray()));
    }

    [Test]
    public void Pca_FileHoldingZeroDegree_LoadsAsAllCores()
    {
        // Files written before PcaOptions took −1 for "all cores" hold 0 there; they must still load (and validate).
        PcaModel fitted = new PcaEstimator(new PcaOptions { Components = 3 }).Fit(X);
        var old = new PcaModel(
            fitted.Options with { MaxDegreeOfParallelism = 0 },
            fitted.SampleCount,
            fitted.Mean.ToArray(),
            fitted.Components.ToArray().Cast<double>().ToArray(),
            fitted.ExplainedVariance.ToArray(),
            fitted.ExplainedVarianceRatio.ToArray(),
            fitted.SingularValues.ToArray());

        var loaded = (PcaModel)ModelFile.FromBytes(ModelFile.ToBytes(old), "old.fcm");

        Assert.That(loaded.Options.MaxDegreeOfParallelism, Is.EqualTo(-1));
        AssertSameTransform(fitted, loaded, 3);
    }

    [Test]
    public void Pipeline_SeededCorruptionsWithValidChecksum_OnlyModelOrInvalidData()
    {
        PipelineModel model = new Pipeline(
            [new("scale", new StandardScaler()), new("pca", new PcaEstimator(new PcaOptions { Components = 5 }))],
            "logreg",
            new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 1, RandomState = 0 })).Fit(X, s_data.Value.Y);
        byte[] valid = ModelFile.ToBytes(model);
        var random = new Random(77);
        int loaded = 0, rejected = 0;
        for (int iteration = 0; iteration < 2000; iteration++)
        {
            byte[] bytes = (byte[])valid.Clone();
            int at = ModelFormat.HeaderLength + random.Next(valid.Length - ModelFormat.HeaderLength - ModelFormat.HashLength - 4);
            random.NextBytes(bytes.AsSpan(at, random.Next(1, 5)));
            int hashed = bytes.Length - ModelFormat.HashLength;
            SHA256.HashData(bytes.AsSpan(0, hashed), bytes.AsSpan(hashed));
            try
            {
                ModelFile.FromBytes(bytes, "fuzz");
                loaded++;
            }
            catch (InvalidDataException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {iteration}, offset {at}: {e.GetType().Name}: {e.Message}");
            }
        }

        // Both outcomes occur: the checksum is valid every time, so each rejection is the parser's own.
        TestContext.Out.WriteLine($"loaded {loaded}, rejected {rejected}");
        Assert.That(rejected, Is.GreaterThan(0), "corruptions the parser rejected");
        Assert.That(loaded, Is.GreaterThan(0), "corruptions that still parse (in coefficient bytes)");
    }

    private static T RoundTrip<T>(T model)
        where T : class
    {
        string path = Path.Combine(Path.GetTempPath(), $"fashioncore-{Guid.NewGuid():N}.fcm");
        try
        {
            ModelFile.Save(path, model);
            T loaded = ModelFile.Load<T>(path);
            Assert.That(ModelFile.ToBytes(loaded), Is.EqualTo(File.ReadAllBytes(path)), "re-saving the loaded model gives the same bytes");
            return loaded;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertSameTransform(ITransformer expectedModel, ITransformer actualModel, int width)
    {
        float[] expected = new float[Rows * width];
        float[] actual = new float[Rows * width];
        expectedModel.Transform(X.Span, new Span2D<float>(expected, Rows, width));
        actualModel.Transform(X.Span, new Span2D<float>(actual, Rows, width));
        Assert.That(actual, Is.EqualTo(expected));
    }
}
