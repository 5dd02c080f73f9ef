using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Features;
using FashionCore.Features.Scaling;
using FashionCore.Selection;

namespace FashionCore.Tests.Selection;

public class PipelineTests
{
    [Test]
    public void Fit_ScalerThenClassifier_EqualsFittingTheStepsByHand()
    {
        (float[] x, int[] y, int n, int d) = GridSearchTests.Synthetic(2500, 7, classes: 3, seed: 1);
        ReadOnlyMemory2D<float> xm = new(x, n, d);
        Pipeline pipeline = new([new("scaler", new StandardScaler())], "nc", new NearestCentroid());

        PipelineModel model = pipeline.Fit(xm, y);
        StandardScalerModel scaler = new StandardScaler().Fit(xm);
        float[] scaled = new float[n * d];
        scaler.Transform(xm.Span, new Span2D<float>(scaled, n, d));
        NearestCentroidModel byHand = new NearestCentroid().Fit(new ReadOnlyMemory2D<float>(scaled, n, d), y);
        int[] expected = new int[n];
        int[] actual = new int[n];
        byHand.Predict(new ReadOnlySpan2D<float>(scaled, n, d), expected);
        model.Predict(xm.Span, actual);

        Assert.That(actual, Is.EqualTo(expected), "n = 2500 spans three 1024-row blocks");
        Assert.That(((NearestCentroidModel)model.Classifier).Centroids, Is.EqualTo(byHand.Centroids));
        Assert.That(model.Classes.ToArray(), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(model.StepNames, Is.EqualTo(new[] { "scaler", "nc" }));
    }

    [Test]
    public void PredictAndProbabilities_NaNOrInfinityInALaterBlock_ThrowNamingTheInputRowAndColumn()
    {
        // Row 2100 is row 52 of the third 1024-row block, and PCA mixes column 3 into every feature the classifier sees.
        (float[] x, int[] y, int n, int d) = GridSearchTests.Synthetic(2500, 7, classes: 3, seed: 4);
        PipelineModel model = new Pipeline(
            [new("scaler", new StandardScaler()), new("pca", new FashionCore.Features.Pca.Pca(new() { Components = 2 }))],
            "logreg",
            new FashionCore.Models.Linear.LogisticRegression(new() { MaxIterations = 3, RandomState = 0 })).Fit(new ReadOnlyMemory2D<float>(x, n, d), y);
        foreach (float value in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            float[] bad = (float[])x.Clone();
            bad[(2100 * d) + 3] = value;
            Action[] calls =
            [
                () => model.Predict(new ReadOnlySpan2D<float>(bad, n, d), new int[n]),
                () => model.PredictProbabilities(new ReadOnlySpan2D<float>(bad, n, d), new Span2D<float>(new float[n * 3], n, 3)),
            ];
            foreach (Action call in calls)
            {
                ArgumentException e = Assert.Throws<ArgumentException>(() => call())!;
                Assert.That(e.ParamName, Is.EqualTo("x"));
                Assert.That(e.Message, Does.StartWith($"'x' contains {value} at row 2100, column 3; all values must be finite."));
            }
        }
    }

    [Test]
    public void Predict_WithFeatureUnionAfterWarmUp_AllocatesNothing()
    {
        (float[] x, int[] y, int n, int d) = GridSearchTests.Synthetic(3000, 5, classes: 3, seed: 3);
        FeatureUnion union = new([new("times", new Multiply()), new("center", new Center())]);
        PipelineModel model = new Pipeline([new("union", union), new("center", new Center())], "nc", new NearestCentroid())
            .Fit(new ReadOnlyMemory2D<float>(x, n, d), y);
        int[] labels = new int[n];
        model.Predict(new ReadOnlySpan2D<float>(x, n, d), labels);

        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Predict(new ReadOnlySpan2D<float>(x, n, d), labels);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Transform_FeatureUnion_ConcatenatesPartsInOrder()
    {
        float[] x = [1, 2, 3, 4, 5, 6];
        FeatureUnionModel union = new FeatureUnion([new("times", new Multiply(new() { Factor = 10 })), new("center", new Center())])
            .Fit(new ReadOnlyMemory2D<float>(x, 3, 2));
        float[] output = new float[3 * 5];
        union.Transform(new ReadOnlySpan2D<float>(x, 3, 2), new Span2D<float>(output, 3, 5));

        // times: (10·a, 10·b, a+b); center: (a−3, b−4).
        Assert.That(output, Is.EqualTo(new float[] { 10, 20, 3, -2, -2, 30, 40, 7, 0, 0, 50, 60, 11, 2, 2 }));
        Assert.That(union.OutputFeatureCount, Is.EqualTo(5));
    }

    [Test]
    public void Fit_FeatureUnionInsidePipeline_WorksAndIsStatelessOnlyIfAllPartsAre()
    {
        (float[] x, int[] y, int n, int d) = GridSearchTests.Synthetic(300, 4, classes: 2, seed: 9);
        FeatureUnion stateless = new([new("a", new Multiply()), new("b", new Multiply(new() { Factor = -1 }))]);
        FeatureUnion mixed = new([new("a", new Multiply()), new("b", new Center())]);
        Pipeline pipeline = new([new("mix", mixed)], "nc", new NearestCentroid());

        PipelineModel model = pipeline.Fit(new ReadOnlyMemory2D<float>(x, n, d), y);

        Assert.That(model.Classifier.FeatureCount, Is.EqualTo(5 + 4));
        Assert.That(stateless.IsStateless, Is.True);
        Assert.That(mixed.IsStateless, Is.False);
        Assert.That(new Pipeline([new("mix", stateless), new("c", new Center())], "nc", new NearestCentroid()).StatelessPrefixLength, Is.EqualTo(1));
        Assert.That(pipeline.StatelessPrefixLength, Is.Zero);
    }

    [Test]
    public void Constructor_DuplicateOrBadStepNames_Throw()
    {
        Assert.Throws<ArgumentException>(() => new Pipeline([new("a", new Center())], "A", new NearestCentroid()));
        Assert.Throws<ArgumentException>(() => new Pipeline([new("a.b", new Center())], "nc", new NearestCentroid()));
        Assert.Throws<ArgumentException>(() => new Pipeline([new("a__b", new Center())], "nc", new NearestCentroid()));
        Assert.Throws<ArgumentException>(() => new FeatureUnion([]));
    }

    [Test]
    public void WithStep_WrongKind_Throws()
    {
        Pipeline pipeline = new([new("center", new Center())], "nc", new NearestCentroid());

        Assert.Throws<ArgumentException>(() => pipeline.WithStep("center", new NearestCentroid()));
        Assert.Throws<ArgumentException>(() => pipeline.WithStep("nc", new Center()));
    }

    [Test]
    public void TransformChain_NullStep_ThrowsArgumentExceptionLikePipeline()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new TransformChain([null!]))!;

        Assert.That(e.ParamName, Is.EqualTo("steps"));
        Assert.That(e.Message, Does.Contain("must not be null"));
    }

    [TestCase("a.b")]
    [TestCase("a__b")]
    [TestCase("")]
    [TestCase(" ")]
    public void TransformChain_BadStepName_ThrowsLikePipeline(string name)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new TransformChain([new(name, new Center())]))!;

        Assert.That(e.ParamName, Is.EqualTo("steps"));
        Assert.That(e.Message, Does.Contain($"Step name '{name}' must be non-empty and contain neither '.' nor \"__\""));
    }

    [Test]
    public void TransformChain_DuplicateStepNamesIgnoringCase_Throw()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new TransformChain([new("a", new Center()), new("A", new Center())]))!;

        Assert.That(e.ParamName, Is.EqualTo("steps"));
        Assert.That(e.Message, Does.Contain("used twice"));
    }

    [Test]
    public void TransformChainModel_NullArguments_ThrowNamingThem()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => new TransformChainModel(null!, [], 3))!.ParamName, Is.EqualTo("names"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => new TransformChainModel([], null!, 3))!.ParamName, Is.EqualTo("steps"));
        ArgumentException e = Assert.Throws<ArgumentException>(() => new TransformChainModel(["a"], [null!], 3))!;
        Assert.That(e.ParamName, Is.EqualTo("steps"));
        Assert.That(e.Message, Does.Contain("Step 'a' (index 0) is null"));
    }

    [Test]
    public void TransformChainModel_ScaleThenPcaAfterWarmUp_AllocatesNothing()
    {
        // The study's pca+hog union runs this chain; its widest step used to be found by a LINQ Max per call (32 B).
        (float[] x, _, int n, int d) = GridSearchTests.Synthetic(500, 12, classes: 3, seed: 5);
        TransformChainModel chain = new TransformChain(
            [new("scale", new StandardScaler()), new("pca", new FashionCore.Features.Pca.Pca(new() { Components = 4 }))])
            .Fit(new ReadOnlyMemory2D<float>(x, n, d));
        float[] output = new float[n * 4];
        chain.Transform(new ReadOnlySpan2D<float>(x, n, d), new Span2D<float>(output, n, 4));

        long before = GC.GetAllocatedBytesForCurrentThread();
        chain.Transform(new ReadOnlySpan2D<float>(x, 1, d), new Span2D<float>(output, 1, 4));
        chain.Transform(new ReadOnlySpan2D<float>(x, n, d), new Span2D<float>(output, n, 4));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void TransformChainModel_CallerChangesItsArraysAfterwards_ChainKeepsItsOwnSteps()
    {
        string[] names = ["a", "b"];
        ITransformer[] steps = [new PixelScalerModel(3), new PixelScalerModel(3)];
        TransformChainModel chain = new(names, steps, 3);
        names[1] = "a";
        steps[1] = new CenterModel([100, 100, 100]);

        float[] input = [255f, 0f, 51f];
        float[] once = new float[3];
        float[] expected = new float[3];
        new PixelScalerModel(3).Transform(new ReadOnlySpan2D<float>(input, 1, 3), new Span2D<float>(once, 1, 3));
        new PixelScalerModel(3).Transform(new ReadOnlySpan2D<float>(once, 1, 3), new Span2D<float>(expected, 1, 3));
        float[] output = new float[3];
        chain.Transform(new ReadOnlySpan2D<float>(input, 1, 3), new Span2D<float>(output, 1, 3));

        Assert.That(output, Is.EqualTo(expected));
        Assert.That(chain.Names, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(chain.Steps[1], Is.InstanceOf<PixelScalerModel>());
    }

    [Test]
    public void Predict_HogStepOnBlocksOfUpTo256Rows_AllocatesNothingAfterWarmUp()
    {
        // HOG runs one thread up to 256 images; beyond that it runs in parallel, whose task objects the remarks mention.
        Random r = new(6);
        int n = 256;
        float[] x = [.. Enumerable.Range(0, n * 784).Select(_ => (float)r.NextDouble())];
        int[] y = [.. Enumerable.Range(0, n).Select(i => i % 3)];
        PipelineModel model = new Pipeline(
            [new("hog", new FashionCore.Features.Hog.Hog(new() { Orientations = 8 }))],
            "logreg",
            new FashionCore.Models.Linear.LogisticRegression(new() { MaxIterations = 2, RandomState = 0 })).Fit(new ReadOnlyMemory2D<float>(x, n, 784), y);
        int[] labels = new int[n];
        float[] probabilities = new float[n * 3];
        model.Predict(new ReadOnlySpan2D<float>(x, n, 784), labels);
        model.PredictProbabilities(new ReadOnlySpan2D<float>(x, n, 784), new Span2D<float>(probabilities, n, 3));

        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Predict(new ReadOnlySpan2D<float>(x, n, 784), labels);
        model.PredictProbabilities(new ReadOnlySpan2D<float>(x, n, 784), new Span2D<float>(probabilities, n, 3));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void TransformChainModel_BadStepName_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new TransformChainModel(["a.b"], [new PixelScalerModel(3)], 3))!;

        Assert.That(e.ParamName, Is.EqualTo("names"));
        Assert.That(e.Message, Does.Contain("Step name 'a.b'"));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void TransformChainModel_InputFeatureCountBelowOne_Throws(int inputs)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new TransformChainModel([], [], inputs))!;

        Assert.That(e.ParamName, Is.EqualTo("inputFeatureCount"));
        Assert.That(e.ActualValue, Is.EqualTo(inputs));
    }

    [Test]
    public void TransformChain_FitOnNoColumns_ThrowsNamingX()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new TransformChain([]).Fit(new ReadOnlyMemory2D<float>(new float[0], 5, 0)))!;

        Assert.That(e.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at least one column"));
    }

    [Test]
    public void TransformChainModel_Transform_WrongShapes_NameTheWrongArgument()
    {
        var model = new TransformChainModel(["s"], [new PixelScalerModel(4)], 4);

        ArgumentException destination = Assert.Throws<ArgumentException>(() => model.Transform(new float[2, 4], new float[3, 4]))!;
        ArgumentException x = Assert.Throws<ArgumentException>(() => model.Transform(new float[2, 5], new float[2, 4]))!;

        Assert.That(destination.ParamName, Is.EqualTo("destination"));
        Assert.That(destination.Message, Does.Contain("'destination' must be 2x4 but is 3x4"));
        Assert.That(x.ParamName, Is.EqualTo("x"));
        Assert.That(x.Message, Does.Contain("'x' must have 4 columns but has 5"));
    }
}
