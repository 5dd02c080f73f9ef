namespace FashionCore.Tools.Report;

/// <summary>Receives the report's progress: one stage at a time, each with a known number of steps.</summary>
/// <remarks>Calls may come from worker threads (cross-validation folds finish in parallel).</remarks>
public interface IReportProgress
{
    /// <summary>A stage starts.</summary>
    /// <param name="stage">Stage name.</param>
    /// <param name="steps">Steps it will take (at least 1).</param>
    void Start(string stage, int steps);

    /// <summary>Steps done so far in the stage.</summary>
    /// <param name="stage">Stage name.</param>
    /// <param name="completed">Steps done.</param>
    void Report(string stage, int completed);

    /// <summary>The stage is done.</summary>
    /// <param name="stage">Stage name.</param>
    /// <param name="seconds">Its wall time.</param>
    void Finish(string stage, double seconds);
}
