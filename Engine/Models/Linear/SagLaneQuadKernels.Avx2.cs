using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// The quad passes for machines without AVX-512 (<see cref="SagLaneOctetKernels.Use256"/>): the same FMAs per lane in
/// the same order as the 512-bit loops, so the same bits, arranged for 16 256-bit registers.
/// </summary>
/// <remarks>
/// The fused 512-bit pass keeps four samples' coefficients and accumulators in registers (40 256-bit registers' worth);
/// emulated on AVX2 it spilled on every FMA. Here a piece's updates run first (two features at a time, coefficients
/// as loads), then its dot products (two samples at a time): each feature's block is still updated before it enters
/// the dot products, and each accumulator still adds the features in order.
/// </remarks>
internal static partial class SagLaneQuadKernels
{
    /// <summary><see cref="UpdateDot{T}"/> in 256-bit vectors (needs AVX2 and FMA): the same bits.</summary>
    internal static void UpdateDot256<T>(ReadOnlySpan<int> nz, in RowQuad<T> x, in RowQuad<T> y, ref double w, in Steps steps, ref Accumulators acc)
        where T : unmanaged
    {
        Update256(nz, x, ref w, steps);
        Dot256(nz, y, ref w, ref acc);
    }

    /// <summary><see cref="Dot{T}"/> in 256-bit vectors (needs AVX2 and FMA): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    internal static void Dot256<T>(ReadOnlySpan<int> nz, in RowQuad<T> y, ref double w, ref Accumulators acc)
        where T : unmanaged
    {
        DotPair(nz, MemoryMarshal.GetReference(y.X0), MemoryMarshal.GetReference(y.X1), ref w, ref acc, 0);
        DotPair(nz, MemoryMarshal.GetReference(y.X2), MemoryMarshal.GetReference(y.X3), ref w, ref acc, 2);
    }

    // Samples r and r + 1 of Dot: their accumulators in registers, the block as memory operands.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotPair<T>(ReadOnlySpan<int> nz, in T first, in T second, ref double w, ref Accumulators acc, int r)
        where T : unmanaged
    {
        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T sa = ref Unsafe.AsRef(in first);
        ref T sb = ref Unsafe.AsRef(in second);
        ref Vector256<double> ua = ref Unsafe.As<Vector512<double>, Vector256<double>>(ref Unsafe.Add(ref acc.U0, 2 * r));
        ref Vector256<double> ub = ref Unsafe.As<Vector512<double>, Vector256<double>>(ref Unsafe.Add(ref acc.U0, 2 * (r + 1)));
        ref Vector256<double> qa = ref Unsafe.Add(ref acc.T0, r);
        ref Vector256<double> qb = ref Unsafe.Add(ref acc.T0, r + 1);
        Vector256<double> a0 = ua, a1 = Unsafe.Add(ref ua, 1), a2 = Unsafe.Add(ref ua, 2), a3 = Unsafe.Add(ref ua, 3), a4 = qa;
        Vector256<double> b0 = ub, b1 = Unsafe.Add(ref ub, 1), b2 = Unsafe.Add(ref ub, 2), b3 = Unsafe.Add(ref ub, 3), b4 = qb;
        for (int e = 0; e < nz.Length; e++)
        {
            int j = Unsafe.Add(ref idx, e);
            (nint ou, nint ot) = SagLaneOctetKernels.Offsets(j);
            ref double bu = ref Unsafe.Add(ref w, ou);
            ref double bt = ref Unsafe.Add(ref w, ot);
            Vector256<double> x = SagLaneOctetKernels.Broadcast(ref sa, j);
            a0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu), a0);
            a1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 4), a1);
            a2 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 8), a2);
            a3 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 12), a3);
            a4 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bt), a4);
            x = SagLaneOctetKernels.Broadcast(ref sb, j);
            b0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu), b0);
            b1 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 4), b1);
            b2 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 8), b2);
            b3 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bu, 12), b3);
            b4 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref bt), b4);
        }

        ua = a0;
        Unsafe.Add(ref ua, 1) = a1;
        Unsafe.Add(ref ua, 2) = a2;
        Unsafe.Add(ref ua, 3) = a3;
        qa = a4;
        ub = b0;
        Unsafe.Add(ref ub, 1) = b1;
        Unsafe.Add(ref ub, 2) = b2;
        Unsafe.Add(ref ub, 3) = b3;
        qb = b4;
    }

    /// <summary><see cref="Update{T}"/> in 256-bit vectors (needs AVX2 and FMA): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    internal static void Update256<T>(ReadOnlySpan<int> nz, in RowQuad<T> x, ref double w, in Steps steps)
        where T : unmanaged
    {
        // Per sample: coef lanes 0–3, 4–7, δ lanes 0–3, 4–7, tail [c8 c9 δ8 δ9].
        Coefficients c = default;
        c.Set(0, steps.Coef0, steps.Delta0);
        c.Set(1, steps.Coef1, steps.Delta1);
        c.Set(2, steps.Coef2, steps.Delta2);
        c.Set(3, steps.Coef3, steps.Delta3);
        ref Vector256<double> cs = ref Unsafe.As<Coefficients, Vector256<double>>(ref c);

        // The pair's row values as doubles (x_r[j] at 2r, x_r[l] at 2r + 1), broadcast from here: the four rows cannot
        // be indexed by r, and the loop over r keeps the code within the registers.
        Span<double> xs = stackalloc double[8];
        ref double xr = ref MemoryMarshal.GetReference(xs);
        ref T r0 = ref MemoryMarshal.GetReference(x.X0);
        ref T r1 = ref MemoryMarshal.GetReference(x.X1);
        ref T r2 = ref MemoryMarshal.GetReference(x.X2);
        ref T r3 = ref MemoryMarshal.GetReference(x.X3);
        ref int idx = ref MemoryMarshal.GetReference(nz);
        int e = 0;
        for (; e + 2 <= nz.Length; e += 2)
        {
            int j = Unsafe.Add(ref idx, e);
            int l = Unsafe.Add(ref idx, e + 1);
            xr = SagLaneKernels.Value(ref r0, j);
            Unsafe.Add(ref xr, 1) = SagLaneKernels.Value(ref r0, l);
            Unsafe.Add(ref xr, 2) = SagLaneKernels.Value(ref r1, j);
            Unsafe.Add(ref xr, 3) = SagLaneKernels.Value(ref r1, l);
            Unsafe.Add(ref xr, 4) = SagLaneKernels.Value(ref r2, j);
            Unsafe.Add(ref xr, 5) = SagLaneKernels.Value(ref r2, l);
            Unsafe.Add(ref xr, 6) = SagLaneKernels.Value(ref r3, j);
            Unsafe.Add(ref xr, 7) = SagLaneKernels.Value(ref r3, l);
            (nint oj, nint tj) = SagLaneOctetKernels.Offsets(j);
            (nint ol, nint tl) = SagLaneOctetKernels.Offsets(l);
            ref double uj = ref Unsafe.Add(ref w, oj);
            ref double sj = ref Unsafe.Add(ref w, tj);
            ref double ul = ref Unsafe.Add(ref w, ol);
            ref double sl = ref Unsafe.Add(ref w, tl);
            Vector256<double> j0 = Vector256.LoadUnsafe(ref uj);
            Vector256<double> j1 = Vector256.LoadUnsafe(ref uj, 4);
            Vector256<double> j2 = Vector256.LoadUnsafe(ref uj, 8);
            Vector256<double> j3 = Vector256.LoadUnsafe(ref uj, 12);
            Vector256<double> j4 = Vector256.LoadUnsafe(ref sj);
            Vector256<double> l0 = Vector256.LoadUnsafe(ref ul);
            Vector256<double> l1 = Vector256.LoadUnsafe(ref ul, 4);
            Vector256<double> l2 = Vector256.LoadUnsafe(ref ul, 8);
            Vector256<double> l3 = Vector256.LoadUnsafe(ref ul, 12);
            Vector256<double> l4 = Vector256.LoadUnsafe(ref sl);
            for (int r = 0; r < 4; r++)
            {
                ref Vector256<double> cr = ref Unsafe.Add(ref cs, 5 * r);
                Vector256<double> bj = Vector256.Create(Unsafe.Add(ref xr, 2 * r));
                Vector256<double> bl = Vector256.Create(Unsafe.Add(ref xr, (2 * r) + 1));
                Vector256<double> k = cr;
                j0 = Fma.MultiplyAdd(bj, k, j0);
                l0 = Fma.MultiplyAdd(bl, k, l0);
                k = Unsafe.Add(ref cr, 1);
                j1 = Fma.MultiplyAdd(bj, k, j1);
                l1 = Fma.MultiplyAdd(bl, k, l1);
                k = Unsafe.Add(ref cr, 2);
                j2 = Fma.MultiplyAdd(bj, k, j2);
                l2 = Fma.MultiplyAdd(bl, k, l2);
                k = Unsafe.Add(ref cr, 3);
                j3 = Fma.MultiplyAdd(bj, k, j3);
                l3 = Fma.MultiplyAdd(bl, k, l3);
                k = Unsafe.Add(ref cr, 4);
                j4 = Fma.MultiplyAdd(bj, k, j4);
                l4 = Fma.MultiplyAdd(bl, k, l4);
            }

            j0.StoreUnsafe(ref uj);
            j1.StoreUnsafe(ref uj, 4);
            j2.StoreUnsafe(ref uj, 8);
            j3.StoreUnsafe(ref uj, 12);
            j4.StoreUnsafe(ref sj);
            l0.StoreUnsafe(ref ul);
            l1.StoreUnsafe(ref ul, 4);
            l2.StoreUnsafe(ref ul, 8);
            l3.StoreUnsafe(ref ul, 12);
            l4.StoreUnsafe(ref sl);
        }

        if (e < nz.Length)
        {
            int j = Unsafe.Add(ref idx, e);
            (nint oj, nint tj) = SagLaneOctetKernels.Offsets(j);
            ref double uj = ref Unsafe.Add(ref w, oj);
            ref double sj = ref Unsafe.Add(ref w, tj);
            Vector256<double> j0 = Vector256.LoadUnsafe(ref uj);
            Vector256<double> j1 = Vector256.LoadUnsafe(ref uj, 4);
            Vector256<double> j2 = Vector256.LoadUnsafe(ref uj, 8);
            Vector256<double> j3 = Vector256.LoadUnsafe(ref uj, 12);
            Vector256<double> j4 = Vector256.LoadUnsafe(ref sj);
            xr = SagLaneKernels.Value(ref r0, j);
            Unsafe.Add(ref xr, 2) = SagLaneKernels.Value(ref r1, j);
            Unsafe.Add(ref xr, 4) = SagLaneKernels.Value(ref r2, j);
            Unsafe.Add(ref xr, 6) = SagLaneKernels.Value(ref r3, j);
            for (int r = 0; r < 4; r++)
            {
                ref Vector256<double> cr = ref Unsafe.Add(ref cs, 5 * r);
                Vector256<double> bj = Vector256.Create(Unsafe.Add(ref xr, 2 * r));
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
            j4.StoreUnsafe(ref sj);
        }
    }

    // Four samples' five 256-bit coefficient vectors.
    [InlineArray(20)]
    private struct Coefficients
    {
        private Vector256<double> _element;

        // Sample r's coef lanes 0–3, 4–7, δ lanes 0–3, 4–7 and tail [c8 c9 δ8 δ9], as the 512-bit pass forms them.
        public void Set(int r, in SagLanes coef, in SagLanes delta)
        {
            this[5 * r] = coef.V0;
            this[(5 * r) + 1] = coef.V1;
            this[(5 * r) + 2] = delta.V0;
            this[(5 * r) + 3] = delta.V1;
            this[(5 * r) + 4] = SagLanes.Tail(coef, delta);
        }
    }
}
