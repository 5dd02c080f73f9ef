using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// Decision values <c>z = x·Wᵀ + b</c> of a run of rows, register-tiled in dot-product form: a tile of
/// <see cref="Rows"/> rows × <see cref="Columns"/> decision columns keeps 20 eight-lane double accumulators, so every
/// row vector loaded (and widened from float once) serves five weight rows and every weight vector serves four rows.
/// </summary>
/// <remarks>
/// Every (row, column) value is computed the same way in every tile shape (full tile, column edge, row edge): eight
/// lane sums, lane l summing features j ≡ l (mod 8) below the last multiple of 8 in order with one FMA each, then
/// <see cref="Vector512.Sum{T}(Vector512{T})"/>, then the tail features one scalar FMA each, then the intercept. So a
/// value never depends on which rows it is batched with, on the row blocking or on the thread that computes it.
/// Vector512 is lowered to two 256-bit halves where AVX-512 is missing, with the same lane arithmetic.
/// </remarks>
internal static unsafe class DecisionKernel
{
    /// <summary>Rows per register tile.</summary>
    public const int Rows = 4;

    /// <summary>Decision columns per register tile.</summary>
    public const int Columns = 5;

    private const int Lanes = 8;

    /// <summary>
    /// Writes <c>z[r·ldz + c] = x[r]·w[c] + b[c]</c> for rows r &lt; <paramref name="rows"/> and columns c &lt;
    /// <paramref name="k"/>.
    /// </summary>
    /// <param name="x">The first row; rows are <paramref name="ldx"/> elements apart, <paramref name="d"/> features each.</param>
    /// <param name="ldx">Row stride of x in elements.</param>
    /// <param name="rows">Rows to compute.</param>
    /// <param name="d">Features.</param>
    /// <param name="w">K×d weights, row-major and contiguous.</param>
    /// <param name="packed">The same weights laid out by <see cref="Pack"/>.</param>
    /// <param name="b">K intercepts.</param>
    /// <param name="k">Decision columns.</param>
    /// <param name="z">Output, row stride <paramref name="ldz"/>.</param>
    /// <param name="ldz">Row stride of z in elements.</param>
    public static void Decide<T>(T* x, nint ldx, int rows, int d, double* w, double* packed, double* b, int k, double* z, nint ldz)
        where T : unmanaged
    {
        int r = 0;
        for (; r + Rows <= rows; r += Rows)
        {
            T* xr = x + (r * ldx);
            double* zr = z + (r * ldz);
            int c = 0;
            for (; c + Columns <= k; c += Columns)
            {
                // The first column tile prefetches the next rows; the others would only repeat it (their own rows are in L1).
                T* prefetch = c == 0 ? xr + (Rows * ldx) : xr;
                Tile(xr, ldx, d, w + ((nint)c * d), packed + ((nint)c * (d & ~(Lanes - 1))), b + c, zr + c, ldz, prefetch);
            }

            for (; c < k; c++)
            {
                Column(xr, ldx, d, w + ((nint)c * d), b[c], zr + c, ldz);
            }
        }

        for (; r < rows; r++)
        {
            T* xr = x + (r * ldx);
            double* zr = z + (r * ldz);
            for (int c = 0; c < k; c++)
            {
                zr[c] = Single(xr, d, w + ((nint)c * d), b[c]);
            }
        }
    }

    // 4 rows × 5 columns: 20 accumulators + 4 row vectors + 1 weight vector of the 32 AVX-512 registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<T>(T* x, nint ldx, int d, double* w, double* packed, double* b, double* z, nint ldz, T* next)
        where T : unmanaged
    {
        T* x0 = x, x1 = x + ldx, x2 = x + (2 * ldx), x3 = x + (3 * ldx);
        double* wp = packed;
        Vector512<double> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector512<double> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        Vector512<double> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default;
        Vector512<double> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default;
        int d8 = d & ~(Lanes - 1);
        for (int j = 0; j < d8; j += Lanes)
        {
            if ((j & 15) == 0)
            {
                Prefetch(next + j, ldx);
            }

            Vector512<double> v0 = Load(x0 + j), v1 = Load(x1 + j), v2 = Load(x2 + j), v3 = Load(x3 + j);
            Vector512<double> wv = Vector512.Load(wp + 0);
            a00 = Vector512.FusedMultiplyAdd(v0, wv, a00);
            a10 = Vector512.FusedMultiplyAdd(v1, wv, a10);
            a20 = Vector512.FusedMultiplyAdd(v2, wv, a20);
            a30 = Vector512.FusedMultiplyAdd(v3, wv, a30);
            wv = Vector512.Load(wp + 8);
            a01 = Vector512.FusedMultiplyAdd(v0, wv, a01);
            a11 = Vector512.FusedMultiplyAdd(v1, wv, a11);
            a21 = Vector512.FusedMultiplyAdd(v2, wv, a21);
            a31 = Vector512.FusedMultiplyAdd(v3, wv, a31);
            wv = Vector512.Load(wp + 16);
            a02 = Vector512.FusedMultiplyAdd(v0, wv, a02);
            a12 = Vector512.FusedMultiplyAdd(v1, wv, a12);
            a22 = Vector512.FusedMultiplyAdd(v2, wv, a22);
            a32 = Vector512.FusedMultiplyAdd(v3, wv, a32);
            wv = Vector512.Load(wp + 24);
            a03 = Vector512.FusedMultiplyAdd(v0, wv, a03);
            a13 = Vector512.FusedMultiplyAdd(v1, wv, a13);
            a23 = Vector512.FusedMultiplyAdd(v2, wv, a23);
            a33 = Vector512.FusedMultiplyAdd(v3, wv, a33);
            wv = Vector512.Load(wp + 32);
            a04 = Vector512.FusedMultiplyAdd(v0, wv, a04);
            a14 = Vector512.FusedMultiplyAdd(v1, wv, a14);
            a24 = Vector512.FusedMultiplyAdd(v2, wv, a24);
            a34 = Vector512.FusedMultiplyAdd(v3, wv, a34);
            wp += Columns * Lanes;
        }

        Store(a00, a01, a02, a03, a04, x0, d8, d, w, b, z);
        Store(a10, a11, a12, a13, a14, x1, d8, d, w, b, z + ldz);
        Store(a20, a21, a22, a23, a24, x2, d8, d, w, b, z + (2 * ldz));
        Store(a30, a31, a32, a33, a34, x3, d8, d, w, b, z + (3 * ldz));
    }

    /// <summary>
    /// The K×d weights for <see cref="Tile"/>: for each tile of <see cref="Columns"/> columns, feature chunk by feature
    /// chunk (8 features), the tile's five 8-weight vectors back to back, so the kernel streams one pointer. Only the
    /// first d − d mod 8 features and full column tiles are packed; edges read the plain layout.
    /// </summary>
    public static double[] Pack(ReadOnlySpan<double> coef, int k, int d)
    {
        int d8 = d & ~(Lanes - 1);
        double[] packed = new double[k / Columns * Columns * d8];
        for (int c0 = 0; c0 + Columns <= k; c0 += Columns)
        {
            int tile = c0 * d8;
            for (int j = 0; j < d8; j += Lanes)
            {
                for (int c = 0; c < Columns; c++)
                {
                    coef.Slice(((c0 + c) * d) + j, Lanes).CopyTo(packed.AsSpan(tile + (j * Columns) + (c * Lanes), Lanes));
                }
            }
        }

        return packed;
    }

    // 4 rows × 1 column: the column edge of a tile.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Column<T>(T* x, nint ldx, int d, double* w, double b, double* z, nint ldz)
        where T : unmanaged
    {
        T* x0 = x, x1 = x + ldx, x2 = x + (2 * ldx), x3 = x + (3 * ldx);
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
        int d8 = d & ~(Lanes - 1);
        for (int j = 0; j < d8; j += Lanes)
        {
            Vector512<double> wv = Vector512.Load(w + j);
            a0 = Vector512.FusedMultiplyAdd(Load(x0 + j), wv, a0);
            a1 = Vector512.FusedMultiplyAdd(Load(x1 + j), wv, a1);
            a2 = Vector512.FusedMultiplyAdd(Load(x2 + j), wv, a2);
            a3 = Vector512.FusedMultiplyAdd(Load(x3 + j), wv, a3);
        }

        z[0] = Finish(a0, x0, d8, d, w, b);
        z[ldz] = Finish(a1, x1, d8, d, w, b);
        z[2 * ldz] = Finish(a2, x2, d8, d, w, b);
        z[3 * ldz] = Finish(a3, x3, d8, d, w, b);
    }

    // 1 row × 1 column: the row edge.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Single<T>(T* x, int d, double* w, double b)
        where T : unmanaged
    {
        Vector512<double> a = default;
        int d8 = d & ~(Lanes - 1);
        for (int j = 0; j < d8; j += Lanes)
        {
            a = Vector512.FusedMultiplyAdd(Load(x + j), Vector512.Load(w + j), a);
        }

        return Finish(a, x, d8, d, w, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(
        Vector512<double> a0, Vector512<double> a1, Vector512<double> a2, Vector512<double> a3, Vector512<double> a4, T* x, int d8, int d, double* w, double* b, double* z)
        where T : unmanaged
    {
        z[0] = Finish(a0, x, d8, d, w, b[0]);
        z[1] = Finish(a1, x, d8, d, w + d, b[1]);
        z[2] = Finish(a2, x, d8, d, w + (2 * d), b[2]);
        z[3] = Finish(a3, x, d8, d, w + (3 * d), b[3]);
        z[4] = Finish(a4, x, d8, d, w + (4 * d), b[4]);
    }

    // The one reduction every tile shape shares (see the remarks).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Finish<T>(Vector512<double> acc, T* x, int d8, int d, double* w, double b)
        where T : unmanaged
    {
        double sum = Vector512.Sum(acc);
        for (int j = d8; j < d; j++)
        {
            sum = Math.FusedMultiplyAdd(Value(x + j), w[j], sum);
        }

        return sum + b;
    }

    // The next tile's rows, one tile of work ahead of their use, so their DRAM latency hides behind this tile's FMAs.
    // (Beyond the last row it prefetches lines that are never used; a prefetch never faults.)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch<T>(T* p, nint ldx)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(p);
            Sse.Prefetch0(p + ldx);
            Sse.Prefetch0(p + (2 * ldx));
            Sse.Prefetch0(p + (3 * ldx));
        }
    }

    // Eight features as doubles (float → double is exact).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Load<T>(T* p)
        where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            return Vector512.Load((double*)p);
        }

        Vector256<float> v = Vector256.Load((float*)p);
        if (Avx512F.IsSupported)
        {
            return Avx512F.ConvertToVector512Double(v);
        }

        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(v);
        return Vector512.Create(lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Value<T>(T* p)
        where T : unmanaged =>
        typeof(T) == typeof(double) ? *(double*)p : *(float*)p;
}
