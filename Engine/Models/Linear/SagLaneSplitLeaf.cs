namespace FashionCore.Models.Linear;

/// <summary>
/// The pipeline state of one leaf of <see cref="SagLaneSplitTree"/> (features [<see cref="Lo"/>, + <see cref="Count"/>)):
/// the current and next quads' non-zero columns and the next quad's partial dot products and row products. Shared by
/// the two workers of <see cref="SagLaneSplitSolver"/>: only the leaf's owner touches it, and when the leaf changes
/// owner the new one goes on from where the old one stopped (after receiving a message the old one sent later).
/// </summary>
internal sealed class SagLaneSplitLeaf(int lo, int count)
{
    /// <summary>
    /// Bytes of the spacer each leaf (and worker) allocates after its arrays, so that state written every round by one
    /// worker never shares a cache line with the next object on the heap, which the other may be writing (measured:
    /// without it the two-thread fit was 10-15% slower).
    /// </summary>
    public const int GuardBytes = 192;

    /// <summary>The leaf's first feature.</summary>
    public readonly int Lo = lo;

    /// <summary>The leaf's features.</summary>
    public readonly int Count = count;

    /// <summary>Scratch for the next quad's columns that the current quad does not visit.</summary>
    public readonly int[] OnlyNext = new int[count + 16];

    /// <summary>The next quad's row products over the leaf.</summary>
    public readonly double[] Gram = new double[SagLaneSplitTree.Grams];

    /// <summary>The current quad's non-zero columns (leaf-relative).</summary>
    public int[] Union = new int[count + 16];

    /// <summary>The next quad's non-zero columns, once prepared.</summary>
    public int[] NextUnion = new int[count + 16];

    /// <summary>Entries of <see cref="Union"/> in use.</summary>
    public int UnionCount;

    /// <summary>Entries of <see cref="NextUnion"/> in use.</summary>
    public int NextUnionCount;

    /// <summary>The next quad's dot products over the leaf (accumulated from zero).</summary>
    public SagLaneQuadKernels.Accumulators Acc;

    // Allocated after the arrays (initialisers run in order), held so the spacing survives compaction.
    private readonly byte[] _guard = new byte[GuardBytes];
}
