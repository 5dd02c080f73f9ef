using System.Text.Json;

namespace FashionCore.Tests.Tools;

/// <summary>Runs a command with <c>--json</c> and checks the common contract: exit 0, stdout is one JSON document, no terminal escapes on stderr.</summary>
internal static class ToolJson
{
    public static JsonElement Run(params string[] args)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run([.. args, "--json", "--no-download", "--data", TestData.FashionMnist.Directory]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stderr, Does.Not.Contain("\u001b["), "no progress rendering when stderr is not a terminal or with --json");
        using JsonDocument document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }
}
