namespace FashionCore.Models.Linear;

/// <summary>
/// How often a <see cref="SagLaneSplitSolver"/> fit changed who runs the second worker (diagnostics and tests; written
/// by the calling thread outside the rounds, read after the fit).
/// </summary>
internal sealed class SagLaneSplitCounts
{
    /// <summary>Times the caller took the partner's worker over (a stalled partner).</summary>
    public int TakeOvers { get; set; }

    /// <summary>Times the caller handed it back to the partner thread.</summary>
    public int HandBacks { get; set; }

    /// <summary>Whether the caller ran both workers from the start (the partner did not start in time, or none).</summary>
    public bool Alone { get; set; }
}
