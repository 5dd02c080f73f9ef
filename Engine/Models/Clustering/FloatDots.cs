using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Clustering;

/// <summary>
/// Single-precision dots of one row with k centres, used only to screen labels: every result comes with a rigorous
/// error bound (<see cref="ErrorFactor"/>), and rows whose decision the bound cannot settle are recomputed in double.
/// </summary>
/// <remarks>
/// float halves the bytes per multiply-add and needs no widening, so a row's dots with all centres cost about a third
/// of the double kernel's. Accumulation: one vector accumulator per centre (16 or 8 lanes), lane sum, scalar tail.
/// </remarks>
internal static class FloatDots
{
    private const double Unit = 1.0 / (1 << 24); // float unit roundoff 2⁻²⁴

    /// <summary>
    /// K with <c>|fl(a · float(c)) − a · c| ≤ K · ‖a‖ · ‖c‖ + 1e-30</c> for rows of length <paramref name="d"/> (also
    /// covering a further relative rounding 2⁻²⁴ of <c>a</c> itself, for a float copy of double rows).
    /// </summary>
    /// <remarks>
    /// Recursive summation with n roundings on any term's path is within γ_n = nu/(1 − nu) of Σ|aᵢcᵢ| ≤ ‖a‖‖c‖
    /// (Higham, Accuracy and Stability, §3.1); rounding c to float and a double row to float each add u. n is at most
    /// ⌈d/lanes⌉ accumulations + (lanes − 1) lane-sum adds + (lanes − 1) tail steps ≤ d/8 + 32 when vectorised (the
    /// 16-lane kernels: ⌊d/32⌋ + 1 accumulations in either of a centre's two accumulators, 1 merge, 15 lane-sum adds,
    /// ≤ 15 tail steps, ≤ d/32 + 32), d + 1 scalar. The factor 1.01 absorbs 1/(1 − nu) and the double rounding of the bound itself; 1e-30 covers underflow.
    /// </remarks>
    public static double ErrorFactor(int d)
    {
        double depth = Vector256.IsHardwareAccelerated && Avx2.IsSupported ? (d / 8.0) + 32 : d + 1;
        return (depth + 3) * Unit * 1.01;
    }

    /// <summary><c>dots[j] = x · rows[j]</c> in float for the <c>dots.Length</c> contiguous rows of length <c>x.Length</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dots(ReadOnlySpan<float> x, ReadOnlySpan<float> rows, Span<float> dots)
    {
        int d = x.Length, k = dots.Length;
        ref float c = ref MemoryMarshal.GetReference(rows);
        for (int j = 0; j < k; j += 4)
        {
            if (k - j == 5)
            {
                Dot5(x, ref Unsafe.Add(ref c, j * d), dots.Slice(j, 5));
                return;
            }

            if (k - j == 6)
            {
                Dot6(x, ref Unsafe.Add(ref c, j * d), dots.Slice(j, 6));
                return;
            }

            // A short last group repeats its last centre (L1-resident) rather than running a latency-bound single chain;
            // groups of one or two take Dot2.
            int m = Math.Min(4, k - j);
            ref float c0 = ref Unsafe.Add(ref c, j * d);
            ref float c1 = ref Unsafe.Add(ref c, (j + Math.Min(1, m - 1)) * d);
            if (m <= 2)
            {
                Dot2(x, ref c0, ref c1, out float t0, out float t1);
                Store(dots, j, m - 1, t0, t1, 0, 0);
                continue;
            }

            ref float c2 = ref Unsafe.Add(ref c, (j + Math.Min(2, m - 1)) * d);
            ref float c3 = ref Unsafe.Add(ref c, (j + Math.Min(3, m - 1)) * d);
            Dot4(x, ref c0, ref c1, ref c2, ref c3, out float s0, out float s1, out float s2, out float s3);
            dots[j] = s0;
            if (m > 1)
            {
                dots[j + 1] = s1;
            }

            if (m > 2)
            {
                dots[j + 2] = s2;
            }

            if (m > 3)
            {
                dots[j + 3] = s3;
            }
        }
    }

    /// <summary>
    /// <c>dots[j] = Σ q·rows[j]</c> in float for byte rows <paramref name="q"/> (exact in float); same accumulation
    /// depth as the float overload, so <see cref="ErrorFactor"/> bounds it too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dots(ReadOnlySpan<byte> q, ReadOnlySpan<float> rows, Span<float> dots)
    {
        int d = q.Length, k = dots.Length;
        ref float c = ref MemoryMarshal.GetReference(rows);
        for (int j = 0; j < k; j += 4)
        {
            if (k - j == 5)
            {
                Dot5(q, ref Unsafe.Add(ref c, j * d), dots.Slice(j, 5));
                return;
            }

            if (k - j == 6)
            {
                Dot6(q, ref Unsafe.Add(ref c, j * d), dots.Slice(j, 6));
                return;
            }

            int m = Math.Min(4, k - j);
            ref float c0 = ref Unsafe.Add(ref c, j * d);
            ref float c1 = ref Unsafe.Add(ref c, (j + Math.Min(1, m - 1)) * d);
            if (m <= 2)
            {
                Dot2(q, ref c0, ref c1, out float t0, out float t1);
                Store(dots, j, m - 1, t0, t1, 0, 0);
                continue;
            }

            ref float c2 = ref Unsafe.Add(ref c, (j + Math.Min(2, m - 1)) * d);
            if (m == 3)
            {
                Dot3(q, ref c0, ref c1, ref c2, out float u0, out float u1, out float u2);
                Store(dots, j, 2, u0, u1, u2, 0);
                continue;
            }

            ref float c3 = ref Unsafe.Add(ref c, (j + Math.Min(3, m - 1)) * d);
            Dot4(q, ref c0, ref c1, ref c2, ref c3, out float s0, out float s1, out float s2, out float s3);
            dots[j] = s0;
            if (m > 1)
            {
                dots[j + 1] = s1;
            }

            if (m > 2)
            {
                dots[j + 2] = s2;
            }

            if (m > 3)
            {
                dots[j + 3] = s3;
            }
        }
    }

    /// <summary>
    /// <c>dots[m] = x · rows[which[m]]</c> in float (rows of length <c>x.Length</c>), each centre accumulated exactly as
    /// <see cref="Dots(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/> accumulates it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dots(ReadOnlySpan<float> x, ReadOnlySpan<float> rows, ReadOnlySpan<int> which, Span<float> dots)
    {
        int d = x.Length, k = dots.Length;
        ref float c = ref MemoryMarshal.GetReference(rows);
        for (int m = 0; m < k; m += 4)
        {
            int last = Math.Min(4, k - m) - 1;
            if (last <= 1)
            {
                Dot2(x, ref Unsafe.Add(ref c, which[m] * d), ref Unsafe.Add(ref c, which[m + last] * d), out float t0, out float t1);
                Store(dots, m, last, t0, t1, 0, 0);
                continue;
            }

            Dot4(x, ref Unsafe.Add(ref c, which[m] * d), ref Unsafe.Add(ref c, which[m + Math.Min(1, last)] * d), ref Unsafe.Add(ref c, which[m + Math.Min(2, last)] * d), ref Unsafe.Add(ref c, which[m + last] * d), out float s0, out float s1, out float s2, out float s3);
            Store(dots, m, last, s0, s1, s2, s3);
        }
    }

    /// <summary>The byte-row form of <see cref="Dots(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, Span{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dots(ReadOnlySpan<byte> q, ReadOnlySpan<float> rows, ReadOnlySpan<int> which, Span<float> dots)
    {
        int d = q.Length, k = dots.Length;
        ref float c = ref MemoryMarshal.GetReference(rows);
        for (int m = 0; m < k; m += 4)
        {
            int last = Math.Min(4, k - m) - 1;
            if (last <= 1)
            {
                Dot2(q, ref Unsafe.Add(ref c, which[m] * d), ref Unsafe.Add(ref c, which[m + last] * d), out float t0, out float t1);
                Store(dots, m, last, t0, t1, 0, 0);
                continue;
            }

            if (last == 2)
            {
                Dot3(q, ref Unsafe.Add(ref c, which[m] * d), ref Unsafe.Add(ref c, which[m + 1] * d), ref Unsafe.Add(ref c, which[m + 2] * d), out float u0, out float u1, out float u2);
                Store(dots, m, 2, u0, u1, u2, 0);
                continue;
            }

            Dot4(q, ref Unsafe.Add(ref c, which[m] * d), ref Unsafe.Add(ref c, which[m + Math.Min(1, last)] * d), ref Unsafe.Add(ref c, which[m + Math.Min(2, last)] * d), ref Unsafe.Add(ref c, which[m + last] * d), out float s0, out float s1, out float s2, out float s3);
            Store(dots, m, last, s0, s1, s2, s3);
        }
    }

    // A group of up to four results (the kernels repeat a short group's last centre).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Span<float> dots, int m, int last, float s0, float s1, float s2, float s3)
    {
        dots[m] = s0;
        if (last >= 1)
        {
            dots[m + 1] = s1;
        }

        if (last >= 2)
        {
            dots[m + 2] = s2;
        }

        if (last >= 3)
        {
            dots[m + 3] = s3;
        }
    }

    // Dot4's byte kernel for three centres (the k-means++ screen's candidates): the same accumulators and order per
    // centre, so the same bits, without a fourth centre's loads and FMAs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot3(ReadOnlySpan<byte> q, ref float c0, ref float c1, ref float c2, out float s0, out float s1, out float s2)
    {
        int d = q.Length;
        ref byte xr = ref MemoryMarshal.GetReference(q);
        int j = 0;
        s0 = 0;
        s1 = 0;
        s2 = 0;
        if (Avx512F.IsSupported && d >= 16)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero;
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero, b2 = Vector512<float>.Zero;
            for (; j <= d - 32; j += 32)
            {
                Vector512<float> v = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref xr, (nuint)j)));
                Vector512<float> w = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref xr, (nuint)(j + 16))));
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                b0 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c0, (nuint)(j + 16)), b0);
                b1 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c1, (nuint)(j + 16)), b1);
                b2 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c2, (nuint)(j + 16)), b2);
            }

            if (j <= d - 16)
            {
                Vector512<float> v = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref xr, (nuint)j)));
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                j += 16;
            }

            s0 = Vector512.Sum(a0 + b0);
            s1 = Vector512.Sum(a1 + b1);
            s2 = Vector512.Sum(a2 + b2);
        }
        else if (Avx2.IsSupported && d >= 8)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero;
            for (; j <= d - 8; j += 8)
            {
                Vector128<byte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref xr, j))).AsByte();
                Vector256<float> v = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes));
                a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c2, (nuint)j), a2);
            }

            s0 = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
            s2 = Vector256.Sum(a2);
        }

        for (; j < d; j++)
        {
            float v = Unsafe.Add(ref xr, j);
            s0 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c0, j), s0);
            s1 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c1, j), s1);
            s2 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c2, j), s2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(ReadOnlySpan<byte> q, ref float c0, ref float c1, ref float c2, ref float c3, out float s0, out float s1, out float s2, out float s3)
    {
        int d = q.Length;
        ref byte xr = ref MemoryMarshal.GetReference(q);
        int j = 0;
        s0 = 0;
        s1 = 0;
        s2 = 0;
        s3 = 0;
        if (Avx512F.IsSupported && d >= 16)
        {
            // Two accumulators per centre (32 elements a step): four single chains would be FMA-latency bound.
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero;
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero, b2 = Vector512<float>.Zero, b3 = Vector512<float>.Zero;
            for (; j <= d - 32; j += 32)
            {
                Vector512<float> v = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref xr, (nuint)j)));
                Vector512<float> w = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref xr, (nuint)(j + 16))));
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c3, (nuint)j), a3);
                b0 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c0, (nuint)(j + 16)), b0);
                b1 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c1, (nuint)(j + 16)), b1);
                b2 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c2, (nuint)(j + 16)), b2);
                b3 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c3, (nuint)(j + 16)), b3);
            }

            if (j <= d - 16)
            {
                Vector512<float> v = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref xr, (nuint)j)));
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c3, (nuint)j), a3);
                j += 16;
            }

            s0 = Vector512.Sum(a0 + b0);
            s1 = Vector512.Sum(a1 + b1);
            s2 = Vector512.Sum(a2 + b2);
            s3 = Vector512.Sum(a3 + b3);
        }
        else if (Avx2.IsSupported && d >= 8)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero;
            for (; j <= d - 8; j += 8)
            {
                Vector128<byte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref xr, j))).AsByte();
                Vector256<float> v = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes));
                a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c3, (nuint)j), a3);
            }

            s0 = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
            s2 = Vector256.Sum(a2);
            s3 = Vector256.Sum(a3);
        }

        for (; j < d; j++)
        {
            float v = Unsafe.Add(ref xr, j);
            s0 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c0, j), s0);
            s1 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c1, j), s1);
            s2 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c2, j), s2);
            s3 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c3, j), s3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(ReadOnlySpan<float> x, ref float c0, ref float c1, ref float c2, ref float c3, out float s0, out float s1, out float s2, out float s3)
    {
        int d = x.Length;
        ref float xr = ref MemoryMarshal.GetReference(x);
        int j = 0;
        s0 = 0;
        s1 = 0;
        s2 = 0;
        s3 = 0;
        if (Vector512.IsHardwareAccelerated && d >= 16)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero;
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero, b2 = Vector512<float>.Zero, b3 = Vector512<float>.Zero;
            for (; j <= d - 32; j += 32)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref xr, (nuint)j);
                Vector512<float> w = Vector512.LoadUnsafe(ref xr, (nuint)(j + 16));
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c3, (nuint)j), a3);
                b0 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c0, (nuint)(j + 16)), b0);
                b1 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c1, (nuint)(j + 16)), b1);
                b2 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c2, (nuint)(j + 16)), b2);
                b3 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c3, (nuint)(j + 16)), b3);
            }

            if (j <= d - 16)
            {
                Vector512<float> v = Vector512.LoadUnsafe(ref xr, (nuint)j);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c3, (nuint)j), a3);
                j += 16;
            }

            s0 = Vector512.Sum(a0 + b0);
            s1 = Vector512.Sum(a1 + b1);
            s2 = Vector512.Sum(a2 + b2);
            s3 = Vector512.Sum(a3 + b3);
        }
        else if (Vector256.IsHardwareAccelerated && d >= 8)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero;
            for (; j <= d - 8; j += 8)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref xr, (nuint)j);
                a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c3, (nuint)j), a3);
            }

            s0 = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
            s2 = Vector256.Sum(a2);
            s3 = Vector256.Sum(a3);
        }

        for (; j < d; j++)
        {
            float v = Unsafe.Add(ref xr, j);
            s0 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c0, j), s0);
            s1 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c1, j), s1);
            s2 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c2, j), s2);
            s3 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c3, j), s3);
        }
    }

    // One or two centres in one pass (a subset screen's label and one other centre; a last group of one or two): half
    // Dot4's multiply-adds for the same row loads. Each centre's accumulation is exactly Dot4's (same accumulators, order
    // and tail), so its results are bit-identical.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2<TRow>(ReadOnlySpan<TRow> x, ref float c0, ref float c1, out float s0, out float s1)
        where TRow : unmanaged
    {
        int d = x.Length;
        ref TRow xr = ref MemoryMarshal.GetReference(x);
        int j = 0;
        s0 = 0;
        s1 = 0;
        bool wide = typeof(TRow) == typeof(byte) ? Avx512F.IsSupported : Vector512.IsHardwareAccelerated;
        bool narrow = typeof(TRow) == typeof(byte) ? Avx2.IsSupported : Vector256.IsHardwareAccelerated;
        if (wide && d >= 16)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero;
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero;
            for (; j <= d - 32; j += 32)
            {
                Vector512<float> v = Load512(ref xr, j);
                Vector512<float> w = Load512(ref xr, j + 16);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                b0 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c0, (nuint)(j + 16)), b0);
                b1 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c1, (nuint)(j + 16)), b1);
            }

            if (j <= d - 16)
            {
                Vector512<float> v = Load512(ref xr, j);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                j += 16;
            }

            s0 = Vector512.Sum(a0 + b0);
            s1 = Vector512.Sum(a1 + b1);
        }
        else if (narrow && d >= 8)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero;
            for (; j <= d - 8; j += 8)
            {
                Vector256<float> v = Load256(ref xr, j);
                a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c1, (nuint)j), a1);
            }

            s0 = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
        }

        for (; j < d; j++)
        {
            float v = typeof(TRow) == typeof(byte) ? Unsafe.As<TRow, byte>(ref Unsafe.Add(ref xr, j)) : Unsafe.As<TRow, float>(ref Unsafe.Add(ref xr, j));
            s0 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c0, j), s0);
            s1 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c1, j), s1);
        }
    }

    // Five centres in one pass (k = 5, 9, …: a last group of one would otherwise cost a full four-centre pass). Each
    // centre's accumulation is exactly Dot4's (same accumulators, order and tail), so its results are bit-identical.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot5<TRow>(ReadOnlySpan<TRow> x, ref float c, Span<float> dots)
        where TRow : unmanaged
    {
        int d = x.Length;
        ref TRow xr = ref MemoryMarshal.GetReference(x);
        ref float c0 = ref c;
        ref float c1 = ref Unsafe.Add(ref c, d);
        ref float c2 = ref Unsafe.Add(ref c, 2 * d);
        ref float c3 = ref Unsafe.Add(ref c, 3 * d);
        ref float c4 = ref Unsafe.Add(ref c, 4 * d);
        int j = 0;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        bool wide = typeof(TRow) == typeof(byte) ? Avx512F.IsSupported : Vector512.IsHardwareAccelerated;
        bool narrow = typeof(TRow) == typeof(byte) ? Avx2.IsSupported : Vector256.IsHardwareAccelerated;
        if (wide && d >= 16)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero, a4 = Vector512<float>.Zero;
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero, b2 = Vector512<float>.Zero, b3 = Vector512<float>.Zero, b4 = Vector512<float>.Zero;
            for (; j <= d - 32; j += 32)
            {
                Vector512<float> v = Load512(ref xr, j);
                Vector512<float> w = Load512(ref xr, j + 16);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c3, (nuint)j), a3);
                a4 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c4, (nuint)j), a4);
                b0 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c0, (nuint)(j + 16)), b0);
                b1 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c1, (nuint)(j + 16)), b1);
                b2 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c2, (nuint)(j + 16)), b2);
                b3 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c3, (nuint)(j + 16)), b3);
                b4 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c4, (nuint)(j + 16)), b4);
            }

            if (j <= d - 16)
            {
                Vector512<float> v = Load512(ref xr, j);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c3, (nuint)j), a3);
                a4 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c4, (nuint)j), a4);
                j += 16;
            }

            s0 = Vector512.Sum(a0 + b0);
            s1 = Vector512.Sum(a1 + b1);
            s2 = Vector512.Sum(a2 + b2);
            s3 = Vector512.Sum(a3 + b3);
            s4 = Vector512.Sum(a4 + b4);
        }
        else if (narrow && d >= 8)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero, a4 = Vector256<float>.Zero;
            for (; j <= d - 8; j += 8)
            {
                Vector256<float> v = Load256(ref xr, j);
                a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c3, (nuint)j), a3);
                a4 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c4, (nuint)j), a4);
            }

            s0 = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
            s2 = Vector256.Sum(a2);
            s3 = Vector256.Sum(a3);
            s4 = Vector256.Sum(a4);
        }

        for (; j < d; j++)
        {
            float v = typeof(TRow) == typeof(byte) ? Unsafe.As<TRow, byte>(ref Unsafe.Add(ref xr, j)) : Unsafe.As<TRow, float>(ref Unsafe.Add(ref xr, j));
            s0 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c0, j), s0);
            s1 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c1, j), s1);
            s2 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c2, j), s2);
            s3 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c3, j), s3);
            s4 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c4, j), s4);
        }

        dots[0] = s0;
        dots[1] = s1;
        dots[2] = s2;
        dots[3] = s3;
        dots[4] = s4;
    }

    // Six centres in one pass (k = 6, 10, …: a last group of two would otherwise cost a full four-centre pass), as Dot5.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot6<TRow>(ReadOnlySpan<TRow> x, ref float c, Span<float> dots)
        where TRow : unmanaged
    {
        int d = x.Length;
        ref TRow xr = ref MemoryMarshal.GetReference(x);
        ref float c0 = ref c;
        ref float c1 = ref Unsafe.Add(ref c, d);
        ref float c2 = ref Unsafe.Add(ref c, 2 * d);
        ref float c3 = ref Unsafe.Add(ref c, 3 * d);
        ref float c4 = ref Unsafe.Add(ref c, 4 * d);
        ref float c5 = ref Unsafe.Add(ref c, 5 * d);
        int j = 0;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
        bool wide = typeof(TRow) == typeof(byte) ? Avx512F.IsSupported : Vector512.IsHardwareAccelerated;
        bool narrow = typeof(TRow) == typeof(byte) ? Avx2.IsSupported : Vector256.IsHardwareAccelerated;
        if (wide && d >= 16)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero, a4 = Vector512<float>.Zero, a5 = Vector512<float>.Zero;
            Vector512<float> b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero, b2 = Vector512<float>.Zero, b3 = Vector512<float>.Zero, b4 = Vector512<float>.Zero, b5 = Vector512<float>.Zero;
            for (; j <= d - 32; j += 32)
            {
                Vector512<float> v = Load512(ref xr, j);
                Vector512<float> w = Load512(ref xr, j + 16);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c3, (nuint)j), a3);
                a4 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c4, (nuint)j), a4);
                a5 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c5, (nuint)j), a5);
                b0 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c0, (nuint)(j + 16)), b0);
                b1 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c1, (nuint)(j + 16)), b1);
                b2 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c2, (nuint)(j + 16)), b2);
                b3 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c3, (nuint)(j + 16)), b3);
                b4 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c4, (nuint)(j + 16)), b4);
                b5 = Vector512.FusedMultiplyAdd(w, Vector512.LoadUnsafe(ref c5, (nuint)(j + 16)), b5);
            }

            if (j <= d - 16)
            {
                Vector512<float> v = Load512(ref xr, j);
                a0 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c3, (nuint)j), a3);
                a4 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c4, (nuint)j), a4);
                a5 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref c5, (nuint)j), a5);
                j += 16;
            }

            s0 = Vector512.Sum(a0 + b0);
            s1 = Vector512.Sum(a1 + b1);
            s2 = Vector512.Sum(a2 + b2);
            s3 = Vector512.Sum(a3 + b3);
            s4 = Vector512.Sum(a4 + b4);
            s5 = Vector512.Sum(a5 + b5);
        }
        else if (narrow && d >= 8)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero, a4 = Vector256<float>.Zero, a5 = Vector256<float>.Zero;
            for (; j <= d - 8; j += 8)
            {
                Vector256<float> v = Load256(ref xr, j);
                a0 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c0, (nuint)j), a0);
                a1 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c1, (nuint)j), a1);
                a2 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c2, (nuint)j), a2);
                a3 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c3, (nuint)j), a3);
                a4 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c4, (nuint)j), a4);
                a5 = Vector256.FusedMultiplyAdd(v, Vector256.LoadUnsafe(ref c5, (nuint)j), a5);
            }

            s0 = Vector256.Sum(a0);
            s1 = Vector256.Sum(a1);
            s2 = Vector256.Sum(a2);
            s3 = Vector256.Sum(a3);
            s4 = Vector256.Sum(a4);
            s5 = Vector256.Sum(a5);
        }

        for (; j < d; j++)
        {
            float v = typeof(TRow) == typeof(byte) ? Unsafe.As<TRow, byte>(ref Unsafe.Add(ref xr, j)) : Unsafe.As<TRow, float>(ref Unsafe.Add(ref xr, j));
            s0 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c0, j), s0);
            s1 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c1, j), s1);
            s2 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c2, j), s2);
            s3 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c3, j), s3);
            s4 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c4, j), s4);
            s5 = MathF.FusedMultiplyAdd(v, Unsafe.Add(ref c5, j), s5);
        }

        dots[0] = s0;
        dots[1] = s1;
        dots[2] = s2;
        dots[3] = s3;
        dots[4] = s4;
        dots[5] = s5;
    }

    // 16 row values as float: bytes converted exactly (as Dot4's byte overload), floats loaded.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load512<TRow>(ref TRow xr, int j)
        where TRow : unmanaged =>
        typeof(TRow) == typeof(byte)
            ? Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref Unsafe.As<TRow, byte>(ref xr), (nuint)j)))
            : Vector512.LoadUnsafe(ref Unsafe.As<TRow, float>(ref xr), (nuint)j);

    // 8 row values as float, as Dot4's AVX2 paths load them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load256<TRow>(ref TRow xr, int j)
        where TRow : unmanaged =>
        typeof(TRow) == typeof(byte)
            ? Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<TRow, byte>(ref Unsafe.Add(ref xr, j)))).AsByte()))
            : Vector256.LoadUnsafe(ref Unsafe.As<TRow, float>(ref xr), (nuint)j);
}
