using System.Text.Json;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Selection;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Tools;

/// <summary><c>fashion cv</c> and <c>fashion grid</c> against <c>CrossValidation.Evaluate</c> / <c>GridSearch.Run</c> called directly: identical scores.</summary>
[Category("Dataset")]
public class SelectionCommandTests
{
    private const int Rows = 1500;

    [Test]
    public void Cv_PcaJson_EqualsCrossValidationEvaluate()
    {
        JsonElement json = ToolJson.Run("cv", "--features", "pca", "--components", "20", "--range", $"0:{Rows}", "--folds", "3", "--max-iter", "5");

        var pipeline = new Pipeline(
            [new("scale", new StandardScaler()), new("pca", new Pca(new PcaOptions { Components = 20 }))],
            "logreg",
            new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 5, RandomState = 0 }));
        CrossValidationResult expected = CrossValidation.Evaluate(
            pipeline, TrainCommandTests.Train(Rows), TrainCommandTests.Labels(TestData.FashionMnist.Train, Rows), new() { Splitter = new StratifiedKFold(3) });

        Assert.That(json.GetProperty("folds").GetInt32(), Is.EqualTo(3));
        Assert.That(json.GetProperty("rows").GetInt32(), Is.EqualTo(Rows));
        Assert.That(json.GetProperty("test_scores").Doubles(), Is.EqualTo(expected.TestScores.ToArray()));
        for (int i = 0; i < 3; i++)
        {
            Assert.That(json.GetProperty($"split{i}_test_score").GetDouble(), Is.EqualTo(expected.TestScores[i]));
        }

        Assert.That(json.GetProperty("mean_test_score").GetDouble(), Is.EqualTo(expected.MeanScore));
        Assert.That(json.GetProperty("std_test_score").GetDouble(), Is.EqualTo(expected.StdScore));
        Assert.That(json.GetProperty("mean_fit_time").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void Grid_StudyMultiClassGridJson_EqualsGridSearchRunInSklearnLayout()
    {
        JsonElement json = ToolJson.Run("grid", "--range", $"0:{Rows}", "--grid", "C=10,0.1", "--grid", "multi_class=ovr,multinomial", "--max-iter", "1");

        var pipeline = new Pipeline(
            [new("scale", new PixelScaler())], "logreg", new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 1, RandomState = 0 }));
        var grid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>> { ["logreg.C"] = [10, 0.1], ["logreg.multi_class"] = ["ovr", "multinomial"] });
        GridSearchResult<PipelineModel> expected = GridSearch.Run(
            pipeline, grid, TrainCommandTests.Train(Rows), TrainCommandTests.Labels(TestData.FashionMnist.Train, Rows),
            new() { Splitter = new StratifiedKFold(3), Refit = false });
        CvResults cv = expected.CvResults;

        // sklearn's ParameterGrid order: keys sorted ("C" < "multi_class"), the last varying fastest.
        Assert.That(
            json.GetProperty("params").EnumerateArray().Select(p => $"{p.GetProperty("C").GetDouble()}/{p.GetProperty("multi_class").GetString()}"),
            Is.EqualTo(new[] { "10/ovr", "10/multinomial", "0.1/ovr", "0.1/multinomial" }));
        for (int split = 0; split < 3; split++)
        {
            Assert.That(json.GetProperty($"split{split}_test_score").Doubles(), Is.EqualTo(Enumerable.Range(0, 4).Select(c => cv.SplitTestScore(split, c))));
        }

        Assert.That(json.GetProperty("mean_test_score").Doubles(), Is.EqualTo(cv.MeanTestScore.ToArray()));
        Assert.That(json.GetProperty("std_test_score").Doubles(), Is.EqualTo(cv.StdTestScore.ToArray()));
        Assert.That(json.GetProperty("rank_test_score").Ints(), Is.EqualTo(cv.RankTestScore.ToArray()));
        Assert.That(json.GetProperty("mean_fit_time").Doubles(), Has.Length.EqualTo(4).And.All.GreaterThan(0));
        Assert.That(json.GetProperty("best_score").GetDouble(), Is.EqualTo(expected.BestScore));
        Assert.That(json.GetProperty("best_index").GetInt32(), Is.EqualTo(expected.BestIndex));
        JsonElement best = json.GetProperty("best_params");
        Assert.That(best.GetProperty("multi_class").GetString(), Is.EqualTo(expected.BestParameters[1].Value));
    }

    // Every candidate is valid although each sample_order value alone clashes with the base --solver sag: candidates are
    // judged whole (the command used to reject this grid naming sample_order=shuffled).
    [Test]
    public void Grid_ValueClashingWithTheBaseOptionsButNotWithinItsCandidate_Runs()
    {
        JsonElement json = ToolJson.Run("grid", "--range", "0:600", "--solver", "sag", "--grid", "solver=saga", "--grid", "sample_order=shuffled,with-replacement", "--max-iter", "1");

        Assert.That(
            json.GetProperty("params").EnumerateArray().Select(p => $"{p.GetProperty("sample_order").GetString()}/{p.GetProperty("solver").GetString()}"),
            Is.EqualTo(new[] { "shuffled/saga", "with-replacement/saga" }));
        Assert.That(json.GetProperty("mean_test_score").Doubles(), Has.Length.EqualTo(2).And.All.GreaterThan(0.5));
    }

    [Test]
    public void Cv_OneOrTwoThreads_GivesIdenticalScores()
    {
        string[] args = ["cv", "--features", "pca+hog", "--components", "8", "--range", "0:900", "--folds", "3", "--max-iter", "3"];

        JsonElement one = ToolJson.Run([.. args, "--threads", "1"]);
        JsonElement two = ToolJson.Run([.. args, "--threads", "2"]);

        Assert.That(two.GetProperty("test_scores").Doubles(), Is.EqualTo(one.GetProperty("test_scores").Doubles()));
    }

    [Test]
    public void Grid_StepPathAndTextOutput_PrintsCvResultsTable()
    {
        (int code, string stdout, string stderr) = ToolRunner.Run(
            "grid", "--features", "pca", "--range", "0:600", "--grid", "pca.n_components=5,10", "--max-iter", "2",
            "--no-download", "--data", TestData.FashionMnist.Directory);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("mean_test_score").And.Contain("rank_test_score").And.Contain("{'pca.n_components': 10}"));
        Assert.That(stdout, Does.Contain("best params: {'pca.n_components': "));
    }
}
