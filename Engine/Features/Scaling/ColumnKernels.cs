using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Features.Scaling;

/// <summary>Per-column kernels over float rows with double per-column parameters (the scalers' hot loops).</summary>
/// <remarks>
/// Every float is widened to double before arithmetic, so results equal scikit-learn's float64 computation
/// rounded once to float at the end. Accumulation order is fixed (row by row), so results do not depend on the
/// vector width for integer-valued data and are deterministic in any case.
/// </remarks>
internal static class ColumnKernels
{
    /// <summary>sum[j] += row[j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(ReadOnlySpan<float> row, Span<double> sum)
    {
        int d = row.Length;
        ref float x = ref MemoryMarshal.GetReference(row);
        ref double s = ref MemoryMarshal.GetReference(sum);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= d - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)j));
                (Vector256.LoadUnsafe(ref s, (nuint)j) + lo).StoreUnsafe(ref s, (nuint)j);
                (Vector256.LoadUnsafe(ref s, (nuint)(j + 4)) + hi).StoreUnsafe(ref s, (nuint)(j + 4));
            }
        }

        for (; j < d; j++)
        {
            Unsafe.Add(ref s, j) += Unsafe.Add(ref x, j);
        }
    }

    /// <summary>sum[j] += (row[j] − shift[j]); squares[j] += (row[j] − shift[j])².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateShifted(ReadOnlySpan<float> row, ReadOnlySpan<double> shift, Span<double> sum, Span<double> squares)
    {
        int d = row.Length;
        ref float x = ref MemoryMarshal.GetReference(row);
        ref double t = ref MemoryMarshal.GetReference(shift);
        ref double s = ref MemoryMarshal.GetReference(sum);
        ref double q = ref MemoryMarshal.GetReference(squares);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= d - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)j));
                Vector256<double> dlo = lo - Vector256.LoadUnsafe(ref t, (nuint)j);
                Vector256<double> dhi = hi - Vector256.LoadUnsafe(ref t, (nuint)(j + 4));
                (Vector256.LoadUnsafe(ref s, (nuint)j) + dlo).StoreUnsafe(ref s, (nuint)j);
                (Vector256.LoadUnsafe(ref s, (nuint)(j + 4)) + dhi).StoreUnsafe(ref s, (nuint)(j + 4));
                // Separate multiply and add (no FMA) so the scalar tail and the vector body round identically.
                (Vector256.LoadUnsafe(ref q, (nuint)j) + (dlo * dlo)).StoreUnsafe(ref q, (nuint)j);
                (Vector256.LoadUnsafe(ref q, (nuint)(j + 4)) + (dhi * dhi)).StoreUnsafe(ref q, (nuint)(j + 4));
            }
        }

        for (; j < d; j++)
        {
            double v = Unsafe.Add(ref x, j) - Unsafe.Add(ref t, j);
            Unsafe.Add(ref s, j) += v;
            Unsafe.Add(ref q, j) += v * v;
        }
    }

    /// <summary>running min/max per column.</summary>
    public static void MinMax(ReadOnlySpan<float> row, Span<float> min, Span<float> max)
    {
        System.Numerics.Tensors.TensorPrimitives.Min(row, min, min);
        System.Numerics.Tensors.TensorPrimitives.Max(row, max, max);
    }

    /// <summary>destination[j] = (x[j] − a[j]) / b[j] in double (a true division, as scikit-learn's StandardScaler).</summary>
    public static void SubtractDivide(ReadOnlySpan<float> row, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<float> destination) =>
        Apply<SubtractDivideOp, float>(row, a, b, destination);

    /// <summary>destination[j] = (x[j] − a[j]) / b[j] in double, kept in double.</summary>
    public static void SubtractDivide(ReadOnlySpan<float> row, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> destination) =>
        Apply<SubtractDivideOp, double>(row, a, b, destination);

    /// <summary>destination[j] = x[j]·a[j] + b[j] in double (MinMaxScaler's transform; multiply then add, no FMA, as numpy).</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> row, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<float> destination) =>
        Apply<MultiplyAddOp, float>(row, a, b, destination);

    /// <summary>destination[j] = x[j]·a[j] + b[j] in double, kept in double.</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> row, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> destination) =>
        Apply<MultiplyAddOp, double>(row, a, b, destination);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Apply<TOp, TOut>(ReadOnlySpan<float> row, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<TOut> destination)
        where TOp : struct, IColumnOp
        where TOut : unmanaged
    {
        int d = row.Length;
        ref float x = ref MemoryMarshal.GetReference(row);
        ref double pa = ref MemoryMarshal.GetReference(a);
        ref double pb = ref MemoryMarshal.GetReference(b);
        ref TOut o = ref MemoryMarshal.GetReference(destination);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= d - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)j));
                Vector256<double> rlo = TOp.Apply(lo, Vector256.LoadUnsafe(ref pa, (nuint)j), Vector256.LoadUnsafe(ref pb, (nuint)j));
                Vector256<double> rhi = TOp.Apply(hi, Vector256.LoadUnsafe(ref pa, (nuint)(j + 4)), Vector256.LoadUnsafe(ref pb, (nuint)(j + 4)));
                if (typeof(TOut) == typeof(float))
                {
                    Vector256.Narrow(rlo, rhi).StoreUnsafe(ref Unsafe.As<TOut, float>(ref o), (nuint)j);
                }
                else
                {
                    rlo.StoreUnsafe(ref Unsafe.As<TOut, double>(ref o), (nuint)j);
                    rhi.StoreUnsafe(ref Unsafe.As<TOut, double>(ref o), (nuint)(j + 4));
                }
            }
        }

        for (; j < d; j++)
        {
            double r = TOp.Apply(Unsafe.Add(ref x, j), Unsafe.Add(ref pa, j), Unsafe.Add(ref pb, j));
            if (typeof(TOut) == typeof(float))
            {
                Unsafe.As<TOut, float>(ref Unsafe.Add(ref o, j)) = (float)r;
            }
            else
            {
                Unsafe.As<TOut, double>(ref Unsafe.Add(ref o, j)) = r;
            }
        }
    }

    private interface IColumnOp
    {
        static abstract double Apply(double x, double a, double b);

        static abstract Vector256<double> Apply(Vector256<double> x, Vector256<double> a, Vector256<double> b);
    }

    private readonly struct SubtractDivideOp : IColumnOp
    {
        public static double Apply(double x, double a, double b) => (x - a) / b;

        public static Vector256<double> Apply(Vector256<double> x, Vector256<double> a, Vector256<double> b) => (x - a) / b;
    }

    private readonly struct MultiplyAddOp : IColumnOp
    {
        public static double Apply(double x, double a, double b) => (x * a) + b;

        public static Vector256<double> Apply(Vector256<double> x, Vector256<double> a, Vector256<double> b) => (x * a) + b;
    }
}
