using System.Text.Json;
using FashionCore.Models.Linear;
using FashionCore.Selection;
using FashionCore.Tools.Commands;
using FashionCore.Tools.Study;

namespace FashionCore.Tests.Tools;

/// <summary><c>fashion grid --grid NAME=…</c>: values reach options of every type, and unknown names are answered in sklearn's names.</summary>
public class GridValueTests
{
    [Test]
    [Category("Dataset")]
    public void Grid_RandomState_TakesIntegersForTheUnsignedOption()
    {
        JsonElement json = ToolJson.Run("grid", "--range", "0:300", "--folds", "2", "--max-iter", "1", "--grid", "random_state=1,2");

        Assert.That(json.GetProperty("params").EnumerateArray().Select(p => p.GetProperty("random_state").GetInt64()), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    [Category("Dataset")]
    public void Grid_PixelsPerCell_TakesRowsByColumnsOrASquare()
    {
        JsonElement json = ToolJson.Run("grid", "--features", "hog", "--range", "0:300", "--folds", "2", "--max-iter", "1", "--grid", "pixels_per_cell=7,4x7");

        Assert.That(
            json.GetProperty("params").EnumerateArray().Select(p => string.Join("x", p.GetProperty("pixels_per_cell").EnumerateArray().Select(v => v.GetInt32()))),
            Is.EqualTo(new[] { "7x7", "4x7" }));
    }

    // Candidates are judged whole: a value clashing with the base options alone passes when its candidate fixes the
    // clash, and an invalid candidate is named by all of its values.
    [Test]
    public void ParseGrid_WholeCandidates_AcceptedOrNamedWhenInvalid()
    {
        var settings = new StudySettings { LogisticRegression = new() { Solver = LogisticRegressionSolver.Sag, RandomState = 0 } };
        Pipeline sag = FeaturePipelines.Classifier(FeatureKind.Pixels, settings);

        (ParameterGrid grid, _, _) = GridCommand.ParseGrid(sag, ["solver=saga", "sample_order=shuffled,with-replacement"]);
        Assert.That(grid, Has.Count.EqualTo(2));

        OptionException e = Assert.Throws<OptionException>(() => GridCommand.ParseGrid(sag, ["solver=saga,sag", "sample_order=shuffled"]))!;
        Assert.That(e.Message, Does.StartWith("--grid: sample_order=shuffled, solver=sag: SampleOrder=Shuffled is for Solver=Saga"));
        e = Assert.Throws<OptionException>(() => GridCommand.ParseGrid(sag, ["C=1,-1"]))!;
        Assert.That(e.Message, Does.StartWith("--grid: C=-1: C must be > 0"));
    }

    [Test]
    public void GridValue_OptionTypes_AreConverted()
    {
        Assert.That(ValueParsers.GridValue("random_state", "4000000000", typeof(uint)), Is.EqualTo(4_000_000_000u));
        Assert.That(ValueParsers.GridValue("n", "-5", typeof(long)), Is.EqualTo(-5L));
        Assert.That(ValueParsers.GridValue("pixels_per_cell", "6x8", typeof((int, int))), Is.EqualTo((6, 8)));
        Assert.That(ValueParsers.GridValue("C", "0.5", typeof(double)), Is.EqualTo(0.5));
    }

    [TestCase("grid", "--grid", "random_state=-1")]
    [TestCase("grid", "--features", "hog", "--grid", "pixels_per_cell=0x7")]
    public void Grid_ValueNotOfTheOptionsType_ExitsTwoNamingGrid(params string[] args)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run([.. args, "--no-download"]);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: --grid: ").And.Not.Contain("ValueTuple").And.Not.Contain("UInt32"));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
    }

    [TestCase("nosuch=1")]
    [TestCase("logreg.nosuch=1")]
    public void Grid_UnknownName_ListsSklearnNames(string item)
    {
        (int code, _, string stderr) = ToolRunner.Run("grid", "--features", "hog", "--grid", item, "--no-download");

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain("logreg.max_iter").And.Contain("logreg.random_state").And.Contain("hog.pixels_per_cell").And.Contain("logreg.C,"));
        Assert.That(stderr, Does.Not.Contain("MaxIterations").And.Not.Contain("PixelsPerCell"));
    }
}
