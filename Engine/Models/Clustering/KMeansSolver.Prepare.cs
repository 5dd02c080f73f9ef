using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Clustering;

/// <content>The setup's second pass over a float row in one sweep.</content>
internal sealed partial class KMeansSolver<T>
{
    /// <summary>
    /// The per-row work of the setup's second pass for a float row, 16 columns at a time in one sweep (AVX-512 only):
    /// writes the centred row to <paramref name="row"/>, adds its squares to <paramref name="squares"/>, writes its 8-bit
    /// levels and returns <see cref="QuantizeSums"/>' sums, and (when <paramref name="first"/> is not empty) its
    /// <see cref="KMeansKernels.Dot"/> with <paramref name="first"/>.
    /// </summary>
    /// <remarks>
    /// Bit-identical to <see cref="KMeansKernels.LoadCentred(ReadOnlySpan{float}, ReadOnlySpan{double}, Span{double})"/>,
    /// then <c>TensorPrimitives.MultiplyAdd(row, row, squares, squares)</c>, <see cref="QuantizeSums"/> and
    /// <see cref="KMeansKernels.Dot"/>: every element takes the same operations and every accumulator the same terms in
    /// the same order (widening is exact and the rest is elementwise or per-lane). Those are five sweeps over the row; as
    /// one, the pass's reading of the rows from memory overlaps its arithmetic instead of alternating with it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PrepareRow(
        ReadOnlySpan<float> x,
        ReadOnlySpan<double> mean,
        Span<double> row,
        Span<double> squares,
        ReadOnlySpan<double> low,
        ReadOnlySpan<double> step,
        ReadOnlySpan<double> inverse,
        Span<byte> q,
        ReadOnlySpan<double> first,
        out double n2,
        out double r2,
        out double firstDot)
    {
        Debug.Assert(Avx512F.VL.IsSupported);
        int d = x.Length, j = 0;
        bool dot = !first.IsEmpty;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref double mr = ref MemoryMarshal.GetReference(mean);
        ref double rr = ref MemoryMarshal.GetReference(row);
        ref double sr = ref MemoryMarshal.GetReference(squares);
        ref double lowr = ref MemoryMarshal.GetReference(low);
        ref double stepr = ref MemoryMarshal.GetReference(step);
        ref double invr = ref MemoryMarshal.GetReference(inverse);
        ref byte qr = ref MemoryMarshal.GetReference(q);
        ref double fr = ref MemoryMarshal.GetReference(first);
        Vector512<double> n2a = Vector512<double>.Zero, r2a = Vector512<double>.Zero, n2b = Vector512<double>.Zero, r2b = Vector512<double>.Zero;
        Vector512<double> top = Vector512.Create(255.0);
        Vector256<double> a0 = Vector256<double>.Zero, b0 = Vector256<double>.Zero;
        for (; j <= d - 16; j += 16)
        {
            CentreSquare8(ref xr, ref mr, ref rr, ref sr, j);
            CentreSquare8(ref xr, ref mr, ref rr, ref sr, j + 8);
            QuantizeStep512(ref rr, ref lowr, ref stepr, ref invr, ref qr, j, top, ref n2a, ref r2a);
            QuantizeStep512(ref rr, ref lowr, ref stepr, ref invr, ref qr, j + 8, top, ref n2b, ref r2b);
            if (dot)
            {
                DotStep8(ref rr, ref fr, j, ref a0, ref b0);
                DotStep8(ref rr, ref fr, j + 8, ref a0, ref b0);
            }
        }

        if (j <= d - 8)
        {
            CentreSquare8(ref xr, ref mr, ref rr, ref sr, j);
            QuantizeStep512(ref rr, ref lowr, ref stepr, ref invr, ref qr, j, top, ref n2a, ref r2a);
            if (dot)
            {
                DotStep8(ref rr, ref fr, j, ref a0, ref b0);
            }

            j += 8;
        }

        n2 = Vector512.Sum(n2a + n2b);
        r2 = Vector512.Sum(r2a + r2b);
        firstDot = dot ? Vector256.Sum(a0 + b0) : 0;
        for (; j < d; j++)
        {
            double c = Unsafe.Add(ref xr, j) - Unsafe.Add(ref mr, j);
            Unsafe.Add(ref rr, j) = c;
            Unsafe.Add(ref sr, j) = (c * c) + Unsafe.Add(ref sr, j);
            QuantizeScalar(c, low[j], step[j], inverse[j], ref q[j], ref n2, ref r2);
            if (dot)
            {
                firstDot += c * Unsafe.Add(ref fr, j);
            }
        }
    }

    // Columns j..j+7: row = (double)x − mean (LoadCentred), squares = row·row + squares (TensorPrimitives.MultiplyAdd:
    // a product and a sum, not fused).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CentreSquare8(ref float xr, ref double mr, ref double rr, ref double sr, int j)
    {
        Vector512<double> c = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref xr, (nuint)j)) - Vector512.LoadUnsafe(ref mr, (nuint)j);
        c.StoreUnsafe(ref rr, (nuint)j);
        ((c * c) + Vector512.LoadUnsafe(ref sr, (nuint)j)).StoreUnsafe(ref sr, (nuint)j);
    }

    // Columns j..j+7 of KMeansKernels.Dot: its two four-lane chains.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotStep8(ref double rr, ref double fr, int j, ref Vector256<double> a0, ref Vector256<double> b0)
    {
        a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref rr, (nuint)j), Vector256.LoadUnsafe(ref fr, (nuint)j), a0);
        b0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref rr, (nuint)(j + 4)), Vector256.LoadUnsafe(ref fr, (nuint)(j + 4)), b0);
    }
}
