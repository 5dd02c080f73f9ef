using System.Collections.Concurrent;

namespace FashionCore.Tests.Tools;

/// <summary>
/// A scheduler with its own N dedicated threads (never the thread pool). Under
/// <see cref="FashionCore.Tools.Commands.ThreadLimit"/> it runs the limit's worker loops, so the threads that may run a
/// limited command's work are exactly <see cref="ThreadIds"/>: a test can check that every engine loop was started on
/// one of them.
/// </summary>
internal sealed class RecordingScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = [];
    private readonly Thread[] _threads;

    public RecordingScheduler(int threads)
    {
        _threads = [.. Enumerable.Range(0, threads).Select(_ => new Thread(Work) { IsBackground = true })];
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Managed ids of the scheduler's threads.</summary>
    public IReadOnlyCollection<int> ThreadIds => [.. _threads.Select(t => t.ManagedThreadId)];

    public override int MaximumConcurrencyLevel => _threads.Length;

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _queue.Dispose();
    }

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Inline on its own threads only, as the default scheduler would on its workers: the limit's waits need it (a waiting
    // worker runs the task it waits for), and no other thread may run the limit's work.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Array.IndexOf(_threads, Thread.CurrentThread) >= 0 && TryExecuteTask(task);

    protected override IEnumerable<Task>? GetScheduledTasks() => null;

    private void Work()
    {
        foreach (Task task in _queue.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
