using FashionCore.Selection;
using FashionCore.Tools.Commands;
using Spectre.Console;

namespace FashionCore.Tools.Output;

/// <summary>
/// Spinners and progress bars for the long stages, on stderr only, and only when stderr is an interactive terminal and
/// the command is not in <c>--json</c> mode — so piped or captured output is never garbled and nothing waits on a terminal.
/// The work itself runs under the command's <c>--threads</c> limit (<see cref="ThreadLimit"/>); the display does not.
/// </summary>
internal sealed class ConsoleProgress
{
    private readonly IAnsiConsole? _console;
    private readonly int _threads;

    public ConsoleProgress(bool json, int threads)
    {
        _threads = threads;
        if (!json && !Console.IsErrorRedirected)
        {
            _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Interactive = InteractionSupport.Yes });
        }
    }

    /// <summary>Whether anything is drawn.</summary>
    public bool Enabled => _console is not null;

    /// <summary>Runs <paramref name="work"/> behind a spinner labelled <paramref name="description"/>.</summary>
    public T Stage<T>(string description, Func<T> work)
    {
        if (_console is null)
        {
            return ThreadLimit.Run(_threads, work);
        }

        return _console.Status().Spinner(Spinner.Known.Dots).Start(description, _ => ThreadLimit.Run(_threads, work));
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar of <paramref name="total"/> steps that it advances through the given reporter.</summary>
    public T Bar<T>(string description, int total, Func<IProgress<SearchProgress>?, T> work)
    {
        if (_console is null)
        {
            return ThreadLimit.Run(_threads, () => work(null));
        }

        return _console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(description, maxValue: total);
                var reporter = new TaskReporter(task);
                return ThreadLimit.Run(_threads, () => work(reporter));
            });
    }

    /// <summary>Sets the bar synchronously from whichever thread reports (Progress&lt;T&gt; would post to the thread pool and lag).</summary>
    private sealed class TaskReporter(ProgressTask task) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => task.Value = value.Completed;
    }
}
