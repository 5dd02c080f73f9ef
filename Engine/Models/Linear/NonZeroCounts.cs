using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using FashionCore.Internals;

namespace FashionCore.Models.Linear;

/// <summary>
/// Non-zero counts of rows, for the SAGA solvers' density sample and feature split (<see cref="SagLaneSolver"/>,
/// <see cref="SagLaneSplitSolver"/>): 256-bit compares instead of one scalar compare per value, the same counts.
/// </summary>
internal static class NonZeroCounts
{
    /// <summary>
    /// Adds 1 to <paramref name="perColumn"/>[j] for each non-zero <paramref name="row"/>[j] (NaN counts as non-zero, ±0
    /// as zero, as <c>x != 0</c>) and returns the row's non-zero count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int AddNonZeros<T>(ReadOnlySpan<T> row, Span<int> perColumn)
        where T : unmanaged
    {
        int length = row.Length;
        if (perColumn.Length < length)
        {
            ThrowHelper.ThrowArgument($"'perColumn' has {perColumn.Length} counts for a row of {length}.", nameof(perColumn));
        }

        int j = 0;
        int count = 0;
        ref int counts = ref MemoryMarshal.GetReference(perColumn);
        if (Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            // A zero compares equal (all ones, −1); subtracting the complement adds 1 per non-zero.
            ref T r = ref MemoryMarshal.GetReference(row);
            for (; j + 8 <= length; j += 8)
            {
                Vector256<int> zero = typeof(T) == typeof(float)
                    ? Vector256.Equals(Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref r), (nuint)j), Vector256<float>.Zero).AsInt32()
                    : Vector256.Narrow(
                        Vector256.Equals(Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref r), (nuint)j), Vector256<double>.Zero).AsInt64(),
                        Vector256.Equals(Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref r), (nuint)(j + 4)), Vector256<double>.Zero).AsInt64());
                Vector256<int> nonZero = ~zero;
                (Vector256.LoadUnsafe(ref counts, (nuint)j) - nonZero).StoreUnsafe(ref counts, (nuint)j);
                count += BitOperations.PopCount(nonZero.ExtractMostSignificantBits());
            }
        }

        for (; j < length; j++)
        {
            int nz = SagKernels.Value(row, j) != 0 ? 1 : 0;
            Unsafe.Add(ref counts, j) += nz;
            count += nz;
        }

        return count;
    }

    /// <summary>The non-zero count of <paramref name="row"/> (NaN counts as non-zero, ±0 as zero, as <c>x != 0</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CountNonZeros<T>(ReadOnlySpan<T> row)
        where T : unmanaged
    {
        int length = row.Length;
        int j = 0;
        int zeros = 0;
        if (Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            ref T r = ref MemoryMarshal.GetReference(row);
            int width = typeof(T) == typeof(float) ? 8 : 4;
            for (; j + width <= length; j += width)
            {
                uint zero = typeof(T) == typeof(float)
                    ? Vector256.Equals(Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref r), (nuint)j), Vector256<float>.Zero).ExtractMostSignificantBits()
                    : Vector256.Equals(Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref r), (nuint)j), Vector256<double>.Zero).ExtractMostSignificantBits();
                zeros += BitOperations.PopCount(zero);
            }
        }

        for (; j < length; j++)
        {
            zeros += SagKernels.Value(row, j) != 0 ? 0 : 1;
        }

        return length - zeros;
    }
}
