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
            Vector512<double> c0 = CentreSquare8(ref xr, ref mr, ref rr, ref sr, j);
            Vector512<double> c1 = CentreSquare8(ref xr, ref mr, ref rr, ref sr, j + 8);
            QuantizeCentred512(c0, ref lowr, ref stepr, ref invr, ref qr, j, top, ref n2a, ref r2a);
            QuantizeCentred512(c1, ref lowr, ref stepr, ref invr, ref qr, j + 8, top, ref n2b, ref r2b);
            if (dot)
            {
                DotStep8(c0, ref fr, j, ref a0, ref b0);
                DotStep8(c1, ref fr, j + 8, ref a0, ref b0);
            }
        }

        if (j <= d - 8)
        {
            Vector512<double> c0 = CentreSquare8(ref xr, ref mr, ref rr, ref sr, j);
            QuantizeCentred512(c0, ref lowr, ref stepr, ref invr, ref qr, j, top, ref n2a, ref r2a);
            if (dot)
            {
                DotStep8(c0, ref fr, j, ref a0, ref b0);
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

    /// <summary>
    /// <see cref="PrepareRow"/> for two rows, a then b, in one sweep (AVX-512 only): the same bits as the two calls in that
    /// order. Every element of <paramref name="squares"/> takes a's square, then b's (as in the two calls), but is loaded and
    /// stored once, and the column statistics and <paramref name="first"/> are loaded once for both rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PrepareRowPair(
        ReadOnlySpan<float> xa,
        ReadOnlySpan<float> xb,
        ReadOnlySpan<double> mean,
        Span<double> rowA,
        Span<double> rowB,
        Span<double> squares,
        ReadOnlySpan<double> low,
        ReadOnlySpan<double> step,
        ReadOnlySpan<double> inverse,
        Span<byte> qa,
        Span<byte> qb,
        ReadOnlySpan<double> first,
        out RowFacts a,
        out RowFacts b)
    {
        Debug.Assert(Avx512F.VL.IsSupported);
        int d = xa.Length, j = 0;
        bool dot = !first.IsEmpty;
        ref float xar = ref MemoryMarshal.GetReference(xa);
        ref float xbr = ref MemoryMarshal.GetReference(xb);
        ref double mr = ref MemoryMarshal.GetReference(mean);
        ref double rar = ref MemoryMarshal.GetReference(rowA);
        ref double rbr = ref MemoryMarshal.GetReference(rowB);
        ref double sr = ref MemoryMarshal.GetReference(squares);
        ref double lowr = ref MemoryMarshal.GetReference(low);
        ref double stepr = ref MemoryMarshal.GetReference(step);
        ref double invr = ref MemoryMarshal.GetReference(inverse);
        ref byte qar = ref MemoryMarshal.GetReference(qa);
        ref byte qbr = ref MemoryMarshal.GetReference(qb);
        ref double fr = ref MemoryMarshal.GetReference(first);
        Vector512<double> n2aA = Vector512<double>.Zero, r2aA = Vector512<double>.Zero, n2bA = Vector512<double>.Zero, r2bA = Vector512<double>.Zero;
        Vector512<double> n2aB = Vector512<double>.Zero, r2aB = Vector512<double>.Zero, n2bB = Vector512<double>.Zero, r2bB = Vector512<double>.Zero;
        Vector512<double> top = Vector512.Create(255.0);
        Vector256<double> a0A = Vector256<double>.Zero, b0A = Vector256<double>.Zero, a0B = Vector256<double>.Zero, b0B = Vector256<double>.Zero;
        for (; j <= d - 16; j += 16)
        {
            CentreSquarePair8(ref xar, ref xbr, ref mr, ref rar, ref rbr, ref sr, j, out Vector512<double> ca0, out Vector512<double> cb0);
            CentreSquarePair8(ref xar, ref xbr, ref mr, ref rar, ref rbr, ref sr, j + 8, out Vector512<double> ca1, out Vector512<double> cb1);
            QuantizePair512(ca0, cb0, ref lowr, ref stepr, ref invr, ref qar, ref qbr, j, top, ref n2aA, ref r2aA, ref n2aB, ref r2aB);
            QuantizePair512(ca1, cb1, ref lowr, ref stepr, ref invr, ref qar, ref qbr, j + 8, top, ref n2bA, ref r2bA, ref n2bB, ref r2bB);
            if (dot)
            {
                DotPair8(ca0, cb0, ref fr, j, ref a0A, ref b0A, ref a0B, ref b0B);
                DotPair8(ca1, cb1, ref fr, j + 8, ref a0A, ref b0A, ref a0B, ref b0B);
            }
        }

        if (j <= d - 8)
        {
            CentreSquarePair8(ref xar, ref xbr, ref mr, ref rar, ref rbr, ref sr, j, out Vector512<double> ca0, out Vector512<double> cb0);
            QuantizePair512(ca0, cb0, ref lowr, ref stepr, ref invr, ref qar, ref qbr, j, top, ref n2aA, ref r2aA, ref n2aB, ref r2aB);
            if (dot)
            {
                DotPair8(ca0, cb0, ref fr, j, ref a0A, ref b0A, ref a0B, ref b0B);
            }

            j += 8;
        }

        a = new RowFacts(Vector512.Sum(n2aA + n2bA), Vector512.Sum(r2aA + r2bA), dot ? Vector256.Sum(a0A + b0A) : 0);
        b = new RowFacts(Vector512.Sum(n2aB + n2bB), Vector512.Sum(r2aB + r2bB), dot ? Vector256.Sum(a0B + b0B) : 0);
        if (j < d)
        {
            // The scalar tails, row a's then row b's (each square element still takes a's term before b's).
            a = TailFacts(xa, mean, rowA, squares, low, step, inverse, qa, first, j, a);
            b = TailFacts(xb, mean, rowB, squares, low, step, inverse, qb, first, j, b);
        }
    }

    /// <summary>The sums of squares and the dot that <see cref="PrepareRowPair"/> returns for each row (as <see cref="PrepareRow"/>'s outs).</summary>
    internal readonly record struct RowFacts(double N2, double R2, double FirstDot);

    // PrepareRow's scalar tail from column j on, continuing the facts of its vector part.
    private static RowFacts TailFacts(ReadOnlySpan<float> x, ReadOnlySpan<double> mean, Span<double> row, Span<double> squares, ReadOnlySpan<double> low, ReadOnlySpan<double> step, ReadOnlySpan<double> inverse, Span<byte> q, ReadOnlySpan<double> first, int j, RowFacts facts)
    {
        double n2 = facts.N2, r2 = facts.R2, firstDot = facts.FirstDot;
        for (; j < x.Length; j++)
        {
            double c = x[j] - mean[j];
            row[j] = c;
            squares[j] = (c * c) + squares[j];
            QuantizeScalar(c, low[j], step[j], inverse[j], ref q[j], ref n2, ref r2);
            if (!first.IsEmpty)
            {
                firstDot += c * first[j];
            }
        }

        return new RowFacts(n2, r2, firstDot);
    }

    // CentreSquare8 for rows a then b: squares = b·b + (a·a + squares), loaded and stored once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CentreSquarePair8(ref float xar, ref float xbr, ref double mr, ref double rar, ref double rbr, ref double sr, int j, out Vector512<double> ca, out Vector512<double> cb)
    {
        Vector512<double> m = Vector512.LoadUnsafe(ref mr, (nuint)j);
        ca = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref xar, (nuint)j)) - m;
        cb = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref xbr, (nuint)j)) - m;
        ca.StoreUnsafe(ref rar, (nuint)j);
        cb.StoreUnsafe(ref rbr, (nuint)j);
        ((cb * cb) + ((ca * ca) + Vector512.LoadUnsafe(ref sr, (nuint)j))).StoreUnsafe(ref sr, (nuint)j);
    }

    // QuantizeStep512 for the centred columns of rows a and b (as CentreSquarePair8 returns them), the column statistics
    // loaded once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizePair512(Vector512<double> ca, Vector512<double> cb, ref double lowr, ref double stepr, ref double invr, ref byte qar, ref byte qbr, int j, Vector512<double> top, ref Vector512<double> n2A, ref Vector512<double> r2A, ref Vector512<double> n2B, ref Vector512<double> r2B)
    {
        Vector512<double> low = Vector512.LoadUnsafe(ref lowr, (nuint)j);
        Vector512<double> inv = Vector512.LoadUnsafe(ref invr, (nuint)j);
        Vector512<double> step = Vector512.LoadUnsafe(ref stepr, (nuint)j);
        QuantizeLanes(ca, low, inv, step, top, ref qar, j, ref n2A, ref r2A);
        QuantizeLanes(cb, low, inv, step, top, ref qbr, j, ref n2B, ref r2B);
    }

    // QuantizeStep512's operations on loaded operands.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeLanes(Vector512<double> x, Vector512<double> low, Vector512<double> inv, Vector512<double> step, Vector512<double> top, ref byte qr, int j, ref Vector512<double> n2, ref Vector512<double> r2)
    {
        Vector512<double> t = Avx512F.Min(Avx512F.Max((x - low) * inv, Vector512<double>.Zero), top);
        Vector256<int> levels = Avx512F.ConvertToVector256Int32(t);
        Vector512<double> scaled = step * Avx512F.ConvertToVector512Double(levels);
        Vector512<double> e = x - (low + scaled);
        n2 = Vector512.FusedMultiplyAdd(scaled, scaled, n2);
        r2 = Vector512.FusedMultiplyAdd(e, e, r2);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref qr, j), Avx512F.VL.ConvertToVector128Byte(levels).AsUInt64().ToScalar());
    }

    // DotStep8 for rows a and b, the first row's columns loaded once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotPair8(Vector512<double> ca, Vector512<double> cb, ref double fr, int j, ref Vector256<double> a0A, ref Vector256<double> b0A, ref Vector256<double> a0B, ref Vector256<double> b0B)
    {
        Vector256<double> f0 = Vector256.LoadUnsafe(ref fr, (nuint)j), f1 = Vector256.LoadUnsafe(ref fr, (nuint)(j + 4));
        a0A = Vector256.FusedMultiplyAdd(ca.GetLower(), f0, a0A);
        b0A = Vector256.FusedMultiplyAdd(ca.GetUpper(), f1, b0A);
        a0B = Vector256.FusedMultiplyAdd(cb.GetLower(), f0, a0B);
        b0B = Vector256.FusedMultiplyAdd(cb.GetUpper(), f1, b0B);
    }

    // Columns j..j+7: row = (double)x − mean (LoadCentred), squares = row·row + squares (TensorPrimitives.MultiplyAdd:
    // a product and a sum, not fused). Returns the centred columns, which the quantization and the dot take from the
    // register rather than loading them back from the row just stored (loading a 512-bit value right after storing it
    // waits for the store on cores whose store path is 256 bits wide, such as Zen 4).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> CentreSquare8(ref float xr, ref double mr, ref double rr, ref double sr, int j)
    {
        Vector512<double> c = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref xr, (nuint)j)) - Vector512.LoadUnsafe(ref mr, (nuint)j);
        c.StoreUnsafe(ref rr, (nuint)j);
        ((c * c) + Vector512.LoadUnsafe(ref sr, (nuint)j)).StoreUnsafe(ref sr, (nuint)j);
        return c;
    }

    // QuantizeStep512 on centred columns already in a register.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeCentred512(Vector512<double> c, ref double lowr, ref double stepr, ref double invr, ref byte qr, int j, Vector512<double> top, ref Vector512<double> n2, ref Vector512<double> r2) =>
        QuantizeLanes(c, Vector512.LoadUnsafe(ref lowr, (nuint)j), Vector512.LoadUnsafe(ref invr, (nuint)j), Vector512.LoadUnsafe(ref stepr, (nuint)j), top, ref qr, j, ref n2, ref r2);

    // Columns j..j+7 of KMeansKernels.Dot (its two four-lane chains), from the centred columns in a register.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotStep8(Vector512<double> c, ref double fr, int j, ref Vector256<double> a0, ref Vector256<double> b0)
    {
        a0 = Vector256.FusedMultiplyAdd(c.GetLower(), Vector256.LoadUnsafe(ref fr, (nuint)j), a0);
        b0 = Vector256.FusedMultiplyAdd(c.GetUpper(), Vector256.LoadUnsafe(ref fr, (nuint)(j + 4)), b0);
    }
}
