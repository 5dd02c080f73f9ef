using FashionCore.Features;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Selection;

namespace FashionCore.Tests.Selection;

public class EstimatorOptionsTests
{
    [TestCase("MaxIterations", "max_iter")]
    [TestCase("Tolerance", "tol")]
    [TestCase("Components", "n_components")]
    [TestCase("Clusters", "n_clusters")]
    [TestCase("Inits", "n_init")]
    [TestCase("MaxDegreeOfParallelism", "n_jobs")]
    [TestCase("C", "C")]
    [TestCase("PixelsPerCell", "pixels_per_cell")]
    [TestCase("RandomState", "random_state")]
    public void SklearnName_Property_IsSklearnsSpellingThatResolvesBack(string property, string expected)
    {
        Assert.That(EstimatorOptions.SklearnName(property), Is.EqualTo(expected));
    }

    [Test]
    public void SklearnName_OfEachLogisticRegressionAndKMeansOption_SetsTheSameOption()
    {
        foreach (object estimator in new object[] { new FashionCore.Models.Linear.LogisticRegression(), new FashionCore.Models.Clustering.KMeans(), new FashionCore.Features.Hog.Hog() })
        {
            foreach (string property in EstimatorOptions.Names(estimator))
            {
                object? value = EstimatorOptions.Get(estimator, property);
                Assert.That(() => EstimatorOptions.With(estimator, EstimatorOptions.SklearnName(property), value), Throws.Nothing, property);
            }
        }
    }

    private static Pipeline MakePipeline() => new(
        [new("scaler", new StandardScaler()), new("union", new FeatureUnion([new("times", new Multiply()), new("center", new Center())]))],
        "nc",
        new NearestCentroid());

    [TestCase("nc.shrink_threshold")]
    [TestCase("nc__shrink_threshold")]
    [TestCase("NC.ShrinkThreshold")]
    [TestCase("nc.shrink-threshold")]
    public void With_PipelinePathSpellings_SetsTheOptionOnACopy(string path)
    {
        Pipeline original = MakePipeline();
        Pipeline changed = EstimatorOptions.With(original, path, 0.5);

        Assert.That(((NearestCentroid)changed.Classifier).Options.ShrinkThreshold, Is.EqualTo(0.5));
        Assert.That(((NearestCentroid)original.Classifier).Options.ShrinkThreshold, Is.Null, "the original is unchanged");
        Assert.That(changed.Transforms[0].Estimator, Is.SameAs(original.Transforms[0].Estimator), "untouched steps are shared");
    }

    [Test]
    public void With_AliasAttribute_AddressesProperty()
    {
        NearestCentroid nc = EstimatorOptions.With(new NearestCentroid(), "n_iter", 7);

        Assert.That(nc.Options.MaxIterations, Is.EqualTo(7));
        Assert.That(EstimatorOptions.Get(nc, "MaxIterations"), Is.EqualTo(7));
    }

    [TestCase("max_iter", "MaxIterations")]
    [TestCase("tol", "Tolerance")]
    [TestCase("n_components", "Components")]
    [TestCase("n_clusters", "Clusters")]
    [TestCase("n_init", "InitCount")]
    public void With_SklearnNameWithoutSnakeCaseProperty_UsesBuiltInMap(string sklearnName, string property)
    {
        SklearnNamed changed = EstimatorOptions.With(new SklearnNamed(), sklearnName, 3);

        Assert.That(EstimatorOptions.Get(changed, property), Is.EqualTo(typeof(SklearnNamedOptions).GetProperty(property)!.PropertyType == typeof(double) ? 3.0 : 3));
    }

    [Test]
    public void With_ConstructorWithExtraParameters_KeepsThemFromProperties()
    {
        Sized sized = new(new SizedOptions { Cells = 2 }, height: 32);
        Sized changed = EstimatorOptions.With(sized, "cells", 4);

        Assert.That((changed.Height, changed.Options.Cells), Is.EqualTo((32, 4)));
    }

    [Test]
    public void With_WithOptionsMethod_IsPreferred()
    {
        Stateful stateful = new(new SizedOptions(), "state");
        Stateful changed = EstimatorOptions.With(stateful, "cells", 5);

        Assert.That((changed.State, changed.Options.Cells), Is.EqualTo(("state", 5)));
    }

    [Test]
    public void With_NestedUnionPart_SetsOptionAndWidensIntToFloat()
    {
        Pipeline changed = EstimatorOptions.With(MakePipeline(), "union.times.factor", 3);
        FeatureUnion union = (FeatureUnion)changed.Transforms[1].Estimator;

        Assert.That(((Multiply)union.Parts[0].Estimator).Options.Factor, Is.EqualTo(3f));
        Assert.That(EstimatorOptions.Get(changed, "union__times__factor"), Is.EqualTo(3f));
    }

    [Test]
    public void With_BoolOptionOfLeadScaler_Works()
    {
        Pipeline changed = EstimatorOptions.With(MakePipeline(), "scaler.with_std", false);

        Assert.That(((StandardScaler)changed.Transforms[0].Estimator).Options.WithStd, Is.False);
    }

    [Test]
    public void With_StepName_ReplacesTheWholeStep()
    {
        NearestCentroid replacement = new(new NearestCentroidOptions { ShrinkThreshold = 1 });
        Pipeline changed = EstimatorOptions.With(MakePipeline(), "nc", replacement);

        Assert.That(changed.Classifier, Is.SameAs(replacement));
    }

    [Test]
    public void With_StringToEnum_IgnoresCaseHyphensAndUnderscores()
    {
        EnumHolder e = EstimatorOptions.With(new EnumHolder(), "kind", "newton-cg");

        Assert.That(e.Options.Kind, Is.EqualTo(SolverKind.NewtonCg));
        Assert.That(EstimatorOptions.With(e, "kind", "SAGA").Options.Kind, Is.EqualTo(SolverKind.Saga));
    }

    [Test]
    public void With_UnknownOption_ThrowsListingTheOptions()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => EstimatorOptions.With(MakePipeline(), "nc.shrink", 1.0))!;

        Assert.That(e.Message, Does.Contain("Unknown option 'shrink'").And.Contain("ShrinkThreshold").And.Contain("MaxIterations (n_iter)"));
    }

    [Test]
    public void With_UnknownStep_ThrowsListingTheSteps()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => EstimatorOptions.With(MakePipeline(), "logreg.C", 1.0))!;

        Assert.That(e.Message, Does.Contain("Unknown step 'logreg'").And.Contain("scaler, union, nc"));
    }

    [TestCase("nc.shrink_threshold", "0.5")]
    [TestCase("nc.max_iter", 2.5)]
    [TestCase("scaler.with_std", 1)]
    [TestCase("nc.max_iter", null)]
    public void With_WrongValueType_ThrowsNamingTheOption(string path, object? value)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => EstimatorOptions.With(MakePipeline(), path, value))!;

        Assert.That(e.Message, Does.Contain(path));
    }

    [Test]
    public void With_ValueRejectedByEstimator_ThrowsItsValidationError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EstimatorOptions.With(MakePipeline(), "nc.shrink_threshold", -1.0));
    }

    // Applied one by one, penalty=l1 first would meet the base solver lbfgs and be rejected (as grid search applies a
    // candidate's keys in sorted order); all at once, the estimator is only ever built with both.
    [Test]
    public void WithMany_CombinationInvalidPartWayButValidWhole_IsJudgedWhole()
    {
        var lbfgs = new Pipeline([], "logreg", new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Lbfgs }));
        KeyValuePair<string, object?>[] values = [new("logreg.penalty", "l1"), new("logreg.solver", "saga")];

        Pipeline changed = EstimatorOptions.With(lbfgs, values);

        var options = ((LogisticRegression)changed.Classifier).Options;
        Assert.That((options.Penalty, options.Solver), Is.EqualTo((LogisticRegressionPenalty.L1, LogisticRegressionSolver.Saga)));
        Assert.That(((LogisticRegression)lbfgs.Classifier).Options.Solver, Is.EqualTo(LogisticRegressionSolver.Lbfgs), "the original is unchanged");
        ArgumentException e = Assert.Throws<ArgumentException>(() => EstimatorOptions.With(lbfgs, values[..1]))!;
        Assert.That(e.ParamName, Is.EqualTo("Penalty"), "an invalid whole is still rejected");
    }

    // sklearn's set_params: a step replaced by an estimator, then the options inside it, whatever their order.
    [Test]
    public void WithMany_StepReplacedAndOptionInside_SetsTheOptionOnTheReplacement()
    {
        NearestCentroid replacement = new(new NearestCentroidOptions { ShrinkThreshold = 1 });
        KeyValuePair<string, object?>[] values = [new("nc.shrink_threshold", 0.25), new("scaler.with_std", false), new("NC", replacement)];

        Pipeline changed = EstimatorOptions.With(MakePipeline(), values);

        Assert.That(((NearestCentroid)changed.Classifier).Options, Is.EqualTo(replacement.Options with { ShrinkThreshold = 0.25 }));
        Assert.That(((StandardScaler)changed.Transforms[0].Estimator).Options.WithStd, Is.False);
    }

    [Test]
    public void WithMany_StepReplacedByANonEstimatorWithAnOptionInside_NamesTheStepsType()
    {
        KeyValuePair<string, object?>[] values = [new("nc.shrink_threshold", 0.5), new("nc", "not an estimator")];

        ArgumentException e = Assert.Throws<ArgumentException>(() => EstimatorOptions.With(MakePipeline(), values))!;

        Assert.That(e.Message, Does.StartWith("Step 'nc' needs a classifier estimator, not String"));
    }

    [Test]
    public void With_NullForNullableOption_Works()
    {
        Pipeline p = EstimatorOptions.With(EstimatorOptions.With(MakePipeline(), "nc.shrink_threshold", 0.5), "nc.shrink_threshold", null);

        Assert.That(((NearestCentroid)p.Classifier).Options.ShrinkThreshold, Is.Null);
    }

    [Test]
    public void Names_Pipeline_ListsEveryAddressableOption()
    {
        Assert.That(
            EstimatorOptions.Names(MakePipeline()),
            Is.EqualTo(new[] { "scaler.WithMean", "scaler.WithStd", "union.times.Factor", "nc.ShrinkThreshold", "nc.MaxIterations", "nc.FailFit", "nc.FailPredict", "nc.FailDelayMilliseconds" }));
    }

    public enum SolverKind
    {
        Lbfgs,
        NewtonCg,
        Saga,
    }

    public sealed record EnumOptions
    {
        public SolverKind Kind { get; init; }
    }

    public sealed class EnumHolder(EnumOptions? options = null)
    {
        public EnumOptions Options { get; } = options ?? new EnumOptions();
    }

    public sealed record SklearnNamedOptions
    {
        public int MaxIterations { get; init; }

        public double Tolerance { get; init; }

        public int? Components { get; init; }

        public int Clusters { get; init; }

        public int InitCount { get; init; }
    }

    public sealed class SklearnNamed(SklearnNamedOptions? options = null)
    {
        public SklearnNamedOptions Options { get; } = options ?? new SklearnNamedOptions();
    }

    public sealed record SizedOptions
    {
        public int Cells { get; init; } = 1;
    }

    /// <summary>Like Hog(options, imageHeight, imageWidth): a constructor argument that is not an option.</summary>
    public sealed class Sized(SizedOptions? options = null, int height = 28, int width = 28)
    {
        public SizedOptions Options { get; } = options ?? new SizedOptions();

        public int Height { get; } = height;

        public int Width { get; } = width;
    }

    public sealed class Stateful
    {
        public Stateful(SizedOptions options, string state)
        {
            Options = options;
            State = state;
        }

        public SizedOptions Options { get; }

        public string State { get; }

        public Stateful WithOptions(SizedOptions options) => new(options, State);
    }
}
