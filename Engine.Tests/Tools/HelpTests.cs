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

    [TestCase("info")]
    [TestCase("features")]
    [TestCase("predict")]
    [TestCase("bench")]
    public void Help_CommandWithoutRandomness_SaysSeedIsUnused(string command)
    {
        (_, string stdout, _) = ToolRunner.Run(command, "--help");

        Assert.That(stdout, Does.Contain("unused"));
    }
}
