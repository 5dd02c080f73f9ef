using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Models.Linear;

/// <summary>
/// The per-feature passes of <see cref="SagLanePairSolver"/>: two steps' updates (samples a then b) and two samples'
/// dot products (c and d) per visit of a feature block, in <see cref="SagLaneKernels"/>' block layout.
/// </summary>
/// <remarks>
/// A block gets a's update, then b's, as two separate FMAs: exactly the roundings of applying the two steps one after
/// the other. A zero x adds exactly nothing (x·c = ±0 to U and A, 0·U to a dot product).
/// </remarks>
internal static class SagLanePairKernels
{
    /// <summary>
    /// For each feature j of <paramref name="nz"/>: U_j += a_j·coefA, then += b_j·coefB (A_j likewise with the δs),
    /// then accumulates c_j and d_j times the updated block into <paramref name="accC"/> and <paramref name="accD"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateDot<T>(
        ReadOnlySpan<int> nz, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> c, ReadOnlySpan<T> d, ref double w,
        in SagLanes coefA, in SagLanes deltaA, in SagLanes coefB, in SagLanes deltaB,
        ref SagLaneKernels.Accumulators accC, ref SagLaneKernels.Accumulators accD)
        where T : unmanaged
    {
        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T xa = ref MemoryMarshal.GetReference(a);
        ref T xb = ref MemoryMarshal.GetReference(b);
        ref T xc = ref MemoryMarshal.GetReference(c);
        ref T xd = ref MemoryMarshal.GetReference(d);
        Vector512<double> ca = Vector512.Create(coefA.V0, coefA.V1), da = Vector512.Create(deltaA.V0, deltaA.V1);
        Vector512<double> cb = Vector512.Create(coefB.V0, coefB.V1), db = Vector512.Create(deltaB.V0, deltaB.V1);
        Vector256<double> ta = SagLanes.Tail(coefA, deltaA), tb = SagLanes.Tail(coefB, deltaB);
        Vector512<double> uc = accC.U, ac = accC.A, ud = accD.U, ad = accD.A;
        Vector256<double> tc = accC.T, td = accD.T;
        for (int e = 0; e < nz.Length; e++)
        {
            int j = Unsafe.Add(ref idx, e);
            Vector512<double> va = Vector512.Create(SagLaneKernels.Value(ref xa, j));
            Vector512<double> vb = Vector512.Create(SagLaneKernels.Value(ref xb, j));
            Vector512<double> vc = Vector512.Create(SagLaneKernels.Value(ref xc, j));
            Vector512<double> vd = Vector512.Create(SagLaneKernels.Value(ref xd, j));
            (int uj, int tj) = SagLaneKernels.Offsets(j);
            Vector512<double> v = Vector512.FusedMultiplyAdd(va, ca, Vector512.LoadUnsafe(ref w, (nuint)uj));
            v = Vector512.FusedMultiplyAdd(vb, cb, v);
            v.StoreUnsafe(ref w, (nuint)uj);
            uc = Vector512.FusedMultiplyAdd(vc, v, uc);
            ud = Vector512.FusedMultiplyAdd(vd, v, ud);
            v = Vector512.FusedMultiplyAdd(va, da, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8)));
            v = Vector512.FusedMultiplyAdd(vb, db, v);
            v.StoreUnsafe(ref w, (nuint)(uj + 8));
            ac = Vector512.FusedMultiplyAdd(vc, v, ac);
            ad = Vector512.FusedMultiplyAdd(vd, v, ad);
            Vector256<double> s = Vector256.FusedMultiplyAdd(va.GetLower(), ta, Vector256.LoadUnsafe(ref w, (nuint)tj));
            s = Vector256.FusedMultiplyAdd(vb.GetLower(), tb, s);
            s.StoreUnsafe(ref w, (nuint)tj);
            tc = Vector256.FusedMultiplyAdd(vc.GetLower(), s, tc);
            td = Vector256.FusedMultiplyAdd(vd.GetLower(), s, td);
        }

        accC.U = uc;
        accC.A = ac;
        accC.T = tc;
        accD.U = ud;
        accD.A = ad;
        accD.T = td;
    }

    /// <summary>Accumulates c·U, c·A into <paramref name="accC"/> and d·U, d·A into <paramref name="accD"/> over <paramref name="nz"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot<T>(
        ReadOnlySpan<int> nz, ReadOnlySpan<T> c, ReadOnlySpan<T> d, ref double w, ref SagLaneKernels.Accumulators accC, ref SagLaneKernels.Accumulators accD)
        where T : unmanaged
    {
        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T xc = ref MemoryMarshal.GetReference(c);
        ref T xd = ref MemoryMarshal.GetReference(d);
        Vector512<double> uc = accC.U, ac = accC.A, ud = accD.U, ad = accD.A;
        Vector256<double> tc = accC.T, td = accD.T;
        for (int e = 0; e < nz.Length; e++)
        {
            int j = Unsafe.Add(ref idx, e);
            Vector512<double> vc = Vector512.Create(SagLaneKernels.Value(ref xc, j));
            Vector512<double> vd = Vector512.Create(SagLaneKernels.Value(ref xd, j));
            (int uj, int tj) = SagLaneKernels.Offsets(j);
            Vector512<double> v = Vector512.LoadUnsafe(ref w, (nuint)uj);
            uc = Vector512.FusedMultiplyAdd(vc, v, uc);
            ud = Vector512.FusedMultiplyAdd(vd, v, ud);
            v = Vector512.LoadUnsafe(ref w, (nuint)(uj + 8));
            ac = Vector512.FusedMultiplyAdd(vc, v, ac);
            ad = Vector512.FusedMultiplyAdd(vd, v, ad);
            Vector256<double> s = Vector256.LoadUnsafe(ref w, (nuint)tj);
            tc = Vector256.FusedMultiplyAdd(vc.GetLower(), s, tc);
            td = Vector256.FusedMultiplyAdd(vd.GetLower(), s, td);
        }

        accC.U = uc;
        accC.A = ac;
        accC.T = tc;
        accD.U = ud;
        accD.A = ad;
        accD.T = td;
    }

    /// <summary>U_j += a_j·coefA then += b_j·coefB (A_j likewise) over <paramref name="nz"/>; no dot product follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<T>(
        ReadOnlySpan<int> nz, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ref double w, in SagLanes coefA, in SagLanes deltaA, in SagLanes coefB, in SagLanes deltaB)
        where T : unmanaged
    {
        ref T xa = ref MemoryMarshal.GetReference(a);
        ref T xb = ref MemoryMarshal.GetReference(b);
        Vector512<double> ca = Vector512.Create(coefA.V0, coefA.V1), da = Vector512.Create(deltaA.V0, deltaA.V1);
        Vector512<double> cb = Vector512.Create(coefB.V0, coefB.V1), db = Vector512.Create(deltaB.V0, deltaB.V1);
        Vector256<double> ta = SagLanes.Tail(coefA, deltaA), tb = SagLanes.Tail(coefB, deltaB);
        foreach (int j in nz)
        {
            Vector512<double> va = Vector512.Create(SagLaneKernels.Value(ref xa, j));
            Vector512<double> vb = Vector512.Create(SagLaneKernels.Value(ref xb, j));
            (int uj, int tj) = SagLaneKernels.Offsets(j);
            Vector512<double> v = Vector512.FusedMultiplyAdd(va, ca, Vector512.LoadUnsafe(ref w, (nuint)uj));
            Vector512.FusedMultiplyAdd(vb, cb, v).StoreUnsafe(ref w, (nuint)uj);
            v = Vector512.FusedMultiplyAdd(va, da, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8)));
            Vector512.FusedMultiplyAdd(vb, db, v).StoreUnsafe(ref w, (nuint)(uj + 8));
            Vector256<double> s = Vector256.FusedMultiplyAdd(va.GetLower(), ta, Vector256.LoadUnsafe(ref w, (nuint)tj));
            Vector256.FusedMultiplyAdd(vb.GetLower(), tb, s).StoreUnsafe(ref w, (nuint)tj);
        }
    }
}
