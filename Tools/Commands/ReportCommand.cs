using System.CommandLine;
using System.Globalization;
using FashionCore.Tools.Report;
using FashionCore.Tools.Study;
using Spectre.Console;

namespace FashionCore.Tools.Commands;

/// <summary><c>fashion report</c>: the whole study end to end — numbers next to the study's, plots, the 3-D scatter page and the model file.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        Option<bool> json = CommonOptions.Json();
        Option<bool> noDownload = CommonOptions.NoDownload();
        Option<int> seed = CommonOptions.Seed();
        Option<int> threads = CommonOptions.Threads();
        Option<string> output = new("--out")
        {
            Description = "Directory for report.md, report.json, the plots, the 3-D scatter page and model.fcm (created if needed).",
            DefaultValueFactory = _ => "report",
        };
        Option<int> noiseSeeds = ValueParsers.Int(
            "--noise-seeds",
            $"Also rerun the C × multi_class grid with N more seeds (seed+1 … seed+N, N from 0 to {MaxNoiseSeeds}) to show which winners are noise (about 10 s per seed; default 0).",
            0);
        var command = new Command("report", "Run the whole Fashion-MNIST study and write the report (Markdown, JSON, plots, 3-D scatter, model file).")
        {
            output, data, seed, threads, json, noDownload, noiseSeeds,
        };
        command.SetAction(result => UserError.Run(() => Run(
            new ReportOptions
            {
                OutputDirectory = CheckOutputDirectory(result.GetValue(output)),
                DataDirectory = result.GetValue(data),
                AllowDownload = !result.GetValue(noDownload),
                Seed = (int)CommonOptions.CheckSeed(result.GetValue(seed)),
                Threads = CommonOptions.CheckThreads(result.GetValue(threads)),
                NoiseSeeds = CheckNoiseSeeds(result.GetValue(noiseSeeds)),
            },
            result.GetValue(json))));
        return command;
    }

    /// <summary>The most <c>--noise-seeds</c> (<see cref="ReportOptions.Validate"/>'s bound): each reruns a grid of about 10 s.</summary>
    internal const int MaxNoiseSeeds = ReportOptions.MaxNoiseSeeds;

    /// <summary>The <c>--noise-seeds</c> value, checked here so the error names the option, not <see cref="ReportOptions"/>'s property.</summary>
    /// <exception cref="OptionException">Below 0 or above <see cref="MaxNoiseSeeds"/>.</exception>
    internal static int CheckNoiseSeeds(int seeds) =>
        seeds is >= 0 and <= MaxNoiseSeeds ? seeds : throw new OptionException("--noise-seeds", $"must be between 0 and {MaxNoiseSeeds}, got {seeds}.");

    /// <summary>The <c>--out</c> value, checked.</summary>
    /// <exception cref="OptionException">Empty or blank.</exception>
    internal static string CheckOutputDirectory(string? directory) =>
        !string.IsNullOrWhiteSpace(directory) ? directory : throw new OptionException("--out", $"must name a directory, got '{directory}'.");

    /// <summary>
    /// How the report shows its progress on stderr: none with <c>--json</c> (the README promises no progress output
    /// then), a line per finished stage when stderr is not a terminal (a log file, a test), else redrawn bars.
    /// </summary>
    internal static ReportProgressKind ProgressKind(bool json, bool errorRedirected) =>
        json ? ReportProgressKind.None : errorRedirected ? ReportProgressKind.Lines : ReportProgressKind.Bars;

    private static int Run(ReportOptions options, bool json)
    {
        options.Validate();
        IAnsiConsole err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        StudyResult result = null!;
        string text = "";
        ReportProgressKind progress = ProgressKind(json, Console.IsErrorRedirected);
        if (progress == ReportProgressKind.None)
        {
            (result, text) = ThreadLimit.Run(options.Threads, () => ReportWriter.Run(options, new NoProgress()));
        }
        else if (progress == ReportProgressKind.Lines)
        {
            // Not a terminal (a log file, a test): one line per finished stage instead of redrawn bars.
            (result, text) = ThreadLimit.Run(options.Threads, () => ReportWriter.Run(options, new LineProgress()));
        }
        else
        {
            err.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx => (result, text) = ThreadLimit.Run(options.Threads, () => ReportWriter.Run(options, new SpectreProgress(ctx))));
        }

        if (json)
        {
            // The stage times and the total are in the JSON itself.
            Console.WriteLine(text);
            return 0;
        }

        Console.Error.WriteLine(string.Join("  ", result.Stages.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Seconds:F1}s"))));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {result.TotalSeconds:F1} s; report in {Path.GetFullPath(options.OutputDirectory)}"));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"experiment",-12} {"train",8} {"test",8} {"cv mean",8}   study (train/test/cv)"));
        foreach (ClassifierResult c in result.Classifiers)
        {
            (double train, double test, double cv) = c.Name switch
            {
                "pixels" => (StudyReference.PixelsTrain, StudyReference.PixelsTest, StudyReference.PixelsCv5),
                "hog" => (StudyReference.HogTrain, StudyReference.HogTest, StudyReference.HogCv6),
                "pca" => (StudyReference.PcaTrain, StudyReference.PcaTest, StudyReference.PcaCv6),
                _ => (StudyReference.MixTrain, double.NaN, StudyReference.MixCv6),
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Name,-12} {c.TrainAccuracy,8:F4} {c.TestAccuracy,8:F4} {c.CvMean,8:F4}   {train:F4} / {(double.IsNaN(test) ? "  -   " : test.ToString("F4", CultureInfo.InvariantCulture))} / {cv:F4}"));
        }

        foreach (GridResult g in result.Grids)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Name}: best {g.Candidates[g.BestIndex]} ({g.MeanTestScore[g.BestIndex]:F4})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"k-means elbow knee: k = {result.Elbow.Knee?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {result.TotalSeconds:F1} s; report written to {Path.GetFullPath(options.OutputDirectory)}"));
        return 0;
    }

    internal enum ReportProgressKind
    {
        None,
        Lines,
        Bars,
    }

    private sealed class NoProgress : IReportProgress
    {
        public void Start(string stage, int steps)
        {
        }

        public void Report(string stage, int completed)
        {
        }

        public void Finish(string stage, double seconds)
        {
        }
    }

    private sealed class LineProgress : IReportProgress
    {
        public void Start(string stage, int steps)
        {
        }

        public void Report(string stage, int completed)
        {
        }

        public void Finish(string stage, double seconds) =>
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage}: {seconds:F1} s"));
    }

    private sealed class SpectreProgress(ProgressContext context) : IReportProgress
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private readonly Lock _lock = new();

        public void Start(string stage, int steps)
        {
            lock (_lock)
            {
                _tasks[stage] = context.AddTask(stage, maxValue: Math.Max(1, steps));
            }
        }

        public void Report(string stage, int completed)
        {
            lock (_lock)
            {
                _tasks[stage].Value = completed;
            }
        }

        public void Finish(string stage, double seconds)
        {
            lock (_lock)
            {
                ProgressTask task = _tasks[stage];
                task.Value = task.MaxValue;
                task.Description = string.Create(CultureInfo.InvariantCulture, $"{stage} ({seconds:F1} s)");
                task.StopTask();
            }
        }
    }
}
