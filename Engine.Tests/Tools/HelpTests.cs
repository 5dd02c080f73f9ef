using FashionCore.Tools;

namespace FashionCore.Tests.Tools;

/// <summary>Every command documents the options the issue says every command takes.</summary>
public class HelpTests
{
    [TestCase("info")]
    [TestCase("features")]
    [TestCase("train")]
    [TestCase("cv")]
    [TestCase("grid")]
    [TestCase("kmeans")]
    [TestCase("bench")]
    [TestCase("predict")]
    [TestCase("serve")]
    [TestCase("report")]
    public void Help_EveryCommand_ListsDataSeedThreadsJsonNoDownload(string command)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run(command, "--help");

        Assert.That(code, Is.Zero, stderr);
        foreach (string option in (string[])["--data", "--seed", "--threads", "--json", "--no-download"])
        {
            Assert.That(stdout, Does.Contain($"  {option} "), $"{command} --help lists {option}");
        }
    }

    [Test]
    public void Commands_EachEntry_CreatesTheCommandOfItsName()
    {
        // Main builds only the command its first argument names, found by these names.
        Assert.That(Program.Commands.Select(c => c.Create().Name), Is.EqualTo(Program.Commands.Select(c => c.Name)));
    }

    [Test]
    public void Help_Root_ListsEveryCommand()
    {
        (int code, string stdout, _) = ToolRunner.Run("--help");

        Assert.That(code, Is.Zero);
        foreach ((string name, _) in Program.Commands)
        {
            Assert.That(stdout, Does.Contain($"  {name} "), $"root help lists {name}");
        }
    }

    [Test]
    public void Parse_CommandThenASiblingsName_FailsAsAnUnknownArgument()
    {
        // With only kmeans built, a sibling's name after it is still what it was with all of them: not a command there.
        (int code, _, string stderr) = ToolRunner.Run("kmeans", "info");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("'info'"));
    }

    [TestCase("info")]
    [TestCase("features")]
    [TestCase("predict")]
    [TestCase("bench")]
    public void Help_CommandWithoutRandomness_SaysSeedIsUnused(string command)
    {
        (_, string stdout, _) = ToolRunner.Run(command, "--help");

        Assert.That(stdout, Does.Contain("unused"));
    }

    [TestCase("kmeans")]
    [TestCase("cv")]
    [TestCase("grid")]
    public void Help_CommandThatNeverReadsTheTestSet_DoesNotSayItIsWhole(string command)
    {
        (_, string stdout, _) = ToolRunner.Run(command, "--help");

        Assert.That(Unwrapped(stdout), Does.Contain("--range").And.Not.Contain("test set is always whole"));
    }

    [Test]
    public void Help_Train_SaysTheTestSetIsWhole()
    {
        (_, string stdout, _) = ToolRunner.Run("train", "--help");

        Assert.That(Unwrapped(stdout), Does.Contain("test set is always whole"));
    }

    [Test]
    public void Help_Report_DocumentsTheNoiseSeedsLimit()
    {
        (_, string stdout, _) = ToolRunner.Run("report", "--help");

        Assert.That(Unwrapped(stdout), Does.Contain("N from 0 to 20"));
    }

    // Help wraps descriptions to the console's width; phrases are looked for across the breaks.
    private static string Unwrapped(string help) => System.Text.RegularExpressions.Regex.Replace(help, @"\s+", " ");
}
