using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// The weight-block passes that the octet and quad kernels share on machines without AVX-512 (16 256-bit registers):
/// a block (<see cref="SagLaneKernels"/>' layout) as five 256-bit vectors, U lanes 0–3, 4–7, A lanes 0–3, 4–7 and the
/// tail [U8 U9 A8 A9]; a sample's coefficients likewise ([c8 c9 δ8 δ9] in the tail). Each lane gets the same FMAs in
/// the same order as in the 512-bit loops, so the same bits.
/// </summary>
/// <remarks>
/// The 512-bit loops keep four or eight samples' coefficients (or accumulators) in registers: 20–40 256-bit registers'
/// worth. Emulated on AVX2 they spilled on every FMA (pixel fit, two threads, Zen 3: the octet dot products 29% and
/// updates 14% of the fit). Here the updates take the features two at a time (10 block vectors, the coefficients as
/// loads) and the dot products the samples two at a time (10 accumulators, the block as memory operands).
/// </remarks>
internal static class SagLaneBlocks256
{
    /// <summary>Whether the 256-bit passes run (no 512-bit vectors, but AVX2 and FMA).</summary>
    public static bool IsPreferred => !Vector512.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;

    /// <summary>
    /// Samples r and r + 1's x·U, x·A and tails over <paramref name="nz"/> (features in order, one FMA each), added to
    /// the accumulators at <paramref name="accU"/> (sample r's U lanes 0–3, 4–7 and A lanes 0–3, 4–7, then sample
    /// r + 1's) and <paramref name="accTail"/> (the two tails). With <typeparamref name="TWiden"/> each value read is
    /// also stored as a double at <c>wide[8j]</c> and <c>wide[8j + 1]</c> (<paramref name="wide"/> at sample r's slot).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotPair<T, TWiden>(
        ReadOnlySpan<int> nz, ref T sa, ref T sb, ref double w, ref double wide, ref Vector256<double> accU, ref Vector256<double> accTail)
        where T : unmanaged
        where TWiden : struct, IWidenFlag
    {
        ref int idx = ref MemoryMarshal.GetReference(nz);
        Vector256<double> a0 = accU, a1 = Unsafe.Add(ref accU, 1), a2 = Unsafe.Add(ref accU, 2), a3 = Unsafe.Add(ref accU, 3), a4 = accTail;
        Vector256<double> b0 = Unsafe.Add(ref accU, 4), b1 = Unsafe.Add(ref accU, 5), b2 = Unsafe.Add(ref accU, 6), b3 = Unsafe.Add(ref accU, 7), b4 = Unsafe.Add(ref accTail, 1);
        for (int e = 0; e < nz.Length; e++)
        {
            // The block as memory operands: with its five vectors in registers too, the pair's loop needs 17.
            int j = Unsafe.Add(ref idx, e);
            (nint obu, nint obt) = Offsets(j);
            ref double bu = ref Unsafe.Add(ref w, obu);
            ref double bt = ref Unsafe.Add(ref w, obt);
            ref double xj = ref Unsafe.Add(ref wide, (nint)j * 8);
            Vector256<double> x = Broadcast(ref sa, j);
            if (TWiden.Enabled)
            {
                xj = x.ToScalar();
            }

            a0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu), a0);
            a1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 4), a1);
            a2 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 8), a2);
            a3 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 12), a3);
            a4 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bt), a4);
            x = Broadcast(ref sb, j);
            if (TWiden.Enabled)
            {
                Unsafe.Add(ref xj, 1) = x.ToScalar();
            }

            b0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu), b0);
            b1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 4), b1);
            b2 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 8), b2);
            b3 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 12), b3);
            b4 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bt), b4);
        }

        accU = a0;
        Unsafe.Add(ref accU, 1) = a1;
        Unsafe.Add(ref accU, 2) = a2;
        Unsafe.Add(ref accU, 3) = a3;
        accTail = a4;
        Unsafe.Add(ref accU, 4) = b0;
        Unsafe.Add(ref accU, 5) = b1;
        Unsafe.Add(ref accU, 6) = b2;
        Unsafe.Add(ref accU, 7) = b3;
        Unsafe.Add(ref accTail, 1) = b4;
    }

    /// <summary>
    /// Blocks <paramref name="j"/> and <paramref name="l"/> += x_r·coef_r for r = 0 … <paramref name="samples"/> − 1 in
    /// that order, x_r read at <paramref name="xj"/> (<paramref name="xl"/>) + r·<paramref name="stride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void UpdatePair(ref double w, int j, int l, ref double xj, ref double xl, nint stride, ref Coefficients c, int samples)
    {
        ref Vector256<double> cs = ref Unsafe.As<Coefficients, Vector256<double>>(ref c);
        (nint ouj, nint otj) = Offsets(j);
        ref double uj = ref Unsafe.Add(ref w, ouj);
        ref double tj = ref Unsafe.Add(ref w, otj);
        (nint oul, nint otl) = Offsets(l);
        ref double ul = ref Unsafe.Add(ref w, oul);
        ref double tl = ref Unsafe.Add(ref w, otl);
        Vector256<double> j0 = Vector256.LoadUnsafe(ref uj);
        Vector256<double> j1 = Vector256.LoadUnsafe(ref uj, 4);
        Vector256<double> j2 = Vector256.LoadUnsafe(ref uj, 8);
        Vector256<double> j3 = Vector256.LoadUnsafe(ref uj, 12);
        Vector256<double> j4 = Vector256.LoadUnsafe(ref tj);
        Vector256<double> l0 = Vector256.LoadUnsafe(ref ul);
        Vector256<double> l1 = Vector256.LoadUnsafe(ref ul, 4);
        Vector256<double> l2 = Vector256.LoadUnsafe(ref ul, 8);
        Vector256<double> l3 = Vector256.LoadUnsafe(ref ul, 12);
        Vector256<double> l4 = Vector256.LoadUnsafe(ref tl);
        for (int r = 0; r < samples; r++)
        {
            ref Vector256<double> cr = ref Unsafe.Add(ref cs, 5 * r);
            Vector256<double> bj = Vector256.Create(Unsafe.Add(ref xj, r * stride));
            Vector256<double> bl = Vector256.Create(Unsafe.Add(ref xl, r * stride));
            Vector256<double> v = cr;
            j0 = Fma.MultiplyAdd(bj, v, j0);
            l0 = Fma.MultiplyAdd(bl, v, l0);
            v = Unsafe.Add(ref cr, 1);
            j1 = Fma.MultiplyAdd(bj, v, j1);
            l1 = Fma.MultiplyAdd(bl, v, l1);
            v = Unsafe.Add(ref cr, 2);
            j2 = Fma.MultiplyAdd(bj, v, j2);
            l2 = Fma.MultiplyAdd(bl, v, l2);
            v = Unsafe.Add(ref cr, 3);
            j3 = Fma.MultiplyAdd(bj, v, j3);
            l3 = Fma.MultiplyAdd(bl, v, l3);
            v = Unsafe.Add(ref cr, 4);
            j4 = Fma.MultiplyAdd(bj, v, j4);
            l4 = Fma.MultiplyAdd(bl, v, l4);
        }

        j0.StoreUnsafe(ref uj);
        j1.StoreUnsafe(ref uj, 4);
        j2.StoreUnsafe(ref uj, 8);
        j3.StoreUnsafe(ref uj, 12);
        j4.StoreUnsafe(ref tj);
        l0.StoreUnsafe(ref ul);
        l1.StoreUnsafe(ref ul, 4);
        l2.StoreUnsafe(ref ul, 8);
        l3.StoreUnsafe(ref ul, 12);
        l4.StoreUnsafe(ref tl);
    }

    /// <summary><see cref="UpdatePair"/> for block <paramref name="j"/> alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Update(ref double w, int j, ref double xj, nint stride, ref Coefficients c, int samples)
    {
        ref Vector256<double> cs = ref Unsafe.As<Coefficients, Vector256<double>>(ref c);
        (nint ouj, nint otj) = Offsets(j);
        ref double uj = ref Unsafe.Add(ref w, ouj);
        ref double tj = ref Unsafe.Add(ref w, otj);
        Vector256<double> j0 = Vector256.LoadUnsafe(ref uj);
        Vector256<double> j1 = Vector256.LoadUnsafe(ref uj, 4);
        Vector256<double> j2 = Vector256.LoadUnsafe(ref uj, 8);
        Vector256<double> j3 = Vector256.LoadUnsafe(ref uj, 12);
        Vector256<double> j4 = Vector256.LoadUnsafe(ref tj);
        for (int r = 0; r < samples; r++)
        {
            ref Vector256<double> cr = ref Unsafe.Add(ref cs, 5 * r);
            Vector256<double> bj = Vector256.Create(Unsafe.Add(ref xj, r * stride));
            j0 = Fma.MultiplyAdd(bj, cr, j0);
            j1 = Fma.MultiplyAdd(bj, Unsafe.Add(ref cr, 1), j1);
            j2 = Fma.MultiplyAdd(bj, Unsafe.Add(ref cr, 2), j2);
            j3 = Fma.MultiplyAdd(bj, Unsafe.Add(ref cr, 3), j3);
            j4 = Fma.MultiplyAdd(bj, Unsafe.Add(ref cr, 4), j4);
        }

        j0.StoreUnsafe(ref uj);
        j1.StoreUnsafe(ref uj, 4);
        j2.StoreUnsafe(ref uj, 8);
        j3.StoreUnsafe(ref uj, 12);
        j4.StoreUnsafe(ref tj);
    }

    /// <summary>
    /// Element <paramref name="j"/> of a float, double or byte row as double in every lane (a byte loaded from
    /// <see cref="ByteValues.Doubles"/>). A float is broadcast, then widened (vbroadcastss, vcvtps2pd) rather than
    /// converted as a scalar: vcvtss2sd merges into its destination, which the JIT took from the previous sample's
    /// broadcast, a dependency from each sample to the one before. (End to end on Zen 3 the pixel fit measured the same within noise either way: 0.44-0.45 s against 0.42-0.50 s.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Broadcast<T>(ref T row, int j)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Avx.ConvertToVector256Double(Vector128.Create(Unsafe.As<T, float>(ref Unsafe.Add(ref row, j))));
        }

        if (typeof(T) == typeof(byte))
        {
            return Vector256.Create(Unsafe.Add(ref MemoryMarshal.GetReference(ByteValues.Doubles), Unsafe.As<T, byte>(ref Unsafe.Add(ref row, j))));
        }

        return Vector256.Create(Unsafe.As<T, double>(ref Unsafe.Add(ref row, j)));
    }

    /// <summary>
    /// Feature <paramref name="j"/>'s U (A at +8) and tail, as <see cref="SagLaneKernels.Offsets"/> places them, in
    /// native-width arithmetic (no sign extension per load).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (nint U, nint T) Offsets(int j)
    {
        nint odd = j & 1;
        nint b = (nint)j * SagLaneKernels.Block;
        return (b + (4 * odd), b + 16 - (16 * odd));
    }

    /// <summary>Up to eight samples' five coefficient vectors each (1280 bytes, on the stack).</summary>
    [InlineArray(40)]
    public struct Coefficients
    {
        private Vector256<double> _element;

        /// <summary>Sample <paramref name="r"/>'s coef lanes 0–3, 4–7, δ lanes 0–3, 4–7 and tail [c8 c9 δ8 δ9].</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Set(int r, Vector256<double> coefLow, Vector256<double> coefHigh, Vector256<double> deltaLow, Vector256<double> deltaHigh, Vector256<double> tail)
        {
            this[5 * r] = coefLow;
            this[(5 * r) + 1] = coefHigh;
            this[(5 * r) + 2] = deltaLow;
            this[(5 * r) + 3] = deltaHigh;
            this[(5 * r) + 4] = tail;
        }
    }
}

/// <summary>Compile-time switch of <see cref="SagLaneBlocks256.DotPair{T, TWiden}"/> (specialised away by the JIT).</summary>
internal interface IWidenFlag
{
    static abstract bool Enabled { get; }
}

/// <summary>The dot products also store the values they read as doubles (the octet's next round reads them).</summary>
internal readonly struct WidenRows : IWidenFlag
{
    public static bool Enabled => true;
}

/// <summary>The dot products only read the rows.</summary>
internal readonly struct ReadRows : IWidenFlag
{
    public static bool Enabled => false;
}
