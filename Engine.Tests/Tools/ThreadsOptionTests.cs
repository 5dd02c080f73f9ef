using System.Text.Json.Nodes;
using FashionCore.Tests.Serve;
using FashionCore.Tools.Commands;

namespace FashionCore.Tests.Tools;

/// <summary>
/// <c>--threads</c> end to end: with <c>--threads 1</c> a whole command (data loading included) runs its work on one
/// thread at a time (every engine loop it starts is on the limit's scheduler), and its JSON output equals the <c>--threads 2</c> output
/// apart from timings. See <see cref="ThreadLimitTests"/> for why that check is sound.
/// </summary>
[Category("Dataset")]
[NonParallelizable]
public class ThreadsOptionTests
{
    private static readonly string[][] s_commands =
    [
        ["train", "--features", "hog", "--range", "0:3000", "--max-iter", "5"],
        ["cv", "--features", "pca", "--range", "0:3000", "--folds", "3", "--max-iter", "3"],
        ["grid", "--features", "pixels", "--range", "0:2000", "--folds", "2", "--max-iter", "1", "--grid", "C=0.1,1"],
        ["kmeans", "--range", "0:3000", "--k", "2-4", "--n-init", "2"],
        ["features", "pca", "--range", "0:50", "--components", "5"],
        ["predict", "--model", "{model}", "--test-index", "0-299"],
        ["info"],
    ];

    private static IEnumerable<TestCaseData> Commands() =>
        s_commands.Select(args => new TestCaseData((object)args).SetArgDisplayNames(args[0]));

    [TestCaseSource(nameof(Commands))]
    public void Command_ThreadsOne_AllLoopsOnOneThreadSameOutputAsTwo(string[] args)
    {
        // Resolved here, not in the source, so that test discovery does not fit the model.
        args = [.. args.Select(a => a == "{model}" ? TestModel.Path : a)];
        string directory = Directory.CreateTempSubdirectory("fashioncore-threads-").FullName;
        try
        {
            string[] common = ["--json", "--no-download", "--data", TestData.FashionMnist.Directory];
            string[] Output(string name) => args[0] == "features" ? ["--out", Path.Combine(directory, name)] : [];
            using var recorder = new RecordingScheduler(1);
            (int Code, string Stdout, string Stderr) one = (-1, "", "");
            System.Collections.Concurrent.ConcurrentBag<(TaskScheduler Scheduler, int Thread)> started;
            ThreadLimit.Underlying = recorder;
            try
            {
                started = ThreadLimitTests.Record(() => one = ToolRunner.Run([.. args, .. common, .. Output("one.npy"), "--threads", "1"]));
            }
            finally
            {
                ThreadLimit.Underlying = null;
            }

            (int Code, string Stdout, string Stderr) two = ToolRunner.Run([.. args, .. common, .. Output("two.npy"), "--threads", "2"]);

            Assert.That(one.Code, Is.Zero, one.Stderr);
            Assert.That(two.Code, Is.Zero, two.Stderr);
            Assert.That(started, Is.Not.Empty, "the command ran parallel loops (at least the data loading)");
            Assert.That(started.Select(s => s.Scheduler == TaskScheduler.Default ? -1 : s.Scheduler.MaximumConcurrencyLevel), Has.All.EqualTo(1), "every loop ran under the limit");
            Assert.That(started.Select(s => s.Thread).Distinct(), Is.EqualTo(recorder.ThreadIds), "on the limit's one thread");
            Assert.That(WithoutTimes(one.Stdout, directory), Is.EqualTo(WithoutTimes(two.Stdout, directory)));
            if (args[0] == "features")
            {
                Assert.That(File.ReadAllBytes(Path.Combine(directory, "one.npy")), Is.EqualTo(File.ReadAllBytes(Path.Combine(directory, "two.npy"))));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The JSON text with timings and output file names removed (the only parts allowed to differ).</summary>
    private static string WithoutTimes(string json, string directory)
    {
        JsonNode root = JsonNode.Parse(json)!;
        Strip(root);
        return root.ToJsonString().Replace("two.npy", "one.npy", StringComparison.Ordinal).Replace(directory, "DIR", StringComparison.Ordinal);
    }

    private static void Strip(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (string key in o.Select(p => p.Key).Where(k => k.Contains("time", StringComparison.Ordinal) || k.Contains("seconds", StringComparison.Ordinal)).ToList())
            {
                o.Remove(key);
            }

            foreach (KeyValuePair<string, JsonNode?> child in o)
            {
                Strip(child.Value);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (JsonNode? child in a)
            {
                Strip(child);
            }
        }
    }
}
