using CommunityToolkit.HighPerformance;
using FashionCore.Features;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Persistence;
using FashionCore.Selection;
using FashionCore.Tools.Study;

namespace FashionCore.Tests.Tools;

/// <summary>The translation from feature set + options to engine estimators, and the tool's transform chain.</summary>
public class FeaturePipelinesTests
{
    // Test cases name the CLI spellings: the enums are internal to the tool.
    [TestCase("pixels", "x255")]
    [TestCase("hog", "none")]
    [TestCase("pca", "standard")]
    [TestCase("pca+hog", "standard")]
    public void DefaultScale_EachFeatureSet_IsTheStudys(string features, string expected)
    {
        var kind = (FeatureKind)StudyNames.Parse("--features", features, StudyNames.Features);

        Assert.That(StudyNames.Of(new StudySettings().ScaleFor(kind)), Is.EqualTo(expected));
    }

    [Test]
    public void Classifier_Defaults_BuildTheStudysSteps()
    {
        var settings = new StudySettings { Seed = 7, Threads = 1 };

        Pipeline pixels = FeaturePipelines.Classifier(FeatureKind.Pixels, settings);
        Pipeline hog = FeaturePipelines.Classifier(FeatureKind.Hog, settings);
        Pipeline pca = FeaturePipelines.Classifier(FeatureKind.Pca, settings);

        Assert.That(pixels.Transforms.Select(t => t.Estimator.GetType()), Is.EqualTo(new[] { typeof(PixelScaler) }));
        Assert.That(hog.Transforms.Select(t => t.Name), Is.EqualTo(new[] { "hog" }));
        Assert.That(((Hog)hog.Transforms[0].Estimator).Options, Is.EqualTo(new HogOptions { Orientations = 8 }));
        Assert.That(pca.Transforms.Select(t => t.Estimator.GetType()), Is.EqualTo(new[] { typeof(StandardScaler), typeof(Pca) }));
        Assert.That(((Pca)pca.Transforms[1].Estimator).Options.Components, Is.EqualTo(40));
        var logReg = (LogisticRegression)pixels.Classifier;
        Assert.That(logReg.Options, Is.EqualTo(new LogisticRegressionOptions { RandomState = 7 }));
    }

    [TestCase("none", new Type[0])]
    [TestCase("minmax", new[] { typeof(MinMaxScaler) })]
    [TestCase("standard", new[] { typeof(StandardScaler) })]
    public void Classifier_PcaHogWithScale_ScalesOnlyThePcaPart(string scale, Type[] scalers)
    {
        var settings = new StudySettings { Scale = (ScaleKind)StudyNames.Parse("--scale", scale, StudyNames.Scales), Components = 12 };

        Pipeline mix = FeaturePipelines.Classifier(FeatureKind.PcaHog, settings);

        var union = (FeatureUnion)mix.Transforms.Single().Estimator;
        Assert.That(union.Parts.Select(p => p.Name), Is.EqualTo(new[] { "pca", "hog" }));
        var chain = (TransformChain)union.Parts[0].Estimator;
        Assert.That(chain.Steps.Select(s => s.Estimator.GetType()), Is.EqualTo(scalers.Append(typeof(Pca))));
        Assert.That(union.Parts[1].Estimator, Is.TypeOf<Hog>());
        Assert.That(EstimatorOptions.Get(mix, "union.pca.pca.n_components"), Is.EqualTo(12));
    }

    [Test]
    public void TransformChain_FitAndTransform_EqualStepsAppliedByHand()
    {
        (float[] data, int n, int d) = Synthetic();
        var x = new ReadOnlyMemory2D<float>(data, n, d);
        var chain = new TransformChain([new("scale", new StandardScaler()), new("pca", new Pca(new PcaOptions { Components = 3 }))]);

        TransformChainModel model = chain.Fit(x);
        float[] actual = new float[n * 3];
        model.Transform(x.Span, new Span2D<float>(actual, n, 3));

        StandardScalerModel scaler = new StandardScaler().Fit(x);
        float[] z = new float[n * d];
        scaler.Transform(x.Span, new Span2D<float>(z, n, d));
        PcaModel pca = new Pca(new PcaOptions { Components = 3 }).Fit(new ReadOnlyMemory2D<float>(z, n, d));
        float[] expected = new float[n * 3];
        pca.Transform(new ReadOnlySpan2D<float>(z, n, d), new Span2D<float>(expected, n, 3));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(model.OutputFeatureCount, Is.EqualTo(3));
    }

    [Test]
    public void TransformChain_InPipelineModelFile_RoundTripsWithIdenticalOutput()
    {
        (float[] data, int n, int d) = Synthetic();
        var x = new ReadOnlyMemory2D<float>(data, n, d);
        int[] y = [.. Enumerable.Range(0, n).Select(i => data[i * d] > 0.5f ? 1 : 0)];
        var pipeline = new Pipeline(
            [new("union", new FeatureUnion([new("pca", new TransformChain([new("scale", new MinMaxScaler()), new("pca", new Pca(new PcaOptions { Components = 2 }))])), new("raw", new PixelScaler())]))],
            "logreg",
            new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 5, RandomState = 0 }));
        PipelineModel model = pipeline.Fit(x, y);
        string path = Path.Combine(Path.GetTempPath(), $"fashioncore-chain-{Guid.NewGuid():N}.model");
        try
        {
            ModelFile.Save(path, model);
            var loaded = ModelFile.Load<PipelineModel>(path);

            float[] expected = new float[n * 2];
            float[] actual = new float[n * 2];
            model.PredictProbabilities(x.Span, new Span2D<float>(expected, n, 2));
            loaded.PredictProbabilities(x.Span, new Span2D<float>(actual, n, 2));
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(ModelFile.ToBytes(loaded), Is.EqualTo(ModelFile.ToBytes(model)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void TransformChainModel_StepWidthsDoNotChain_Throws()
    {
        var scaler = new PixelScalerModel(4);

        Assert.That(() => new TransformChainModel(["a"], [scaler], 5), Throws.ArgumentException.With.Message.Contains("takes 4 columns but receives 5"));
        Assert.That(() => new TransformChainModel(["a", "b"], [scaler, new PixelScalerModel(3)], 4), Throws.ArgumentException);
    }

    private static (float[] Data, int N, int D) Synthetic()
    {
        const int N = 200, D = 6;
        var random = new Random(5);
        float[] data = new float[N * D];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextDouble() * (1 + (i % D));
        }

        return (data, N, D);
    }
}
