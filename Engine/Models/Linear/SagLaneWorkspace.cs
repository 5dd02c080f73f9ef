using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Models.Linear;

/// <summary>
/// The pooled scratch of one single-thread lane fit (<see cref="SagLaneSolver"/>, <see cref="SagLanePairSolver"/>,
/// <see cref="SagLaneQuadSolver"/>): the weight blocks, the per-sample gradient memory, the previous epoch's weights
/// and the seen flags. Disposing returns them to the pool.
/// </summary>
/// <remarks>
/// Pooled because first touching fresh pages costs more on this kind of VM than an epoch's arithmetic on them. The
/// gradient memory is not cleared: a sample's row is masked to +0 when it is first drawn (<see cref="SagLaneChain.Previous"/>),
/// which is exact since g − (+0) = g.
/// </remarks>
internal readonly ref struct SagLaneWorkspace
{
    private readonly ScratchArray<double> _blocks;
    private readonly ScratchArray<double> _memory;
    private readonly ScratchArray<double> _previous;
    private readonly ScratchArray<bool> _seen;
    private readonly int _offset;

    /// <param name="n">Samples.</param>
    /// <param name="d">Features.</param>
    /// <param name="lanes">Weight columns.</param>
    public SagLaneWorkspace(int n, int d, int lanes)
    {
        _blocks = new ScratchArray<double>((d * SagLaneKernels.Block) + 8, clear: true);
        _memory = new ScratchArray<double>(n * SagLanes.Count, clear: false);
        _previous = new ScratchArray<double>(d * lanes, clear: true);
        _seen = new ScratchArray<bool>(n, clear: true);
        _offset = SagLaneSolver.AlignedOffset(_blocks.Array);
    }

    /// <summary>The first weight block, 64-byte aligned (the blocks array is pinned).</summary>
    public ref double Weights => ref _blocks.Array[_offset];

    /// <summary>Per-sample gradient memory, <see cref="SagLanes.Count"/> doubles per sample.</summary>
    public double[] Memory => _memory.Array;

    /// <summary>The weights at the end of the previous epoch (d × lanes), for the stopping test.</summary>
    public double[] Previous => _previous.Array;

    /// <summary>Whether each sample has been drawn yet.</summary>
    public bool[] Seen => _seen.Array;

    /// <summary>Returns every array to the pool.</summary>
    public void Dispose()
    {
        _seen.Dispose();
        _previous.Dispose();
        _memory.Dispose();
        _blocks.Dispose();
    }
}
