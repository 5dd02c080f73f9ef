using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Models.Linear;

/// <summary>
/// The per-feature passes of <see cref="SagLaneQuadSolver"/>: four steps' updates (samples 0–3 of a quad, in order)
/// and the next quad's four dot products per visit of a feature block, in <see cref="SagLaneKernels"/>' block layout.
/// </summary>
/// <remarks>
/// A block gets step 0's update, then 1's, 2's and 3's, as four separate FMAs: exactly the roundings of applying the
/// steps one after the other. A zero x adds exactly nothing (x·c = ±0 to U and A, 0·U to a dot product), and so does a
/// zero coefficient (the padding of a quad cut short by the end of an epoch).
/// </remarks>
internal static partial class SagLaneQuadKernels
{
    /// <summary>The four steps' updates of a quad: (coef, δ) per sample.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Steps
    {
        public SagLanes Coef0, Delta0, Coef1, Delta1, Coef2, Delta2, Coef3, Delta3;
    }

    /// <summary>Four samples' dot-product accumulators over U and A (lanes 0–7) and the tail [U8 U9 A8 A9].</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Accumulators
    {
        public Vector512<double> U0, A0, U1, A1, U2, A2, U3, A3;
        public Vector256<double> T0, T1, T2, T3;

        /// <summary>Sample <paramref name="r"/>'s x·U and x·A per lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly (SagLanes U, SagLanes A) Reduce(int r) => r switch
        {
            0 => Split(U0, A0, T0),
            1 => Split(U1, A1, T1),
            2 => Split(U2, A2, T2),
            _ => Split(U3, A3, T3),
        };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (SagLanes U, SagLanes A) Split(Vector512<double> u, Vector512<double> a, Vector256<double> tail) =>
            (new SagLanes(u.GetLower(), u.GetUpper(), Vector256.Create(tail.GetLower(), Vector128<double>.Zero)),
                new SagLanes(a.GetLower(), a.GetUpper(), Vector256.Create(tail.GetUpper(), Vector128<double>.Zero)));
    }

    /// <summary>
    /// For each feature j of <paramref name="nz"/>: U_j += x0_j·coef0, then x1_j·coef1, x2_j·coef2, x3_j·coef3 (A_j
    /// likewise with the δs), then accumulates y0_j … y3_j times the updated block into <paramref name="acc"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateDot<T>(
        ReadOnlySpan<int> nz, in RowQuad<T> x, in RowQuad<T> y, ref double w, in Steps steps, ref Accumulators acc)
        where T : unmanaged
    {
        if (SagLaneBlocks256.IsPreferred)
        {
            UpdateDot256(nz, x, y, ref w, steps, ref acc);
            return;
        }

        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T r0 = ref MemoryMarshal.GetReference(x.X0);
        ref T r1 = ref MemoryMarshal.GetReference(x.X1);
        ref T r2 = ref MemoryMarshal.GetReference(x.X2);
        ref T r3 = ref MemoryMarshal.GetReference(x.X3);
        ref T s0 = ref MemoryMarshal.GetReference(y.X0);
        ref T s1 = ref MemoryMarshal.GetReference(y.X1);
        ref T s2 = ref MemoryMarshal.GetReference(y.X2);
        ref T s3 = ref MemoryMarshal.GetReference(y.X3);
        Vector512<double> c0 = Vector512.Create(steps.Coef0.V0, steps.Coef0.V1), d0 = Vector512.Create(steps.Delta0.V0, steps.Delta0.V1);
        Vector512<double> c1 = Vector512.Create(steps.Coef1.V0, steps.Coef1.V1), d1 = Vector512.Create(steps.Delta1.V0, steps.Delta1.V1);
        Vector512<double> c2 = Vector512.Create(steps.Coef2.V0, steps.Coef2.V1), d2 = Vector512.Create(steps.Delta2.V0, steps.Delta2.V1);
        Vector512<double> c3 = Vector512.Create(steps.Coef3.V0, steps.Coef3.V1), d3 = Vector512.Create(steps.Delta3.V0, steps.Delta3.V1);
        Vector256<double> t0 = SagLanes.Tail(steps.Coef0, steps.Delta0), t1 = SagLanes.Tail(steps.Coef1, steps.Delta1);
        Vector256<double> t2 = SagLanes.Tail(steps.Coef2, steps.Delta2), t3 = SagLanes.Tail(steps.Coef3, steps.Delta3);
        Vector512<double> u0 = acc.U0, a0 = acc.A0, u1 = acc.U1, a1 = acc.A1, u2 = acc.U2, a2 = acc.A2, u3 = acc.U3, a3 = acc.A3;
        Vector256<double> q0 = acc.T0, q1 = acc.T1, q2 = acc.T2, q3 = acc.T3;
        for (int e = 0; e < nz.Length; e++)
        {
            // The three updates first and the next rows' values after: only four broadcasts are live at a time, which
            // leaves enough registers for the coefficients and accumulators (with all eight live, two spill).
            int j = Unsafe.Add(ref idx, e);
            (int uj, int tj) = SagLaneKernels.Offsets(j);
            Vector512<double> v0 = SagLaneKernels.Broadcast(ref r0, j);
            Vector512<double> v1 = SagLaneKernels.Broadcast(ref r1, j);
            Vector512<double> v2 = SagLaneKernels.Broadcast(ref r2, j);
            Vector512<double> v3 = SagLaneKernels.Broadcast(ref r3, j);
            Vector512<double> vu = Vector512.FusedMultiplyAdd(v0, c0, Vector512.LoadUnsafe(ref w, (nuint)uj));
            vu = Vector512.FusedMultiplyAdd(v1, c1, vu);
            vu = Vector512.FusedMultiplyAdd(v2, c2, vu);
            vu = Vector512.FusedMultiplyAdd(v3, c3, vu);
            vu.StoreUnsafe(ref w, (nuint)uj);
            Vector512<double> va = Vector512.FusedMultiplyAdd(v0, d0, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8)));
            va = Vector512.FusedMultiplyAdd(v1, d1, va);
            va = Vector512.FusedMultiplyAdd(v2, d2, va);
            va = Vector512.FusedMultiplyAdd(v3, d3, va);
            va.StoreUnsafe(ref w, (nuint)(uj + 8));
            Vector256<double> vt = Vector256.FusedMultiplyAdd(v0.GetLower(), t0, Vector256.LoadUnsafe(ref w, (nuint)tj));
            vt = Vector256.FusedMultiplyAdd(v1.GetLower(), t1, vt);
            vt = Vector256.FusedMultiplyAdd(v2.GetLower(), t2, vt);
            vt = Vector256.FusedMultiplyAdd(v3.GetLower(), t3, vt);
            vt.StoreUnsafe(ref w, (nuint)tj);
            Vector512<double> n0 = SagLaneKernels.Broadcast(ref s0, j);
            Vector512<double> n1 = SagLaneKernels.Broadcast(ref s1, j);
            Vector512<double> n2 = SagLaneKernels.Broadcast(ref s2, j);
            Vector512<double> n3 = SagLaneKernels.Broadcast(ref s3, j);
            u0 = Vector512.FusedMultiplyAdd(n0, vu, u0);
            u1 = Vector512.FusedMultiplyAdd(n1, vu, u1);
            u2 = Vector512.FusedMultiplyAdd(n2, vu, u2);
            u3 = Vector512.FusedMultiplyAdd(n3, vu, u3);
            a0 = Vector512.FusedMultiplyAdd(n0, va, a0);
            a1 = Vector512.FusedMultiplyAdd(n1, va, a1);
            a2 = Vector512.FusedMultiplyAdd(n2, va, a2);
            a3 = Vector512.FusedMultiplyAdd(n3, va, a3);
            q0 = Vector256.FusedMultiplyAdd(n0.GetLower(), vt, q0);
            q1 = Vector256.FusedMultiplyAdd(n1.GetLower(), vt, q1);
            q2 = Vector256.FusedMultiplyAdd(n2.GetLower(), vt, q2);
            q3 = Vector256.FusedMultiplyAdd(n3.GetLower(), vt, q3);
        }

        acc.U0 = u0;
        acc.A0 = a0;
        acc.U1 = u1;
        acc.A1 = a1;
        acc.U2 = u2;
        acc.A2 = a2;
        acc.U3 = u3;
        acc.A3 = a3;
        acc.T0 = q0;
        acc.T1 = q1;
        acc.T2 = q2;
        acc.T3 = q3;
    }

    /// <summary>Accumulates y0 … y3 times U and A into <paramref name="acc"/> over <paramref name="nz"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot<T>(
        ReadOnlySpan<int> nz, in RowQuad<T> y, ref double w, ref Accumulators acc)
        where T : unmanaged
    {
        if (SagLaneBlocks256.IsPreferred)
        {
            Dot256(nz, y, ref w, ref acc);
            return;
        }

        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T s0 = ref MemoryMarshal.GetReference(y.X0);
        ref T s1 = ref MemoryMarshal.GetReference(y.X1);
        ref T s2 = ref MemoryMarshal.GetReference(y.X2);
        ref T s3 = ref MemoryMarshal.GetReference(y.X3);
        Vector512<double> u0 = acc.U0, a0 = acc.A0, u1 = acc.U1, a1 = acc.A1, u2 = acc.U2, a2 = acc.A2, u3 = acc.U3, a3 = acc.A3;
        Vector256<double> q0 = acc.T0, q1 = acc.T1, q2 = acc.T2, q3 = acc.T3;
        for (int e = 0; e < nz.Length; e++)
        {
            int j = Unsafe.Add(ref idx, e);
            Vector512<double> n0 = SagLaneKernels.Broadcast(ref s0, j);
            Vector512<double> n1 = SagLaneKernels.Broadcast(ref s1, j);
            Vector512<double> n2 = SagLaneKernels.Broadcast(ref s2, j);
            Vector512<double> n3 = SagLaneKernels.Broadcast(ref s3, j);
            (int uj, int tj) = SagLaneKernels.Offsets(j);
            Vector512<double> v = Vector512.LoadUnsafe(ref w, (nuint)uj);
            u0 = Vector512.FusedMultiplyAdd(n0, v, u0);
            u1 = Vector512.FusedMultiplyAdd(n1, v, u1);
            u2 = Vector512.FusedMultiplyAdd(n2, v, u2);
            u3 = Vector512.FusedMultiplyAdd(n3, v, u3);
            v = Vector512.LoadUnsafe(ref w, (nuint)(uj + 8));
            a0 = Vector512.FusedMultiplyAdd(n0, v, a0);
            a1 = Vector512.FusedMultiplyAdd(n1, v, a1);
            a2 = Vector512.FusedMultiplyAdd(n2, v, a2);
            a3 = Vector512.FusedMultiplyAdd(n3, v, a3);
            Vector256<double> s = Vector256.LoadUnsafe(ref w, (nuint)tj);
            q0 = Vector256.FusedMultiplyAdd(n0.GetLower(), s, q0);
            q1 = Vector256.FusedMultiplyAdd(n1.GetLower(), s, q1);
            q2 = Vector256.FusedMultiplyAdd(n2.GetLower(), s, q2);
            q3 = Vector256.FusedMultiplyAdd(n3.GetLower(), s, q3);
        }

        acc.U0 = u0;
        acc.A0 = a0;
        acc.U1 = u1;
        acc.A1 = a1;
        acc.U2 = u2;
        acc.A2 = a2;
        acc.U3 = u3;
        acc.A3 = a3;
        acc.T0 = q0;
        acc.T1 = q1;
        acc.T2 = q2;
        acc.T3 = q3;
    }

    /// <summary>U_j += x0_j·coef0, …, x3_j·coef3 in that order (A_j likewise) over <paramref name="nz"/>; no dot product follows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<T>(
        ReadOnlySpan<int> nz, in RowQuad<T> x, ref double w, in Steps steps)
        where T : unmanaged
    {
        if (SagLaneBlocks256.IsPreferred)
        {
            Update256(nz, x, ref w, steps);
            return;
        }

        ref T r0 = ref MemoryMarshal.GetReference(x.X0);
        ref T r1 = ref MemoryMarshal.GetReference(x.X1);
        ref T r2 = ref MemoryMarshal.GetReference(x.X2);
        ref T r3 = ref MemoryMarshal.GetReference(x.X3);
        Vector512<double> c0 = Vector512.Create(steps.Coef0.V0, steps.Coef0.V1), d0 = Vector512.Create(steps.Delta0.V0, steps.Delta0.V1);
        Vector512<double> c1 = Vector512.Create(steps.Coef1.V0, steps.Coef1.V1), d1 = Vector512.Create(steps.Delta1.V0, steps.Delta1.V1);
        Vector512<double> c2 = Vector512.Create(steps.Coef2.V0, steps.Coef2.V1), d2 = Vector512.Create(steps.Delta2.V0, steps.Delta2.V1);
        Vector512<double> c3 = Vector512.Create(steps.Coef3.V0, steps.Coef3.V1), d3 = Vector512.Create(steps.Delta3.V0, steps.Delta3.V1);
        Vector256<double> t0 = SagLanes.Tail(steps.Coef0, steps.Delta0), t1 = SagLanes.Tail(steps.Coef1, steps.Delta1);
        Vector256<double> t2 = SagLanes.Tail(steps.Coef2, steps.Delta2), t3 = SagLanes.Tail(steps.Coef3, steps.Delta3);
        foreach (int j in nz)
        {
            Vector512<double> v0 = SagLaneKernels.Broadcast(ref r0, j);
            Vector512<double> v1 = SagLaneKernels.Broadcast(ref r1, j);
            Vector512<double> v2 = SagLaneKernels.Broadcast(ref r2, j);
            Vector512<double> v3 = SagLaneKernels.Broadcast(ref r3, j);
            (int uj, int tj) = SagLaneKernels.Offsets(j);
            Vector512<double> v = Vector512.FusedMultiplyAdd(v0, c0, Vector512.LoadUnsafe(ref w, (nuint)uj));
            v = Vector512.FusedMultiplyAdd(v1, c1, v);
            v = Vector512.FusedMultiplyAdd(v2, c2, v);
            Vector512.FusedMultiplyAdd(v3, c3, v).StoreUnsafe(ref w, (nuint)uj);
            v = Vector512.FusedMultiplyAdd(v0, d0, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8)));
            v = Vector512.FusedMultiplyAdd(v1, d1, v);
            v = Vector512.FusedMultiplyAdd(v2, d2, v);
            Vector512.FusedMultiplyAdd(v3, d3, v).StoreUnsafe(ref w, (nuint)(uj + 8));
            Vector256<double> s = Vector256.FusedMultiplyAdd(v0.GetLower(), t0, Vector256.LoadUnsafe(ref w, (nuint)tj));
            s = Vector256.FusedMultiplyAdd(v1.GetLower(), t1, s);
            s = Vector256.FusedMultiplyAdd(v2.GetLower(), t2, s);
            Vector256.FusedMultiplyAdd(v3.GetLower(), t3, s).StoreUnsafe(ref w, (nuint)tj);
        }
    }

    /// <summary>
    /// The six row products of a quad that its dot products miss: g[0] = x1·x0, g[1] = x2·x0, g[2] = x2·x1,
    /// g[3] = x3·x0, g[4] = x3·x1, g[5] = x3·x2 (one sweep over the four rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gram<T>(in RowQuad<T> x, Span<double> g)
        where T : unmanaged
    {
        int d = x.X0.Length;
        int j = 0;
        Vector512<double> g10 = default, g20 = default, g21 = default, g30 = default, g31 = default, g32 = default;
        ref T r0 = ref MemoryMarshal.GetReference(x.X0);
        ref T r1 = ref MemoryMarshal.GetReference(x.X1);
        ref T r2 = ref MemoryMarshal.GetReference(x.X2);
        ref T r3 = ref MemoryMarshal.GetReference(x.X3);
        if (typeof(T) == typeof(float))
        {
            ref float f0 = ref Unsafe.As<T, float>(ref r0);
            ref float f1 = ref Unsafe.As<T, float>(ref r1);
            ref float f2 = ref Unsafe.As<T, float>(ref r2);
            ref float f3 = ref Unsafe.As<T, float>(ref r3);
            for (; j + 8 <= d; j += 8)
            {
                Vector512<double> v0 = Vector512.Create(Vector256.WidenLower(Vector256.LoadUnsafe(ref f0, (nuint)j)), Vector256.WidenUpper(Vector256.LoadUnsafe(ref f0, (nuint)j)));
                Vector512<double> v1 = Vector512.Create(Vector256.WidenLower(Vector256.LoadUnsafe(ref f1, (nuint)j)), Vector256.WidenUpper(Vector256.LoadUnsafe(ref f1, (nuint)j)));
                Vector512<double> v2 = Vector512.Create(Vector256.WidenLower(Vector256.LoadUnsafe(ref f2, (nuint)j)), Vector256.WidenUpper(Vector256.LoadUnsafe(ref f2, (nuint)j)));
                Vector512<double> v3 = Vector512.Create(Vector256.WidenLower(Vector256.LoadUnsafe(ref f3, (nuint)j)), Vector256.WidenUpper(Vector256.LoadUnsafe(ref f3, (nuint)j)));
                g10 = Vector512.FusedMultiplyAdd(v1, v0, g10);
                g20 = Vector512.FusedMultiplyAdd(v2, v0, g20);
                g21 = Vector512.FusedMultiplyAdd(v2, v1, g21);
                g30 = Vector512.FusedMultiplyAdd(v3, v0, g30);
                g31 = Vector512.FusedMultiplyAdd(v3, v1, g31);
                g32 = Vector512.FusedMultiplyAdd(v3, v2, g32);
            }
        }
        else
        {
            ref double e0 = ref Unsafe.As<T, double>(ref r0);
            ref double e1 = ref Unsafe.As<T, double>(ref r1);
            ref double e2 = ref Unsafe.As<T, double>(ref r2);
            ref double e3 = ref Unsafe.As<T, double>(ref r3);
            for (; j + 8 <= d; j += 8)
            {
                Vector512<double> v0 = Vector512.LoadUnsafe(ref e0, (nuint)j);
                Vector512<double> v1 = Vector512.LoadUnsafe(ref e1, (nuint)j);
                Vector512<double> v2 = Vector512.LoadUnsafe(ref e2, (nuint)j);
                Vector512<double> v3 = Vector512.LoadUnsafe(ref e3, (nuint)j);
                g10 = Vector512.FusedMultiplyAdd(v1, v0, g10);
                g20 = Vector512.FusedMultiplyAdd(v2, v0, g20);
                g21 = Vector512.FusedMultiplyAdd(v2, v1, g21);
                g30 = Vector512.FusedMultiplyAdd(v3, v0, g30);
                g31 = Vector512.FusedMultiplyAdd(v3, v1, g31);
                g32 = Vector512.FusedMultiplyAdd(v3, v2, g32);
            }
        }

        double s10 = Vector512.Sum(g10), s20 = Vector512.Sum(g20), s21 = Vector512.Sum(g21);
        double s30 = Vector512.Sum(g30), s31 = Vector512.Sum(g31), s32 = Vector512.Sum(g32);
        for (; j < d; j++)
        {
            double v0 = SagLaneKernels.Value(ref r0, j), v1 = SagLaneKernels.Value(ref r1, j);
            double v2 = SagLaneKernels.Value(ref r2, j), v3 = SagLaneKernels.Value(ref r3, j);
            s10 += v1 * v0;
            s20 += v2 * v0;
            s21 += v2 * v1;
            s30 += v3 * v0;
            s31 += v3 * v1;
            s32 += v3 * v2;
        }

        g[0] = s10;
        g[1] = s20;
        g[2] = s21;
        g[3] = s30;
        g[4] = s31;
        g[5] = s32;
    }
}
