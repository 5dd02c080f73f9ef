using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Clustering;

/// <summary>
/// Exact integer dots of 8-bit rows with centres rounded to 16-bit integers, for the byte screen: a row's 32 bytes
/// widen to words in one instruction and each centre takes one multiply-add-pairs and one add per 32 columns, about
/// half the work of widening the bytes to float for <see cref="FloatDots"/>.
/// </summary>
/// <remarks>
/// A centre <c>u</c> (double) is stored as <c>s·C</c> with <c>C = round(u/s)</c> in ±32767 and
/// <c>s = max|u|/32767</c>; <see cref="Quantize"/> returns <c>s</c> and a bound on <c>Σ|u − s·C|</c>, so for any byte
/// row q, <c>|q·u − s·(q·C)| ≤ 255·that bound</c>. <c>q·C</c> is computed exactly: each 32-bit lane adds at most
/// ⌈d/32⌉ pairs of products (each pair ≤ 2·255·32767), which fits for d ≤ <see cref="MaxColumns"/>; the lanes and the
/// tail are added in 64 bits.
/// </remarks>
internal static class WordDots
{
    /// <summary>The most columns whose lane sums cannot overflow 32 bits (⌈d/32⌉ · 2 · 255 · 32767 &lt; 2³¹).</summary>
    public const int MaxColumns = 4064;

    /// <summary>Whether the kernels run vectorised here (else the screen keeps <see cref="FloatDots"/>).</summary>
    public static bool IsSupported => Avx512BW.IsSupported;

    /// <summary>
    /// Rounds <paramref name="u"/> to <c>s·c</c> (c written to <paramref name="c"/>) and returns s; <paramref name="bound"/>
    /// receives a rigorous upper bound on <c>Σ_l |u_l − s·c_l|</c> (real arithmetic).
    /// </summary>
    public static double Quantize(ReadOnlySpan<double> u, Span<short> c, out double bound)
    {
        double largest = 0, sumAbs = 0;
        for (int l = 0; l < u.Length; l++)
        {
            largest = Math.Max(largest, Math.Abs(u[l]));
            sumAbs += Math.Abs(u[l]);
        }

        double s = largest / 32767;
        double inverse = s > 0 ? 1 / s : 0;
        double residual = 0;
        for (int l = 0; l < u.Length; l++)
        {
            double level = Math.Clamp(Math.Round(u[l] * inverse), -32767, 32767);
            c[l] = (short)level;
            residual += Math.Abs(u[l] - (s * level));
        }

        // Each |u − fl(s·C)| and its rounding are within 2⁻⁵²·(|u| + |s·C|) ≤ 2⁻⁵⁰·|u|-ish of the real |u − s·C|, and the
        // d-term sum within (d + 2)·2⁻⁵² of its exact value: widen both generously (a NaN or ∞ stays so and decides nothing).
        bound = (residual * (1 + ((u.Length + 4) * Math.ScaleB(1.0, -52)))) + (Math.ScaleB(1.0, -48) * sumAbs);
        c[u.Length..].Clear();
        return s;
    }

    /// <summary>
    /// <c>sums[m] = q · centres[which[m]]</c> exactly (centre j at j·<paramref name="stride"/>), or centres
    /// <c>0..sums.Length − 1</c> when <paramref name="which"/> is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dots(ReadOnlySpan<byte> q, ReadOnlySpan<short> centres, int stride, ReadOnlySpan<int> which, Span<long> sums)
    {
        int k = sums.Length;
        ref short c = ref MemoryMarshal.GetReference(centres);
        Span<long> out6 = stackalloc long[6];
        for (int m = 0; m < k;)
        {
            // Each group multiplies exactly its own centres (a k = 5 screen of two open centres takes two multiply-adds
            // per 32 columns, not three); the references past the group's size are never read.
            int take = Math.Min(6, k - m);
            ref short c0 = ref Unsafe.Add(ref c, Centre(which, m) * stride);
            ref short c1 = ref take > 1 ? ref Unsafe.Add(ref c, Centre(which, m + 1) * stride) : ref c0;
            ref short c2 = ref take > 2 ? ref Unsafe.Add(ref c, Centre(which, m + 2) * stride) : ref c0;
            ref short c3 = ref take > 3 ? ref Unsafe.Add(ref c, Centre(which, m + 3) * stride) : ref c0;
            ref short c4 = ref take > 4 ? ref Unsafe.Add(ref c, Centre(which, m + 4) * stride) : ref c0;
            ref short c5 = ref take > 5 ? ref Unsafe.Add(ref c, Centre(which, m + 5) * stride) : ref c0;
            switch (take)
            {
                case 1:
                    Group<One>(q, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, out6);
                    break;
                case 2:
                    Group<Two>(q, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, out6);
                    break;
                case 3:
                    Group<Three>(q, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, out6);
                    break;
                case 4:
                    Group<Four>(q, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, out6);
                    break;
                case 5:
                    Group<Five>(q, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, out6);
                    break;
                default:
                    Group<Six>(q, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, out6);
                    break;
            }

            out6[..take].CopyTo(sums.Slice(m, take));
            m += take;
        }

        static int Centre(ReadOnlySpan<int> which, int m) => which.IsEmpty ? m : which[m];
    }

    // Up to six centres against one row (TCount.Value of them; the JIT drops the rest): 32 columns per step, then one
    // step of 16, then single columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Group<TCount>(ReadOnlySpan<byte> q, ref short c0, ref short c1, ref short c2, ref short c3, ref short c4, ref short c5, Span<long> sums)
        where TCount : struct, ICount
    {
        int d = q.Length, j = 0, count = TCount.Value;
        ref byte xr = ref MemoryMarshal.GetReference(q);
        Vector512<int> a0 = Vector512<int>.Zero, a1 = Vector512<int>.Zero, a2 = Vector512<int>.Zero;
        Vector512<int> a3 = Vector512<int>.Zero, a4 = Vector512<int>.Zero, a5 = Vector512<int>.Zero;
        long t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
        if (Avx512BW.IsSupported)
        {
            for (; j <= d - 32; j += 32)
            {
                Vector512<short> v = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref xr, (nuint)j));
                a0 += Avx512BW.MultiplyAddAdjacent(v, Vector512.LoadUnsafe(ref c0, (nuint)j));
                if (count > 1)
                {
                    a1 += Avx512BW.MultiplyAddAdjacent(v, Vector512.LoadUnsafe(ref c1, (nuint)j));
                }

                if (count > 2)
                {
                    a2 += Avx512BW.MultiplyAddAdjacent(v, Vector512.LoadUnsafe(ref c2, (nuint)j));
                }

                if (count > 3)
                {
                    a3 += Avx512BW.MultiplyAddAdjacent(v, Vector512.LoadUnsafe(ref c3, (nuint)j));
                }

                if (count > 4)
                {
                    a4 += Avx512BW.MultiplyAddAdjacent(v, Vector512.LoadUnsafe(ref c4, (nuint)j));
                }

                if (count > 5)
                {
                    a5 += Avx512BW.MultiplyAddAdjacent(v, Vector512.LoadUnsafe(ref c5, (nuint)j));
                }
            }

            if (j <= d - 16)
            {
                Vector256<short> v = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref xr, (nuint)j));
                a0 += Avx2.MultiplyAddAdjacent(v, Vector256.LoadUnsafe(ref c0, (nuint)j)).ToVector512();
                if (count > 1)
                {
                    a1 += Avx2.MultiplyAddAdjacent(v, Vector256.LoadUnsafe(ref c1, (nuint)j)).ToVector512();
                }

                if (count > 2)
                {
                    a2 += Avx2.MultiplyAddAdjacent(v, Vector256.LoadUnsafe(ref c2, (nuint)j)).ToVector512();
                }

                if (count > 3)
                {
                    a3 += Avx2.MultiplyAddAdjacent(v, Vector256.LoadUnsafe(ref c3, (nuint)j)).ToVector512();
                }

                if (count > 4)
                {
                    a4 += Avx2.MultiplyAddAdjacent(v, Vector256.LoadUnsafe(ref c4, (nuint)j)).ToVector512();
                }

                if (count > 5)
                {
                    a5 += Avx2.MultiplyAddAdjacent(v, Vector256.LoadUnsafe(ref c5, (nuint)j)).ToVector512();
                }

                j += 16;
            }
        }

        for (; j < d; j++)
        {
            int v = Unsafe.Add(ref xr, j);
            t0 += v * Unsafe.Add(ref c0, j);
            t1 += v * Unsafe.Add(ref c1, j);
            t2 += v * Unsafe.Add(ref c2, j);
            t3 += v * Unsafe.Add(ref c3, j);
            t4 += v * Unsafe.Add(ref c4, j);
            t5 += v * Unsafe.Add(ref c5, j);
        }

        sums[0] = t0 + Wide(a0);
        if (count > 1)
        {
            sums[1] = t1 + Wide(a1);
        }

        if (count > 2)
        {
            sums[2] = t2 + Wide(a2);
        }

        if (count > 3)
        {
            sums[3] = t3 + Wide(a3);
        }

        if (count > 4)
        {
            sums[4] = t4 + Wide(a4);
        }

        if (count > 5)
        {
            sums[5] = t5 + Wide(a5);
        }
    }

    // The sixteen 32-bit lanes added in 64 bits (their total can exceed 32 bits).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Wide(Vector512<int> lanes) =>
        Vector512.Sum(Avx512F.ConvertToVector512Int64(lanes.GetLower()) + Avx512F.ConvertToVector512Int64(lanes.GetUpper()));

    private interface ICount
    {
        static abstract int Value { get; }
    }

    private readonly struct One : ICount
    {
        public static int Value => 1;
    }

    private readonly struct Two : ICount
    {
        public static int Value => 2;
    }

    private readonly struct Three : ICount
    {
        public static int Value => 3;
    }

    private readonly struct Four : ICount
    {
        public static int Value => 4;
    }

    private readonly struct Five : ICount
    {
        public static int Value => 5;
    }

    private readonly struct Six : ICount
    {
        public static int Value => 6;
    }
}
