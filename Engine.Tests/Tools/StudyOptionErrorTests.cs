namespace FashionCore.Tests.Tools;

/// <summary>Bad option values: exit code 2, one line on stderr that names the option, nothing on stdout, no stack trace.</summary>
public class StudyOptionErrorTests
{
    [TestCase("--C", "train", "--C", "-1")]
    [TestCase("--C", "cv", "--C", "0")]
    [TestCase("--max-iter", "train", "--max-iter", "0")]
    [TestCase("--max-iter", "train", "--max-iter", "abc")]
    [TestCase("--tol", "train", "--tol", "-1")]
    [TestCase("--C", "train", "--C", "NaN")]
    [TestCase("--unknown", "train", "--unknown", "3")]
    [TestCase("Required command", "--seed", "1")]
    [TestCase("--solver", "train", "--solver", "liblinear")]
    [TestCase("--multi-class", "train", "--multi-class", "both")]
    [TestCase("--penalty", "train", "--penalty", "l3")]
    [TestCase("--sample-order", "train", "--sample-order", "random")]
    [TestCase("--sample-order", "train", "--sample-order", "shuffled", "--solver", "sag")]
    [TestCase("--penalty", "train", "--penalty", "l1", "--solver", "lbfgs")]
    [TestCase("--l1-ratio", "train", "--penalty", "elasticnet")]
    [TestCase("--l1-ratio", "train", "--penalty", "elasticnet", "--l1-ratio", "2")]
    [TestCase("--scale", "train", "--scale", "log")]
    [TestCase("--features", "train", "--features", "sift")]
    [TestCase("--orientations", "train", "--features", "hog", "--orientations", "0")]
    [TestCase("--cell", "train", "--cell", "0x8")]
    [TestCase("--cell", "features", "hog", "--cell", "8by8", "--out", "x.csv")]
    [TestCase("--block", "train", "--block", "x3")]
    [TestCase("--cell/--block", "train", "--cell", "20x20")]
    [TestCase("--block-norm", "train", "--block-norm", "L3")]
    [TestCase("--components", "train", "--features", "pca", "--components", "0")]
    [TestCase("--components", "features", "pca", "--components", "785", "--out", "x.npy")]
    [TestCase("--seed", "train", "--seed", "-1")]
    [TestCase("--threads", "cv", "--threads", "0")]
    [TestCase("--threads", "kmeans", "--threads", "-1")]
    [TestCase("--threads", "info", "--threads", "0")]
    [TestCase("--seed", "info", "--seed", "-1")]
    [TestCase("--threads", "predict", "--model", "missing.fcm", "--test-index", "0", "--threads", "0")]
    [TestCase("--seed", "predict", "--model", "missing.fcm", "--test-index", "0", "--seed", "-2")]
    [TestCase("--threads", "serve", "--model", "missing.fcm", "--threads", "0")]
    [TestCase("--seed", "serve", "--model", "missing.fcm", "--seed", "-1")]
    [TestCase("--threads", "report", "--threads", "0")]
    [TestCase("--seed", "bench", "--seed", "-1")]
    [TestCase("--folds", "cv", "--folds", "1")]
    [TestCase("--grid", "grid", "--grid", "C")]
    [TestCase("--grid", "grid", "--grid", "nosuch=1,2")]
    [TestCase("--grid", "grid", "--grid", "C=-1,1")]
    [TestCase("--grid", "grid", "--grid", "C=1", "--grid", "C=2")]
    [TestCase("--grid", "grid", "--grid", "solver=saga,liblinear")]
    [TestCase("--grid", "grid", "--grid", "solver=saga,sag", "--grid", "sample_order=shuffled")]
    [TestCase("--out", "features", "pixels", "--out", "x.txt")]
    [TestCase("--split", "features", "pixels", "--split", "val", "--out", "x.csv")]
    [TestCase("kind", "features", "pca+hog", "--out", "x.csv")]
    [TestCase("--classes", "kmeans", "--classes", "0-12")]
    [TestCase("--k", "kmeans", "--k", "3-1")]
    [TestCase("--n-init", "kmeans", "--n-init", "0")]
    [TestCase("--stages", "bench", "--stages", "load,fit_everything")]
    [TestCase("--reps", "bench", "--reps", "0")]
    [TestCase("--stages", "bench", "--stages", ",,")]
    [TestCase("--noise-seeds", "report", "--noise-seeds", "-1")]
    [TestCase("--noise-seeds", "report", "--noise-seeds", "21")]
    [TestCase("--noise-seeds", "report", "--noise-seeds", "many")]
    [TestCase("--out", "report", "--out", "")]
    [TestCase("--seed", "cv", "--seed", "abc")]
    [TestCase("--folds", "cv", "--folds", "five")]
    [TestCase("--threads", "train", "--threads", "all")]
    [TestCase("--n-init", "kmeans", "--n-init", "x")]
    [TestCase("--k", "kmeans", "--k", "1-60001")]
    public void Command_BadOptionValue_ExitsTwoWithOneLineNamingTheOption(string option, params string[] args)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run([.. args, "--no-download"]);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: ").And.Contain(option));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.Not.Contain("   at ").And.Not.Contain("(Parameter '"));
    }

    [TestCase("--seed", "cv", "--seed", "abc")]
    [TestCase("--folds", "grid", "--folds", "1.5", "--grid", "C=1")]
    [TestCase("--noise-seeds", "report", "--noise-seeds", "1e3")]
    [TestCase("--max-iter", "train", "--max-iter", "abc")]
    public void Command_NonNumericInteger_SaysIsNotAnInteger(string option, params string[] args)
    {
        (int code, _, string stderr) = ToolRunner.Run([.. args, "--no-download"]);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.StartWith($"fashion: {option}: '").And.EndWith($"' is not an integer.{Environment.NewLine}"));
    }

    [TestCase("--folds", "cv", "--range", "0:20", "--folds", "10")]
    [TestCase("--folds", "grid", "--range", "0:20", "--folds", "10", "--grid", "C=1,2")]
    [TestCase("--folds", "cv", "--range", "0:1")]
    [TestCase("--range", "train", "--range", "0:1")]
    [Category("Dataset")]
    public void Command_TooFewRowsForFoldsOrClasses_NamesTheOptionsNotTheEngineParameter(string option, params string[] args)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run([.. args, "--max-iter", "1", "--no-download", "--data", TestData.FashionMnist.Directory]);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith($"fashion: {option}: ").And.Contain("--range"));
        Assert.That(stderr, Does.Not.Contain("(Parameter '").And.Not.Contain("'y'"));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
    }

    [Test]
    public void Train_ModelInMissingDirectory_ExitsTwoBeforeAnyWorkAndCreatesNoFolder()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"fashioncore-missing-{Guid.NewGuid():N}");

        (int code, string stdout, string stderr) = ToolRunner.Run("train", "--model", Path.Combine(missing, "sub", "m.fcm"), "--no-download", "--data", missing);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: --model: directory ").And.Contain("does not exist"));
        Assert.That(Directory.Exists(missing), Is.False);
    }

    [Test]
    public void Train_ModelIsADirectory_ExitsTwoBeforeLoadingData()
    {
        // --data names a missing directory: had the command loaded data (or fitted) first, the error would be about the data.
        (int code, string stdout, string stderr) = ToolRunner.Run(
            "train", "--model", Path.GetTempPath(), "--no-download", "--data", Path.Combine(Path.GetTempPath(), $"fashioncore-missing-{Guid.NewGuid():N}"));

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: --model: ").And.Contain("is a directory"));
    }

    [TestCase("train", "--range", "5:2")]
    [TestCase("train", "--range", "0:60001")]
    [TestCase("cv", "--range", "a:b")]
    [TestCase("features", "pixels", "--split", "test", "--range", "0:10001", "--out", "x.csv")]
    [Category("Dataset")]
    public void Command_BadRange_ExitsTwoNamingRange(params string[] args)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run([.. args, "--no-download", "--data", TestData.FashionMnist.Directory]);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: --range:"));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
    }

    [Test]
    [Category("Dataset")]
    public void Features_OutputDirectoryMissing_ExitsTwoAndWritesNothing()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"fashioncore-missing-{Guid.NewGuid():N}", "x.csv");

        (int code, string stdout, string stderr) = ToolRunner.Run("features", "pixels", "--range", "0:2", "--out", missing, "--no-download", "--data", TestData.FashionMnist.Directory);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain("does not exist"));
        Assert.That(File.Exists(missing), Is.False);
    }
}
