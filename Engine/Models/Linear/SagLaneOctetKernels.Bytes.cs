using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>The row products of byte rows (<see cref="LogisticRegression.Fit(CommunityToolkit.HighPerformance.ReadOnlyMemory2D{byte}, double, ReadOnlyMemory{int}, CancellationToken)"/>).</summary>
internal static partial class SagLaneOctetKernels
{
    // Columns per chunk of the vector loops: a 32-bit lane adds two products of at most 255² per 32 (16) columns, so a
    // chunk's lanes sum to at most 2^14/32 · 16 · 2 · 255² < 2^31 (likewise for 16-column steps in 8 lanes).
    private const int ByteChunk = 1 << 14;

    /// <summary>
    /// <see cref="Gram{T}(in RowOctet{T}, Span{double})"/> of byte rows in integers: each product Σ_j a_j·b_j is summed
    /// exactly (64-bit totals), so the result is the same whatever the order or the vector width, and equal to the
    /// double passes on the same values (whose products and sums of integers below 2^53 are exact too).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void GramBytes(in RowOctet<byte> x, Span<double> g) => GramBytes(x, g, Avx512BW.IsSupported ? 512 : Avx2.IsSupported ? 256 : 0);

    /// <summary><see cref="GramBytes(in RowOctet{byte}, Span{double})"/> with vectors of at most <paramref name="vectorBits"/> (tests: 512, 256, 0).</summary>
    internal static void GramBytes(in RowOctet<byte> x, Span<double> g, int vectorBits)
    {
        if (g.Length < Grams)
        {
            throw new ArgumentException("An octet has 28 row products.", nameof(g));
        }

        int d = x.X0.Length;
        int j = 0;
        Span<long> sums = stackalloc long[Grams];
        if (vectorBits >= 512 && Avx512BW.IsSupported)
        {
            while (j + 32 <= d)
            {
                int end = j + (Math.Min(d - j, ByteChunk) & ~31);
                GramBytesWithin512<Load32>(x, j, end, sums);
                GramBytesAcross512<Load32>(x, j, end, sums);
                j = end;
            }

            // A last 16 columns (a pixel row: 784 = 24·32 + 16) in the same kernels, the upper half zero.
            if (j + 16 <= d)
            {
                GramBytesWithin512<Load16>(x, j, j + 16, sums);
                GramBytesAcross512<Load16>(x, j, j + 16, sums);
                j += 16;
            }
        }

        if (vectorBits >= 256 && Avx2.IsSupported)
        {
            while (j + 16 <= d)
            {
                int end = j + (Math.Min(d - j, ByteChunk) & ~15);
                GramBytesPairs256(x, j, end, sums);
                j = end;
            }
        }

        for (int r = 1; r < 8 && j < d; r++)
        {
            ReadOnlySpan<byte> xr = x[r];
            for (int q = 0; q < r; q++)
            {
                ReadOnlySpan<byte> xq = x[q];
                long s = 0;
                for (int c = j; c < d; c++)
                {
                    s += xr[c] * xq[c];
                }

                sums[(r * (r - 1) / 2) + q] += s;
            }
        }

        for (int k = 0; k < Grams; k++)
        {
            g[k] = sums[k];
        }
    }

    // Every pair's product over columns [from, to) (a multiple of 16 long), 16 columns per step, one pair at a time
    // (machines without AVX-512: a fallback, not tuned).
    private static void GramBytesPairs256(in RowOctet<byte> x, int from, int to, Span<long> sums)
    {
        for (int r = 1; r < 8; r++)
        {
            ref byte xr = ref MemoryMarshal.GetReference(x[r]);
            for (int q = 0; q < r; q++)
            {
                ref byte xq = ref MemoryMarshal.GetReference(x[q]);
                Vector256<int> acc = Vector256<int>.Zero;
                for (int j = from; j < to; j += 16)
                {
                    Vector256<short> a = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref xr, (nuint)j)).AsInt16();
                    Vector256<short> b = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref xq, (nuint)j)).AsInt16();
                    acc += Avx2.MultiplyAddAdjacent(a, b);
                }

                sums[(r * (r - 1) / 2) + q] += Vector256.Sum(acc);
            }
        }
    }

    // Columns j … j+31 of a row as 16-bit values (a kernel's loads, chosen by type so that each loop compiles its own).
    private interface IByteLoad
    {
        static abstract Vector512<short> Load(ReadOnlySpan<byte> row, int j);
    }

    private readonly struct Load32 : IByteLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<short> Load(ReadOnlySpan<byte> row, int j) =>
            Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(row), (nuint)j)).AsInt16();
    }

    // Columns j … j+15, the upper 16 lanes zero (they add nothing to the products).
    private readonly struct Load16 : IByteLoad
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<short> Load(ReadOnlySpan<byte> row, int j) =>
            Avx512BW.ConvertToVector512Int16(Vector256.Create(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(row), (nuint)j), Vector128<byte>.Zero)).AsInt16();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Madd(Vector512<short> a, Vector512<short> b, Vector512<int> sum) =>
        sum + Avx512BW.MultiplyAddAdjacent(a, b);

    // x_r·x_q within rows 0–3 and within rows 4–7, columns [from, to) (a multiple of 32 long, or 16 with Load16), added to sums.
    private static void GramBytesWithin512<TLoad>(in RowOctet<byte> x, int from, int to, Span<long> sums)
        where TLoad : struct, IByteLoad
    {
        Vector512<int> g10 = default, g20 = default, g21 = default, g30 = default, g31 = default, g32 = default;
        Vector512<int> g54 = default, g64 = default, g65 = default, g74 = default, g75 = default, g76 = default;
        for (int j = from; j < to; j += 32)
        {
            Vector512<short> v0 = TLoad.Load(x.X0, j), v1 = TLoad.Load(x.X1, j), v2 = TLoad.Load(x.X2, j), v3 = TLoad.Load(x.X3, j);
            Vector512<short> v4 = TLoad.Load(x.X4, j), v5 = TLoad.Load(x.X5, j), v6 = TLoad.Load(x.X6, j), v7 = TLoad.Load(x.X7, j);
            g10 = Madd(v1, v0, g10);
            g20 = Madd(v2, v0, g20);
            g21 = Madd(v2, v1, g21);
            g30 = Madd(v3, v0, g30);
            g31 = Madd(v3, v1, g31);
            g32 = Madd(v3, v2, g32);
            g54 = Madd(v5, v4, g54);
            g64 = Madd(v6, v4, g64);
            g65 = Madd(v6, v5, g65);
            g74 = Madd(v7, v4, g74);
            g75 = Madd(v7, v5, g75);
            g76 = Madd(v7, v6, g76);
        }

        sums[0] += Vector512.Sum(g10);
        sums[1] += Vector512.Sum(g20);
        sums[2] += Vector512.Sum(g21);
        sums[3] += Vector512.Sum(g30);
        sums[4] += Vector512.Sum(g31);
        sums[5] += Vector512.Sum(g32);
        sums[14] += Vector512.Sum(g54);
        sums[19] += Vector512.Sum(g64);
        sums[20] += Vector512.Sum(g65);
        sums[25] += Vector512.Sum(g74);
        sums[26] += Vector512.Sum(g75);
        sums[27] += Vector512.Sum(g76);
    }

    // x_r·x_q for r in 4–7, q in 0–3, columns [from, to), added to sums.
    private static void GramBytesAcross512<TLoad>(in RowOctet<byte> x, int from, int to, Span<long> sums)
        where TLoad : struct, IByteLoad
    {
        Vector512<int> g40 = default, g41 = default, g42 = default, g43 = default, g50 = default, g51 = default, g52 = default, g53 = default;
        Vector512<int> g60 = default, g61 = default, g62 = default, g63 = default, g70 = default, g71 = default, g72 = default, g73 = default;
        for (int j = from; j < to; j += 32)
        {
            Vector512<short> v0 = TLoad.Load(x.X0, j), v1 = TLoad.Load(x.X1, j), v2 = TLoad.Load(x.X2, j), v3 = TLoad.Load(x.X3, j);
            Vector512<short> v4 = TLoad.Load(x.X4, j), v5 = TLoad.Load(x.X5, j), v6 = TLoad.Load(x.X6, j), v7 = TLoad.Load(x.X7, j);
            g40 = Madd(v4, v0, g40);
            g41 = Madd(v4, v1, g41);
            g42 = Madd(v4, v2, g42);
            g43 = Madd(v4, v3, g43);
            g50 = Madd(v5, v0, g50);
            g51 = Madd(v5, v1, g51);
            g52 = Madd(v5, v2, g52);
            g53 = Madd(v5, v3, g53);
            g60 = Madd(v6, v0, g60);
            g61 = Madd(v6, v1, g61);
            g62 = Madd(v6, v2, g62);
            g63 = Madd(v6, v3, g63);
            g70 = Madd(v7, v0, g70);
            g71 = Madd(v7, v1, g71);
            g72 = Madd(v7, v2, g72);
            g73 = Madd(v7, v3, g73);
        }

        sums[6] += Vector512.Sum(g40);
        sums[7] += Vector512.Sum(g41);
        sums[8] += Vector512.Sum(g42);
        sums[9] += Vector512.Sum(g43);
        sums[10] += Vector512.Sum(g50);
        sums[11] += Vector512.Sum(g51);
        sums[12] += Vector512.Sum(g52);
        sums[13] += Vector512.Sum(g53);
        sums[15] += Vector512.Sum(g60);
        sums[16] += Vector512.Sum(g61);
        sums[17] += Vector512.Sum(g62);
        sums[18] += Vector512.Sum(g63);
        sums[21] += Vector512.Sum(g70);
        sums[22] += Vector512.Sum(g71);
        sums[23] += Vector512.Sum(g72);
        sums[24] += Vector512.Sum(g73);
    }
}
