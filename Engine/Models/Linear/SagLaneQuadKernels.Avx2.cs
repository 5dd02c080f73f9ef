using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Models.Linear;

/// <summary>
/// The quad passes for machines without AVX-512 (<see cref="SagLaneBlocks256"/>): the same FMAs per lane in the same
/// order as the 512-bit loops, so the same bits, arranged for 16 256-bit registers.
/// </summary>
/// <remarks>
/// The fused 512-bit pass updates a feature's block and adds it to the dot products at once; here a piece's updates run
/// first, then its dot products: each feature's block is still updated before it enters the dot products, and each
/// accumulator still adds the features in order.
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
        ref Vector256<double> u = ref Unsafe.As<Vector512<double>, Vector256<double>>(ref acc.U0);
        SagLaneBlocks256.DotPair<T, ReadRows>(nz, ref MemoryMarshal.GetReference(y.X0), ref MemoryMarshal.GetReference(y.X1), ref w, ref Unsafe.NullRef<double>(), ref u, ref acc.T0);
        SagLaneBlocks256.DotPair<T, ReadRows>(nz, ref MemoryMarshal.GetReference(y.X2), ref MemoryMarshal.GetReference(y.X3), ref w, ref Unsafe.NullRef<double>(), ref Unsafe.Add(ref u, 8), ref Unsafe.Add(ref acc.T0, 2));
    }

    /// <summary><see cref="Update{T}"/> in 256-bit vectors (needs AVX2 and FMA): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    internal static void Update256<T>(ReadOnlySpan<int> nz, in RowQuad<T> x, ref double w, in Steps steps)
        where T : unmanaged
    {
        // Slots 0–19 are set before they are read, the rest never read (SkipInit: no zeroing per call).
        Unsafe.SkipInit(out SagLaneBlocks256.Coefficients c);
        c.Set(0, steps.Coef0.V0, steps.Coef0.V1, steps.Delta0.V0, steps.Delta0.V1, SagLanes.Tail(steps.Coef0, steps.Delta0));
        c.Set(1, steps.Coef1.V0, steps.Coef1.V1, steps.Delta1.V0, steps.Delta1.V1, SagLanes.Tail(steps.Coef1, steps.Delta1));
        c.Set(2, steps.Coef2.V0, steps.Coef2.V1, steps.Delta2.V0, steps.Delta2.V1, SagLanes.Tail(steps.Coef2, steps.Delta2));
        c.Set(3, steps.Coef3.V0, steps.Coef3.V1, steps.Delta3.V0, steps.Delta3.V1, SagLanes.Tail(steps.Coef3, steps.Delta3));

        // The row values as doubles, x_r[j] at 2r and x_r[l] at 2r + 1 (the four rows cannot be indexed by r).
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
            SagLaneBlocks256.UpdatePair(ref w, j, l, ref xr, ref Unsafe.Add(ref xr, 1), 2, ref c, 4);
        }

        if (e < nz.Length)
        {
            int j = Unsafe.Add(ref idx, e);
            xr = SagLaneKernels.Value(ref r0, j);
            Unsafe.Add(ref xr, 2) = SagLaneKernels.Value(ref r1, j);
            Unsafe.Add(ref xr, 4) = SagLaneKernels.Value(ref r2, j);
            Unsafe.Add(ref xr, 6) = SagLaneKernels.Value(ref r3, j);
            SagLaneBlocks256.Update(ref w, j, ref xr, 2, ref c, 4);
        }
    }
}
