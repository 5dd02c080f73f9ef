using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Models.Clustering;

/// <content>
/// Kernels that centre a row on the fly instead of storing it first, and two-row forms of the single-chain kernels. Each
/// performs exactly the operations, per element and per accumulator, of the composition it replaces, so its results are
/// bit-identical to it.
/// </content>
internal static partial class KMeansKernels
{
    /// <summary>
    /// <c>sum += (double)row − mean</c> elementwise: <see cref="LoadCentred{T}"/> followed by <c>TensorPrimitives.Add</c>
    /// without the stored row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddCentred<T>(ReadOnlySpan<T> row, ReadOnlySpan<double> mean, Span<double> sum)
        where T : unmanaged
    {
        int d = row.Length, j = 0;
        ref T x = ref MemoryMarshal.GetReference(row);
        ref double m = ref MemoryMarshal.GetReference(mean);
        ref double s = ref MemoryMarshal.GetReference(sum);
        if (Vector512.IsHardwareAccelerated)
        {
            // Elementwise, so the vector width changes nothing but the instruction count.
            for (; j <= d - 16; j += 16)
            {
                CentredAt(ref x, ref m, j, out Vector512<double> lo, out Vector512<double> hi);
                (Vector512.LoadUnsafe(ref s, (nuint)j) + lo).StoreUnsafe(ref s, (nuint)j);
                (Vector512.LoadUnsafe(ref s, (nuint)(j + 8)) + hi).StoreUnsafe(ref s, (nuint)(j + 8));
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= d - 8; j += 8)
            {
                CentredAt(ref x, ref m, j, out Vector256<double> lo, out Vector256<double> hi);
                (Vector256.LoadUnsafe(ref s, (nuint)j) + lo).StoreUnsafe(ref s, (nuint)j);
                (Vector256.LoadUnsafe(ref s, (nuint)(j + 4)) + hi).StoreUnsafe(ref s, (nuint)(j + 4));
            }
        }

        for (; j < d; j++)
        {
            Unsafe.Add(ref s, j) += CentredAt(ref x, ref m, j);
        }
    }

    /// <summary>
    /// <c>from −= r; to += r</c> with <c>r = (double)row − mean</c> elementwise: a row moving between two cluster sums, as
    /// <see cref="LoadCentred{T}"/> then <c>TensorPrimitives.Subtract</c> and <c>Add</c> compute it, in one sweep.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MoveCentred<T>(ReadOnlySpan<T> row, ReadOnlySpan<double> mean, Span<double> from, Span<double> to)
        where T : unmanaged
    {
        int d = row.Length, j = 0;
        ref T x = ref MemoryMarshal.GetReference(row);
        ref double m = ref MemoryMarshal.GetReference(mean);
        ref double f = ref MemoryMarshal.GetReference(from);
        ref double t = ref MemoryMarshal.GetReference(to);
        if (Vector512.IsHardwareAccelerated)
        {
            // Elementwise, so the vector width changes nothing but the instruction count.
            for (; j <= d - 16; j += 16)
            {
                CentredAt(ref x, ref m, j, out Vector512<double> lo, out Vector512<double> hi);
                (Vector512.LoadUnsafe(ref f, (nuint)j) - lo).StoreUnsafe(ref f, (nuint)j);
                (Vector512.LoadUnsafe(ref f, (nuint)(j + 8)) - hi).StoreUnsafe(ref f, (nuint)(j + 8));
                (Vector512.LoadUnsafe(ref t, (nuint)j) + lo).StoreUnsafe(ref t, (nuint)j);
                (Vector512.LoadUnsafe(ref t, (nuint)(j + 8)) + hi).StoreUnsafe(ref t, (nuint)(j + 8));
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= d - 8; j += 8)
            {
                CentredAt(ref x, ref m, j, out Vector256<double> lo, out Vector256<double> hi);
                (Vector256.LoadUnsafe(ref f, (nuint)j) - lo).StoreUnsafe(ref f, (nuint)j);
                (Vector256.LoadUnsafe(ref f, (nuint)(j + 4)) - hi).StoreUnsafe(ref f, (nuint)(j + 4));
                (Vector256.LoadUnsafe(ref t, (nuint)j) + lo).StoreUnsafe(ref t, (nuint)j);
                (Vector256.LoadUnsafe(ref t, (nuint)(j + 4)) + hi).StoreUnsafe(ref t, (nuint)(j + 4));
            }
        }

        for (; j < d; j++)
        {
            double r = CentredAt(ref x, ref m, j);
            Unsafe.Add(ref f, j) -= r;
            Unsafe.Add(ref t, j) += r;
        }
    }

    /// <summary>
    /// The centred dots of two rows with one centre, each bit-identical to <see cref="LoadCentred{T}"/> followed by
    /// <see cref="Dot"/>: one row's two FMA chains are latency-bound, two rows' four are not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotCentredPair<T>(ReadOnlySpan<T> rowA, ReadOnlySpan<T> rowB, ReadOnlySpan<double> mean, ReadOnlySpan<double> centre, out double a, out double b)
        where T : unmanaged
    {
        int d = rowA.Length, j = 0;
        ref T xa = ref MemoryMarshal.GetReference(rowA);
        ref T xb = ref MemoryMarshal.GetReference(rowB);
        ref double m = ref MemoryMarshal.GetReference(mean);
        ref double c = ref MemoryMarshal.GetReference(centre);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero;
            Vector256<double> b0 = Vector256<double>.Zero, b1 = Vector256<double>.Zero;
            for (; j <= d - 8; j += 8)
            {
                Vector256<double> clo = Vector256.LoadUnsafe(ref c, (nuint)j), chi = Vector256.LoadUnsafe(ref c, (nuint)(j + 4));
                CentredAt(ref xa, ref m, j, out Vector256<double> alo, out Vector256<double> ahi);
                CentredAt(ref xb, ref m, j, out Vector256<double> blo, out Vector256<double> bhi);
                a0 = Vector256.FusedMultiplyAdd(alo, clo, a0);
                a1 = Vector256.FusedMultiplyAdd(ahi, chi, a1);
                b0 = Vector256.FusedMultiplyAdd(blo, clo, b0);
                b1 = Vector256.FusedMultiplyAdd(bhi, chi, b1);
            }

            a = Vector256.Sum(a0 + a1);
            b = Vector256.Sum(b0 + b1);
        }
        else
        {
            a = 0;
            b = 0;
        }

        for (; j < d; j++)
        {
            double cj = Unsafe.Add(ref c, j);
            a += CentredAt(ref xa, ref m, j) * cj;
            b += CentredAt(ref xb, ref m, j) * cj;
        }
    }

    /// <summary>
    /// The squared distances of two rows from their centres, each bit-identical to
    /// <see cref="SquaredDistanceCentred{T}"/> (four accumulator chains in flight instead of two).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SquaredDistanceCentredPair<T>(ReadOnlySpan<T> rowA, ReadOnlySpan<T> rowB, ReadOnlySpan<double> mean, ReadOnlySpan<double> centreA, ReadOnlySpan<double> centreB, out double a, out double b)
        where T : unmanaged
    {
        int d = rowA.Length, j = 0;
        ref T xa = ref MemoryMarshal.GetReference(rowA);
        ref T xb = ref MemoryMarshal.GetReference(rowB);
        ref double m = ref MemoryMarshal.GetReference(mean);
        ref double ca = ref MemoryMarshal.GetReference(centreA);
        ref double cb = ref MemoryMarshal.GetReference(centreB);
        a = 0;
        b = 0;
        if (Vector256.IsHardwareAccelerated && d >= 8)
        {
            Vector256<double> a0 = Vector256<double>.Zero, a1 = Vector256<double>.Zero;
            Vector256<double> b0 = Vector256<double>.Zero, b1 = Vector256<double>.Zero;
            for (; j <= d - 8; j += 8)
            {
                CentredAt(ref xa, ref m, j, out Vector256<double> alo, out Vector256<double> ahi);
                CentredAt(ref xb, ref m, j, out Vector256<double> blo, out Vector256<double> bhi);
                Vector256<double> ea0 = alo - Vector256.LoadUnsafe(ref ca, (nuint)j);
                Vector256<double> ea1 = ahi - Vector256.LoadUnsafe(ref ca, (nuint)(j + 4));
                Vector256<double> eb0 = blo - Vector256.LoadUnsafe(ref cb, (nuint)j);
                Vector256<double> eb1 = bhi - Vector256.LoadUnsafe(ref cb, (nuint)(j + 4));
                a0 = Vector256.FusedMultiplyAdd(ea0, ea0, a0);
                a1 = Vector256.FusedMultiplyAdd(ea1, ea1, a1);
                b0 = Vector256.FusedMultiplyAdd(eb0, eb0, b0);
                b1 = Vector256.FusedMultiplyAdd(eb1, eb1, b1);
            }

            a = Vector256.Sum(a0 + a1);
            b = Vector256.Sum(b0 + b1);
        }

        for (; j < d; j++)
        {
            double ea = CentredAt(ref xa, ref m, j) - Unsafe.Add(ref ca, j);
            double eb = CentredAt(ref xb, ref m, j) - Unsafe.Add(ref cb, j);
            a += ea * ea;
            b += eb * eb;
        }
    }

    // Elements j..j+7 of (double)row − mean as LoadCentred computes them: float rows widened (lower, upper half), double
    // rows loaded; then the mean subtracted.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CentredAt<T>(ref T x, ref double m, int j, out Vector256<double> lo, out Vector256<double> hi)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref x), (nuint)j);
            lo = Vector256.WidenLower(v) - Vector256.LoadUnsafe(ref m, (nuint)j);
            hi = Vector256.WidenUpper(v) - Vector256.LoadUnsafe(ref m, (nuint)(j + 4));
        }
        else
        {
            ref double xd = ref Unsafe.As<T, double>(ref x);
            lo = Vector256.LoadUnsafe(ref xd, (nuint)j) - Vector256.LoadUnsafe(ref m, (nuint)j);
            hi = Vector256.LoadUnsafe(ref xd, (nuint)(j + 4)) - Vector256.LoadUnsafe(ref m, (nuint)(j + 4));
        }
    }

    // Elements j..j+15 of (double)row − mean, as two vectors of eight.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CentredAt<T>(ref T x, ref double m, int j, out Vector512<double> lo, out Vector512<double> hi)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref Unsafe.As<T, float>(ref x), (nuint)j);
            lo = Vector512.WidenLower(v) - Vector512.LoadUnsafe(ref m, (nuint)j);
            hi = Vector512.WidenUpper(v) - Vector512.LoadUnsafe(ref m, (nuint)(j + 8));
        }
        else
        {
            ref double xd = ref Unsafe.As<T, double>(ref x);
            lo = Vector512.LoadUnsafe(ref xd, (nuint)j) - Vector512.LoadUnsafe(ref m, (nuint)j);
            hi = Vector512.LoadUnsafe(ref xd, (nuint)(j + 8)) - Vector512.LoadUnsafe(ref m, (nuint)(j + 8));
        }
    }

    // Element j of (double)row − mean.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CentredAt<T>(ref T x, ref double m, int j)
        where T : unmanaged =>
        (typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref Unsafe.Add(ref x, j)) : Unsafe.As<T, double>(ref Unsafe.Add(ref x, j))) - Unsafe.Add(ref m, j);
}
