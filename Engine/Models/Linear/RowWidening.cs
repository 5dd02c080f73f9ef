using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// A quad's rows as doubles for <see cref="SagLaneQuadKernels"/>, widened once per quad into a scratch buffer of four
/// row lengths (row r at <c>r·d</c>); float → double is exact, so every result is bit for bit the same.
/// </summary>
/// <remarks>
/// The per-feature passes read each element of a row broadcast to eight lanes, eight per feature and quad. From a
/// float row each of those is a convert (an FP-pipe uop next to the pass's 24 FMAs per feature); from a double row it
/// is a plain broadcast load. Widening the four rows once costs one convert per 16 elements instead (the rows are read
/// twice per quad: as the next quad in one pass and as the current quad in the following one). Measured on the
/// one-thread quad loop: 5–12% less time per fit. Not used by the two-thread split (<see cref="SagLaneSplitHalf{T}"/>),
/// where the fit took 4–10% longer with it (likely because the eight double rows, 25 KB per half, crowd the half's
/// 63 KB of weight blocks out of L1; widening the next octet there chunk by chunk into one 25 KB buffer, 64 features at a
/// time, measured 193.3 → 199.4 ms per fit in session 12). The split instead keeps the doubles its dot products make
/// (<see cref="SagLaneOctetKernels.UpdateDotWide{T}(ReadOnlySpan{int}, ref double, in RowOctet{T}, in RowOctet{T}, ref double, in SagLaneOctetKernels.Coefficients, ref SagLaneOctetKernels.Accumulators, ReadOnlySpan{int}, ReadOnlySpan{int})"/>).
/// </remarks>
internal static class RowWidening
{
    /// <summary>
    /// Writes the four rows of <paramref name="x"/> times <paramref name="scale"/> (<see cref="SagProblem.RowScale"/>: 1
    /// but for byte rows) into <paramref name="buffer"/> as doubles and returns them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowQuad<double> Widen<T>(scoped in RowQuad<T> x, Span<double> buffer, double scale = 1.0)
        where T : unmanaged
    {
        int d = x.X0.Length;
        WidenRow(x.X0, buffer[..d], scale);
        WidenRow(x.X1, buffer.Slice(d, d), scale);
        WidenRow(x.X2, buffer.Slice(2 * d, d), scale);
        WidenRow(x.X3, buffer.Slice(3 * d, d), scale);
        return Rows(buffer, d);
    }

    /// <summary>The quad of rows of length <paramref name="d"/> last written into <paramref name="buffer"/> by <see cref="Widen{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowQuad<double> Rows(ReadOnlySpan<double> buffer, int d) =>
        new(buffer[..d], buffer.Slice(d, d), buffer.Slice(2 * d, d), buffer.Slice(3 * d, d));

    /// <summary>
    /// Writes <paramref name="row"/> (float, double or byte) times <paramref name="scale"/> into
    /// <paramref name="destination"/> as doubles: each value (double)x·scale, one rounding (none for a scale of 1), the
    /// value <see cref="LogisticRegression"/>'s widened byte rows hold.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WidenRow<T>(ReadOnlySpan<T> row, Span<double> destination, double scale = 1.0)
        where T : unmanaged
    {
        if (destination.Length < row.Length)
        {
            throw new ArgumentException("The destination is shorter than the row.", nameof(destination));
        }

        if (typeof(T) == typeof(byte))
        {
            WidenBytes(MemoryMarshal.Cast<T, byte>(row), destination, scale);
            return;
        }

        if (typeof(T) == typeof(double))
        {
            MemoryMarshal.Cast<T, double>(row).CopyTo(destination);
        }
        else
        {
            TensorPrimitives.ConvertChecked<float, double>(MemoryMarshal.Cast<T, float>(row), destination);
        }

        if (scale != 1.0)
        {
            TensorPrimitives.Multiply(destination[..row.Length], scale, destination);
        }
    }

    // 16 bytes at a time: zero-extended to 32 bits, converted to double (exact), times the scale.
    private static void WidenBytes(ReadOnlySpan<byte> row, Span<double> destination, double scale)
    {
        int j = 0;
        ref byte source = ref MemoryMarshal.GetReference(row);
        ref double target = ref MemoryMarshal.GetReference(destination);
        if (Avx512F.IsSupported)
        {
            Vector512<double> s = Vector512.Create(scale);
            for (; j + 16 <= row.Length; j += 16)
            {
                Vector512<int> k = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref source, (nuint)j));
                (Avx512F.ConvertToVector512Double(k.GetLower()) * s).StoreUnsafe(ref target, (nuint)j);
                (Avx512F.ConvertToVector512Double(k.GetUpper()) * s).StoreUnsafe(ref target, (nuint)(j + 8));
            }
        }

        for (; j < row.Length; j++)
        {
            Unsafe.Add(ref target, j) = row[j] * scale;
        }
    }
}
