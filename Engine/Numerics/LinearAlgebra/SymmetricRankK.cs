using System.Runtime.Intrinsics;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// Symmetric rank-k update: the Gram matrix <c>C = (X − 1·shiftᵀ)ᵀ (X − 1·shiftᵀ)</c> of a row-major n×d matrix
/// (BLAS <c>SYRK</c> with <c>trans = 'T'</c>), blocked, SIMD and multi-threaded with a fixed reduction order.
/// </summary>
/// <remarks>
/// <para>
/// Only the upper triangle is computed (in 8×3W register tiles over row panels that stay in L2), then mirrored, so
/// <c>destination</c> is exactly symmetric. Rows are consumed in panels in row order and every output element is
/// owned by one thread for the whole run: the result is bit-identical for any degree of parallelism.
/// </para>
/// <para>
/// The float overload without a shift sums products in float within panels of at most <see cref="ExactPanelRows"/>
/// rows and adds each panel sum to the double result. For integer data with |x| ≤ 255 (pixels) every product
/// (≤ 65 025) and every panel sum (≤ 256·65 025 &lt; 2²⁴) is exact in float, so the result is the exact integer Gram
/// matrix at float speed. For other float data that overload has float rounding within a panel; use a shifted
/// (double-accumulating) overload instead.
/// </para>
/// </remarks>
public static class SymmetricRankK
{
    /// <summary>Largest panel height for which sums of products of integers in [−255, 255] stay exact in float.</summary>
    public const int ExactPanelRows = 256;

    // Panel heights: 128 float rows × 816 columns ≈ 0.4 MB and 64 double rows ≈ 0.4 MB, so a panel plus the streamed
    // tiles of C stay inside a 1 MB L2 (exactness would allow up to 256 float rows).
    private const int FloatPanelRows = 128;
    private const int DoublePanelRows = 64;

    /// <summary>
    /// <c>destination = xᵀx</c>, products summed in float within panels of <see cref="ExactPanelRows"/> rows, panels
    /// summed in double (exact for integer data with |x| ≤ 255).
    /// </summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">d×d output (fully written, symmetric).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; 0 or negative = <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not d×d.</exception>
    public static void Gram(ReadOnlySpan2D<float> x, Span2D<double> destination, int maxDegreeOfParallelism = 0)
    {
        Check.Shape(destination, x.Width, x.Width);
        if (Simd.Use512)
        {
            Run<Simd512F, Vector512<float>, float, float>(x, default, destination, FloatPanelRows, maxDegreeOfParallelism);
        }
        else
        {
            Run<Simd256F, Vector256<float>, float, float>(x, default, destination, FloatPanelRows, maxDegreeOfParallelism);
        }
    }

    /// <summary><c>destination = (x − shift)ᵀ(x − shift)</c> with the shift and all sums in double.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="shift">Length d subtracted from every row (usually the column means), or empty for none.</param>
    /// <param name="destination">d×d output (fully written, symmetric).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; 0 or negative = <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void Gram(ReadOnlySpan2D<float> x, ReadOnlySpan<double> shift, Span2D<double> destination, int maxDegreeOfParallelism = 0)
    {
        Check.Shape(destination, x.Width, x.Width);
        CheckShift(shift, x.Width);
        if (Simd.Use512)
        {
            Run<Simd512D, Vector512<double>, double, float>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism);
        }
        else
        {
            Run<Simd256D, Vector256<double>, double, float>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism);
        }
    }

    /// <summary><c>destination = (x − shift)ᵀ(x − shift)</c> in double.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="shift">Length d subtracted from every row (usually the column means), or empty for none.</param>
    /// <param name="destination">d×d output (fully written, symmetric).</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; 0 or negative = <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void Gram(ReadOnlySpan2D<double> x, ReadOnlySpan<double> shift, Span2D<double> destination, int maxDegreeOfParallelism = 0)
    {
        Check.Shape(destination, x.Width, x.Width);
        CheckShift(shift, x.Width);
        if (Simd.Use512)
        {
            Run<Simd512D, Vector512<double>, double, double>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism);
        }
        else
        {
            Run<Simd256D, Vector256<double>, double, double>(x, shift, destination, DoublePanelRows, maxDegreeOfParallelism);
        }
    }

    private static void CheckShift(ReadOnlySpan<double> shift, int d)
    {
        if (!shift.IsEmpty && shift.Length != d)
        {
            ThrowHelper.ThrowLengthMismatch(nameof(shift), d, shift.Length);
        }
    }

    private static unsafe void Run<TS, TVec, T, TIn>(
        ReadOnlySpan2D<TIn> x, ReadOnlySpan<double> shift, Span2D<double> destination, int panelRows, int maxDegreeOfParallelism)
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
        where TIn : unmanaged
    {
        int n = x.Height;
        int d = x.Width;
        if (d == 0)
        {
            return;
        }

        int columnTile = SyrkKernel.ColumnVectors * TS.Count;
        int lcm = Lcm(SyrkKernel.RowTile, columnTile);
        int dp = (d + lcm - 1) / lcm * lcm;
        int[] tiles = UpperTiles(dp, columnTile);
        int threads = Parallelism.Threads(maxDegreeOfParallelism, tiles.Length / 2);
        double[] c = GC.AllocateArray<double>(dp * dp, pinned: true);
        nint stride = Strides.Of(x);
        fixed (TIn* px = &x.DangerousGetReference())
        fixed (double* pshift = shift)
        fixed (double* pc = c)
        {
            var job = new Job<TS, TVec, T, TIn>
            {
                X = px,
                N = n,
                D = d,
                Stride = stride,
                Shift = shift.IsEmpty ? null : pshift,
                C = pc,
                Dp = dp,
                PanelRows = panelRows,
                Tiles = tiles,
                Threads = threads,
            };
            Parallelism.For(threads, job.Execute);
        }

        for (int i = 0; i < d; i++)
        {
            Span<double> row = destination.GetRowSpan(i);
            for (int j = 0; j < i; j++)
            {
                row[j] = c[(j * dp) + i];
            }

            c.AsSpan((i * dp) + i, d - i).CopyTo(row[i..]);
        }
    }

    /// <summary>Pairs (row tile, column tile) touching the upper triangle, column-tile major, flattened.</summary>
    private static int[] UpperTiles(int dp, int columnTile)
    {
        var list = new List<int>();
        for (int j0 = 0; j0 < dp; j0 += columnTile)
        {
            for (int i0 = 0; i0 < dp && i0 < j0 + columnTile; i0 += SyrkKernel.RowTile)
            {
                list.Add(i0);
                list.Add(j0);
            }
        }

        return [.. list];
    }

    private static int Lcm(int a, int b)
    {
        int x = a;
        int y = b;
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }

        return a / x * b;
    }

    private sealed unsafe class Job<TS, TVec, T, TIn>
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
        where TIn : unmanaged
    {
        public TIn* X;
        public int N;
        public int D;
        public nint Stride;
        public double* Shift;
        public double* C;
        public int Dp;
        public int PanelRows;
        public int[] Tiles = [];
        public int Threads;

        public void Execute(int thread)
        {
            int pairs = Tiles.Length / 2;
            (int first, int end) = Parallelism.Range(pairs, Threads, thread);
            T[] panel = GC.AllocateUninitializedArray<T>((PanelRows * Dp) + TS.Count, pinned: true);
            ref T p = ref panel[0];
            ref double c = ref *C;
            for (int r0 = 0; r0 < N; r0 += PanelRows)
            {
                int rows = Math.Min(PanelRows, N - r0);
                Pack(r0, rows, panel);
                for (int t = first; t < end; t++)
                {
                    SyrkKernel.Tile<TS, TVec, T>(ref p, rows, Dp, Tiles[2 * t], Tiles[(2 * t) + 1], ref c);
                }
            }
        }

        private void Pack(int r0, int rows, T[] panel)
        {
            for (int r = 0; r < rows; r++)
            {
                TIn* src = X + ((r0 + r) * Stride);
                Span<T> dst = panel.AsSpan(r * Dp, Dp);
                if (typeof(T) == typeof(float) && typeof(TIn) == typeof(float))
                {
                    new ReadOnlySpan<float>(src, D).CopyTo(MemoryMarshalCast<float>(dst));
                }
                else
                {
                    Span<double> drow = MemoryMarshalCast<double>(dst);
                    for (int j = 0; j < D; j++)
                    {
                        double v = typeof(TIn) == typeof(float) ? ((float*)src)[j] : ((double*)src)[j];
                        drow[j] = Shift == null ? v : v - Shift[j];
                    }
                }

                dst[D..].Clear();
            }
        }

        private static Span<TTo> MemoryMarshalCast<TTo>(Span<T> span)
            where TTo : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<T, TTo>(span);
    }
}
