using System.Runtime.Intrinsics;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// General matrix multiply on row-major float/double data: <c>C = (A − shift)·Bᵀ</c> (dot-product form, both operands
/// read along rows) and <c>C = A·B</c>, SIMD register-tiled, optionally multi-threaded over row blocks of C.
/// </summary>
/// <remarks>
/// Every element of C is one fixed FMA chain in k order (see the kernels), so results are bit-identical for any
/// <c>maxDegreeOfParallelism</c>. With one thread (the default) nothing is allocated; more threads allocate one
/// small task object per call. Peak speed needs B (k×n floats) to fit in L2, which holds for the feature-projection
/// shapes this engine uses (e.g. 40×784).
/// </remarks>
public static class Gemm
{
    /// <summary><c>destination = a·bᵀ</c>.</summary>
    /// <param name="a">m×k.</param>
    /// <param name="b">n×k.</param>
    /// <param name="destination">m×n output.</param>
    /// <param name="maxDegreeOfParallelism">Threads; 1 (default) runs inline without allocating, 0 = all cores.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void MultiplyTransposed(ReadOnlySpan2D<float> a, ReadOnlySpan2D<float> b, Span2D<float> destination, int maxDegreeOfParallelism = 1) =>
        MultiplyTransposed(a, default, b, destination, maxDegreeOfParallelism);

    /// <summary><c>destination = (a − 1·shiftᵀ)·bᵀ</c>: every row of a has <paramref name="shift"/> subtracted first.</summary>
    /// <param name="a">m×k.</param>
    /// <param name="shift">Length k, or empty for none.</param>
    /// <param name="b">n×k.</param>
    /// <param name="destination">m×n output.</param>
    /// <param name="maxDegreeOfParallelism">Threads; 1 (default) runs inline without allocating, 0 = all cores.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void MultiplyTransposed(
        ReadOnlySpan2D<float> a, ReadOnlySpan<float> shift, ReadOnlySpan2D<float> b, Span2D<float> destination, int maxDegreeOfParallelism = 1)
    {
        CheckTransposed(a, shift, b, destination);
        if (Simd.Use512)
        {
            TransposedDriver<Simd512F, Vector512<float>, float>.Run(a, shift, b, destination, maxDegreeOfParallelism);
        }
        else
        {
            TransposedDriver<Simd256F, Vector256<float>, float>.Run(a, shift, b, destination, maxDegreeOfParallelism);
        }
    }

    /// <summary><c>destination = a·bᵀ</c> in double.</summary>
    /// <param name="a">m×k.</param>
    /// <param name="b">n×k.</param>
    /// <param name="destination">m×n output.</param>
    /// <param name="maxDegreeOfParallelism">Threads; 1 (default) runs inline without allocating, 0 = all cores.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void MultiplyTransposed(ReadOnlySpan2D<double> a, ReadOnlySpan2D<double> b, Span2D<double> destination, int maxDegreeOfParallelism = 1) =>
        MultiplyTransposed(a, default, b, destination, maxDegreeOfParallelism);

    /// <summary><c>destination = (a − 1·shiftᵀ)·bᵀ</c> in double.</summary>
    /// <param name="a">m×k.</param>
    /// <param name="shift">Length k, or empty for none.</param>
    /// <param name="b">n×k.</param>
    /// <param name="destination">m×n output.</param>
    /// <param name="maxDegreeOfParallelism">Threads; 1 (default) runs inline without allocating, 0 = all cores.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void MultiplyTransposed(
        ReadOnlySpan2D<double> a, ReadOnlySpan<double> shift, ReadOnlySpan2D<double> b, Span2D<double> destination, int maxDegreeOfParallelism = 1)
    {
        CheckTransposed(a, shift, b, destination);
        if (Simd.Use512)
        {
            TransposedDriver<Simd512D, Vector512<double>, double>.Run(a, shift, b, destination, maxDegreeOfParallelism);
        }
        else
        {
            TransposedDriver<Simd256D, Vector256<double>, double>.Run(a, shift, b, destination, maxDegreeOfParallelism);
        }
    }

    /// <summary><c>destination = a·b</c>.</summary>
    /// <param name="a">m×k.</param>
    /// <param name="b">k×n.</param>
    /// <param name="destination">m×n output.</param>
    /// <param name="maxDegreeOfParallelism">Threads; 1 (default) runs inline without allocating, 0 = all cores.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void Multiply(ReadOnlySpan2D<float> a, ReadOnlySpan2D<float> b, Span2D<float> destination, int maxDegreeOfParallelism = 1)
    {
        CheckPlain(a, b, destination);
        if (Simd.Use512)
        {
            PlainDriver<Simd512F, Vector512<float>, float>.Run(a, b, destination, maxDegreeOfParallelism);
        }
        else
        {
            PlainDriver<Simd256F, Vector256<float>, float>.Run(a, b, destination, maxDegreeOfParallelism);
        }
    }

    /// <summary><c>destination = a·b</c> in double.</summary>
    /// <param name="a">m×k.</param>
    /// <param name="b">k×n.</param>
    /// <param name="destination">m×n output.</param>
    /// <param name="maxDegreeOfParallelism">Threads; 1 (default) runs inline without allocating, 0 = all cores.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static void Multiply(ReadOnlySpan2D<double> a, ReadOnlySpan2D<double> b, Span2D<double> destination, int maxDegreeOfParallelism = 1)
    {
        CheckPlain(a, b, destination);
        if (Simd.Use512)
        {
            PlainDriver<Simd512D, Vector512<double>, double>.Run(a, b, destination, maxDegreeOfParallelism);
        }
        else
        {
            PlainDriver<Simd256D, Vector256<double>, double>.Run(a, b, destination, maxDegreeOfParallelism);
        }
    }

    private static void CheckTransposed<T>(ReadOnlySpan2D<T> a, ReadOnlySpan<T> shift, ReadOnlySpan2D<T> b, Span2D<T> destination)
    {
        Check.Columns(b, a.Width);
        Check.Shape(destination, a.Height, b.Height);
        if (!shift.IsEmpty && shift.Length != a.Width)
        {
            ThrowHelper.ThrowLengthMismatch(nameof(shift), a.Width, shift.Length);
        }
    }

    private static void CheckPlain<T>(ReadOnlySpan2D<T> a, ReadOnlySpan2D<T> b, Span2D<T> destination)
    {
        if (b.Height != a.Width)
        {
            ThrowHelper.ThrowArgument($"'b' must have {a.Width} rows (the columns of 'a') but has {b.Height}.", nameof(b));
        }

        Check.Shape(destination, a.Height, b.Width);
    }

    private static unsafe class TransposedDriver<TS, TVec, T>
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
    {
        public static void Run(ReadOnlySpan2D<T> a, ReadOnlySpan<T> shift, ReadOnlySpan2D<T> b, Span2D<T> destination, int maxDegreeOfParallelism)
        {
            int m = a.Height;
            if (m == 0 || b.Height == 0)
            {
                return;
            }

            int blocks = (m + GemmTransposedKernel.RowTile - 1) / GemmTransposedKernel.RowTile;
            int threads = Parallelism.Threads(maxDegreeOfParallelism, blocks);
            fixed (T* pa = &a.DangerousGetReference())
            fixed (T* pb = &b.DangerousGetReference())
            fixed (T* ps = shift)
            fixed (T* pc = &destination.DangerousGetReference())
            {
                var args = new Args(pa, Strides.Of(a), pb, Strides.Of(b), shift.IsEmpty ? null : ps, pc, Strides.Of(destination), m, b.Height, a.Width);
                if (threads == 1)
                {
                    Rows(args, 0, m);
                }
                else
                {
                    RunParallel(args, blocks, threads);
                }
            }
        }

        private static void RunParallel(Args args, int blocks, int threads) =>
            Parallelism.For(threads, t =>
            {
                (int first, int end) = Parallelism.Range(blocks, threads, t);
                Rows(args, first * GemmTransposedKernel.RowTile, Math.Min(args.M, end * GemmTransposedKernel.RowTile));
            });

        private static void Rows(Args g, int rowStart, int rowEnd)
        {
            if (g.Shift == null)
            {
                Rows<NoShift>(g, rowStart, rowEnd);
            }
            else
            {
                Rows<WithShift>(g, rowStart, rowEnd);
            }
        }

        private static void Rows<TShift>(Args g, int rowStart, int rowEnd)
            where TShift : struct, IShiftFlag
        {
            int mr = GemmTransposedKernel.RowTile;
            int nr = GemmTransposedKernel.ColumnTile;
            ref T shift = ref g.Shift == null ? ref *g.A : ref *g.Shift;
            int i = rowStart;
            for (; i + mr <= rowEnd; i += mr)
            {
                ref T ai = ref *(g.A + (i * g.Lda));
                ref T ci = ref *(g.C + (i * g.Ldc));
                int j = 0;
                for (; j + nr <= g.N; j += nr)
                {
                    GemmTransposedKernel.Tile<TS, TVec, T, TShift>(
                        ref ai, g.Lda, ref *(g.B + (j * g.Ldb)), g.Ldb, ref shift, g.K, ref *(g.C + (i * g.Ldc) + j), g.Ldc);
                }

                for (; j < g.N; j++)
                {
                    for (int ii = 0; ii < mr; ii++)
                    {
                        *(g.C + ((i + ii) * g.Ldc) + j) = GemmTransposedKernel.Single<TS, TVec, T, TShift>(
                            ref *(g.A + ((i + ii) * g.Lda)), ref *(g.B + (j * g.Ldb)), ref shift, g.K);
                    }
                }
            }

            for (; i < rowEnd; i++)
            {
                for (int j = 0; j < g.N; j++)
                {
                    *(g.C + (i * g.Ldc) + j) = GemmTransposedKernel.Single<TS, TVec, T, TShift>(
                        ref *(g.A + (i * g.Lda)), ref *(g.B + (j * g.Ldb)), ref shift, g.K);
                }
            }
        }

        private readonly struct Args(T* a, nint lda, T* b, nint ldb, T* shift, T* c, nint ldc, int m, int n, int k)
        {
            public readonly T* A = a;
            public readonly nint Lda = lda;
            public readonly T* B = b;
            public readonly nint Ldb = ldb;
            public readonly T* Shift = shift;
            public readonly T* C = c;
            public readonly nint Ldc = ldc;
            public readonly int M = m;
            public readonly int N = n;
            public readonly int K = k;
        }
    }

    private static unsafe class PlainDriver<TS, TVec, T>
        where TS : struct, ISimd<TVec, T>
        where TVec : struct
        where T : unmanaged
    {
        public static void Run(ReadOnlySpan2D<T> a, ReadOnlySpan2D<T> b, Span2D<T> destination, int maxDegreeOfParallelism)
        {
            int m = a.Height;
            if (m == 0 || b.Width == 0)
            {
                return;
            }

            int blocks = (m + GemmKernel.RowTile - 1) / GemmKernel.RowTile;
            int threads = Parallelism.Threads(maxDegreeOfParallelism, blocks);
            fixed (T* pa = &a.DangerousGetReference())
            fixed (T* pb = &b.DangerousGetReference())
            fixed (T* pc = &destination.DangerousGetReference())
            {
                var args = new Args(pa, Strides.Of(a), pb, Strides.Of(b), pc, Strides.Of(destination), m, b.Width, a.Width);
                if (threads == 1)
                {
                    Rows(args, 0, m);
                }
                else
                {
                    RunParallel(args, blocks, threads);
                }
            }
        }

        private static void RunParallel(Args args, int blocks, int threads) =>
            Parallelism.For(threads, t =>
            {
                (int first, int end) = Parallelism.Range(blocks, threads, t);
                Rows(args, first * GemmKernel.RowTile, Math.Min(args.M, end * GemmKernel.RowTile));
            });

        private static void Rows(Args g, int rowStart, int rowEnd)
        {
            int mr = GemmKernel.RowTile;
            int nr = GemmKernel.ColumnVectors * TS.Count;
            int i = rowStart;
            for (; i + mr <= rowEnd; i += mr)
            {
                int j = 0;
                if (g.K > 0)
                {
                    for (; j + nr <= g.N; j += nr)
                    {
                        GemmKernel.Tile<TS, TVec, T>(ref *(g.A + (i * g.Lda)), g.Lda, ref *(g.B + j), g.Ldb, g.K, ref *(g.C + (i * g.Ldc) + j), g.Ldc);
                    }
                }

                for (int ii = 0; ii < mr; ii++)
                {
                    GemmKernel.Row<TS, TVec, T>(ref *(g.A + ((i + ii) * g.Lda)), ref *g.B, g.Ldb, g.K, ref *(g.C + ((i + ii) * g.Ldc)), j, g.N);
                }
            }

            for (; i < rowEnd; i++)
            {
                GemmKernel.Row<TS, TVec, T>(ref *(g.A + (i * g.Lda)), ref *g.B, g.Ldb, g.K, ref *(g.C + (i * g.Ldc)), 0, g.N);
            }
        }

        private readonly struct Args(T* a, nint lda, T* b, nint ldb, T* c, nint ldc, int m, int n, int k)
        {
            public readonly T* A = a;
            public readonly nint Lda = lda;
            public readonly T* B = b;
            public readonly nint Ldb = ldb;
            public readonly T* C = c;
            public readonly nint Ldc = ldc;
            public readonly int M = m;
            public readonly int N = n;
            public readonly int K = k;
        }
    }
}
