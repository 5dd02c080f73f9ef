using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Linear;

/// <summary>
/// The fixed partition of <see cref="SagLaneSplitSolver"/>'s features into leaves (contiguous column ranges) and the
/// fixed binary tree in which the leaves' partial sums (a quad's dot products and row products) are added up. Worker 0
/// owns leaves [0, b), worker 1 leaves [b, K), for a boundary b that may move while the solver runs (to balance the
/// work between unequal cores): each leaf's sums are accumulated from zero over its own columns, and every tree node is
/// the sum of its two children, so the total is the same bits whichever worker owns which leaves.
/// </summary>
/// <remarks>
/// <para>
/// Each worker adds up the nodes that lie within its leaves and sends the largest ones (its <see cref="Cover"/>); the
/// receiver adds the nodes that straddle the boundary. The tree is shaped so that the nodes next to the middle are the
/// deep ones: with six leaves ((L0, (L1, L2)), ((L3, L4), L5)), every boundary needs at most two nodes per side.
/// </para>
/// <para>
/// The leaves are cut at equal shares of the non-zeros of the first rows (the work of a pass is ~ the non-zeros it
/// visits): the outer quarters whole, the middle half in eighths, so the boundary moves in eighths of the work between
/// a quarter and three quarters.
/// </para>
/// </remarks>
internal sealed class SagLaneSplitTree
{
    /// <summary>Dot-product sets per node: x_r·U and x_r·A for the quad's four samples.</summary>
    public const int Sets = 2 * SagLaneQuadSolver.Width;

    /// <summary>Row products per node (<see cref="SagLaneQuadKernels.Gram{T}"/>).</summary>
    public const int Grams = 6;

    /// <summary>Most leaves.</summary>
    public const int MaxLeaves = 6;

    // Shares of the non-zeros at which the six leaves start (in eighths).
    private static readonly int[] s_eighths = [0, 2, 3, 4, 5, 6];

    private readonly int[] _columns;
    private readonly int[] _lo;
    private readonly int[] _hi;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[] _leafNode;
    private readonly int[][][] _cover;
    private readonly int[][][] _within;
    private readonly int[][] _straddling;

    /// <param name="columns">The leaves' first columns, ascending, then the column count (K + 1 values, K ≥ 2).</param>
    public SagLaneSplitTree(int[] columns)
    {
        _columns = columns;
        int k = columns.Length - 1;
        Leaves = k;
        Nodes = (2 * k) - 1;
        _lo = new int[Nodes];
        _hi = new int[Nodes];
        _left = new int[Nodes];
        _right = new int[Nodes];
        _leafNode = new int[k];
        List<int> postOrder = [];
        int next = 0;
        Build(0, k, ref next, postOrder);

        // Per boundary b (1 … K−1): each worker's cover (the maximal nodes within its leaves, left to right), the
        // internal nodes within its leaves (children first), and the internal nodes across the boundary (children first).
        _cover = new int[2][][];
        _within = new int[2][][];
        _straddling = new int[k][];
        for (int w = 0; w < 2; w++)
        {
            _cover[w] = new int[k][];
            _within[w] = new int[k][];
        }

        for (int b = 1; b < k; b++)
        {
            for (int w = 0; w < 2; w++)
            {
                int lo = w == 0 ? 0 : b;
                int hi = w == 0 ? b : k;
                List<int> cover = [];
                Collect(0, lo, hi, cover);
                _cover[w][b] = [.. cover];
                _within[w][b] = [.. postOrder.Where(v => _left[v] >= 0 && _lo[v] >= lo && _hi[v] <= hi)];
            }

            _straddling[b] = [.. postOrder.Where(v => _lo[v] < b && _hi[v] > b)];
        }
    }

    /// <summary>Leaves (K).</summary>
    public int Leaves { get; }

    /// <summary>Tree nodes (2K − 1; the root is node 0).</summary>
    public int Nodes { get; }

    /// <summary>The boundary that splits the work evenly.</summary>
    public int Middle => Leaves / 2;

    /// <summary>Most nodes either worker sends, at any boundary.</summary>
    public int MaxCover
    {
        get
        {
            int most = 0;
            for (int b = 1; b < Leaves; b++)
            {
                most = Math.Max(most, Math.Max(_cover[0][b].Length, _cover[1][b].Length));
            }

            return most;
        }
    }

    /// <summary>The first column of leaf <paramref name="leaf"/> (<see cref="Leaves"/>: the column count).</summary>
    public int Column(int leaf) => _columns[leaf];

    /// <summary>The node that holds leaf <paramref name="leaf"/>'s sums.</summary>
    public int LeafNode(int leaf) => _leafNode[leaf];

    /// <summary>The leaves worker <paramref name="worker"/> owns at boundary <paramref name="boundary"/>: [First, End).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int First, int End) Owned(int worker, int boundary) => worker == 0 ? (0, boundary) : (boundary, Leaves);

    /// <summary>The nodes worker <paramref name="worker"/> sends at boundary <paramref name="boundary"/>, in message order.</summary>
    public ReadOnlySpan<int> Cover(int worker, int boundary) => _cover[worker][boundary];

    /// <summary>
    /// Adds up the internal nodes within worker <paramref name="worker"/>'s leaves at <paramref name="boundary"/>
    /// (its leaf nodes filled in).
    /// </summary>
    public void CombineWithin(int worker, int boundary, Span<SagLanes> dots, Span<double> gram) =>
        Combine(_within[worker][boundary], dots, gram);

    /// <summary>Adds up the nodes across <paramref name="boundary"/> (both workers' covers filled in): the root is then the total.</summary>
    public void CombineStraddling(int boundary, Span<SagLanes> dots, Span<double> gram) =>
        Combine(_straddling[boundary], dots, gram);

    /// <summary>
    /// The leaves' first columns (and the column count) for <paramref name="x"/>: equal shares of the non-zeros of the
    /// first rows, each at a multiple of <paramref name="alignment"/>, every leaf at least that wide; deterministic in
    /// the data.
    /// </summary>
    internal static int[] LeafColumns<T>(ReadOnlySpan2D<T> x, int alignment)
        where T : unmanaged
    {
        int d = x.Width;
        int starts = (d + alignment - 1) / alignment;
        int k = Math.Min(MaxLeaves, starts);
        int[] columns = new int[k + 1];
        columns[k] = d;
        if (k < 2)
        {
            throw new ArgumentException($"{d} features are too few to split.", nameof(x));
        }

        int rows = Math.Min(x.Height, SagLaneSolver.DensitySampleRows);
        long[] perColumn = new long[d];
        long total = 0;
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<T> row = x.GetRowSpan(i);
            for (int j = 0; j < d; j++)
            {
                int nz = SagKernels.Value(row, j) != 0 ? 1 : 0;
                perColumn[j] += nz;
                total += nz;
            }
        }

        long sum = 0;
        int column = 0;
        for (int leaf = 1; leaf < k; leaf++)
        {
            // The share where this leaf starts: eighths with six leaves, equal parts with fewer.
            long target = k == MaxLeaves ? total * s_eighths[leaf] : total * 8 * leaf / k;
            while (column < d && 8 * sum < target)
            {
                sum += perColumn[column++];
            }

            int aligned = (column + (alignment / 2)) / alignment * alignment;
            int lowest = columns[leaf - 1] + alignment;
            int highest = (starts - (k - leaf)) * alignment;
            columns[leaf] = Math.Clamp(aligned, lowest, highest);
        }

        return columns;
    }

    private void Combine(ReadOnlySpan<int> nodes, Span<SagLanes> dots, Span<double> gram)
    {
        foreach (int v in nodes)
        {
            // Each node is the same sum (left + right) whoever computes it; addition commutes exactly.
            int l = _left[v];
            int r = _right[v];
            for (int s = 0; s < Sets; s++)
            {
                dots[(v * Sets) + s] = dots[(l * Sets) + s] + dots[(r * Sets) + s];
            }

            for (int g = 0; g < Grams; g++)
            {
                gram[(v * Grams) + g] = gram[(l * Grams) + g] + gram[(r * Grams) + g];
            }
        }
    }

    private int Build(int lo, int hi, ref int next, List<int> postOrder)
    {
        int v = next++;
        _lo[v] = lo;
        _hi[v] = hi;
        if (hi - lo == 1)
        {
            _left[v] = -1;
            _right[v] = -1;
            _leafNode[lo] = v;
            return v;
        }

        // The root splits at the middle; below it, the half nearer the middle gets the larger part (so the boundaries
        // near the middle need few nodes).
        int half = hi - lo;
        int mid = lo == 0 && hi == Leaves ? Middle : hi <= Middle ? lo + (half / 2) : hi - (half / 2);
        _left[v] = Build(lo, mid, ref next, postOrder);
        _right[v] = Build(mid, hi, ref next, postOrder);
        postOrder.Add(v);
        return v;
    }

    private void Collect(int v, int lo, int hi, List<int> cover)
    {
        if (_hi[v] <= lo || _lo[v] >= hi)
        {
            return;
        }

        if (_lo[v] >= lo && _hi[v] <= hi)
        {
            cover.Add(v);
            return;
        }

        Collect(_left[v], lo, hi, cover);
        Collect(_right[v], lo, hi, cover);
    }
}
