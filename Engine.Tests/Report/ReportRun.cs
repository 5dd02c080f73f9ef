using System.Text.Json;
using FashionCore.Tests.Tools;

namespace FashionCore.Tests.Report;

/// <summary>
/// One in-process <c>fashion report --json --seed 0</c> on the real data into a temporary directory, shared by every report
/// test (the run takes minutes, so it happens once per test run).
/// </summary>
public static class ReportRun
{
    private static readonly Lazy<ReportRunResult> s_run = new(() =>
    {
        string dir = Directory.CreateTempSubdirectory("fashioncore-report-").FullName;
        (int code, string stdout, string stderr) = ToolRunner.Run(
            "report", "--out", dir, "--json", "--seed", "0", "--data", TestData.FashionMnist.Directory, "--no-download");
        return new ReportRunResult(dir, code, stdout, stderr);
    });

    /// <summary>The run (started on first use).</summary>
    public static ReportRunResult Value => s_run.Value;
}

/// <summary>What the shared report run produced.</summary>
public sealed record ReportRunResult(string Directory, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>report.json as written to disk.</summary>
    public JsonElement Json
    {
        get
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "report.json")));
            return doc.RootElement.Clone();
        }
    }
}
