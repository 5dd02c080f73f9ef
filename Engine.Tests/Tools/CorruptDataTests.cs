namespace FashionCore.Tests.Tools;

/// <summary>A corrupt data file is the user's mistake: exit code 2, one line naming the file, no stack trace.</summary>
public class CorruptDataTests
{
    [TestCase("info")]
    [TestCase("train", "--range", "0:10", "--max-iter", "1")]
    [TestCase("cv", "--range", "0:20", "--folds", "2", "--max-iter", "1")]
    [TestCase("features", "pixels", "--split", "test", "--out", OutToken)]
    public void Command_CorruptDataFile_ExitsTwoWithOneLineNamingTheFile(params string[] args)
    {
        using var data = new CorruptDataDirectory();
        string output = System.IO.Path.Combine(data.Path, "never-written.csv");
        args = [.. args.Select(a => a == OutToken ? output : a)];

        (int code, string stdout, string stderr) = ToolRunner.Run([.. args, "--no-download", "--data", data.Path]);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: ").And.Contain("t10k-images-idx3-ubyte.gz"));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
        Assert.That(stderr, Does.Not.Contain("   at ").And.Not.Contain("AggregateException"));
        Assert.That(File.Exists(output), Is.False, "an output file");
    }

    // Stands for a file inside the test's own temporary data directory (deleted with it).
    private const string OutToken = "{out}";

    [Test]
    public void UserError_AggregateOfOneMistake_ExitsTwoWithTheInnerMessage()
    {
        var capture = new StringWriter();
        TextWriter old = Console.Error;
        int code;
        try
        {
            Console.SetError(capture);
            code = FashionCore.Tools.Commands.UserError.Run(() => throw new AggregateException(new InvalidDataException("x.gz: truncated.")));
        }
        finally
        {
            Console.SetError(old);
        }

        Assert.That(code, Is.EqualTo(2));
        Assert.That(capture.ToString(), Is.EqualTo($"fashion: x.gz: truncated.{Environment.NewLine}"));
    }
}
