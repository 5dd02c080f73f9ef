using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// The per-feature passes of <see cref="SagLaneSolver"/> over feature blocks of up to 10 weight columns.
/// </summary>
/// <remarks>
/// <para>
/// A feature's block is 20 doubles (160 bytes, two and a half cache lines): U lanes 0–7, A lanes 0–7 and the tail
/// [U8 U9 A8 A9]. Even features are laid out <c>U A T</c>, odd ones <c>T U A</c>, so with a 64-byte aligned base every
/// Vector512 load and store is aligned and two features fill exactly five cache lines: a touched feature costs three
/// loads, three stores and six FMAs.
/// </para>
/// <para>
/// Dot products keep two accumulator sets (even and odd positions of the sweep) to hide the FMA latency. Every
/// operation is lane-wise, so each weight column sees the same arithmetic whatever the vector width the JIT lowers
/// Vector512 to.
/// </para>
/// </remarks>
internal static class SagLaneKernels
{
    /// <summary>Doubles per feature block.</summary>
    public const int Block = 20;

    /// <summary>Two sets of dot-product accumulators over U and A (lanes 0–7) and the tail [U8 U9 A8 A9].</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Accumulators
    {
        public Vector512<double> U, A, Ub, Ab;
        public Vector256<double> T, Tb;

        /// <summary>Σ over both sets: x·U and x·A per lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly (SagLanes U, SagLanes A) Reduce()
        {
            Vector512<double> u = U + Ub;
            Vector512<double> a = A + Ab;
            Vector256<double> tail = T + Tb;
            return (new SagLanes(u.GetLower(), u.GetUpper(), Vector256.Create(tail.GetLower(), Vector128<double>.Zero)),
                new SagLanes(a.GetLower(), a.GetUpper(), Vector256.Create(tail.GetUpper(), Vector128<double>.Zero)));
        }
    }

    /// <summary>Offsets of U (A follows at +8) and of the tail within feature <paramref name="j"/>'s block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (int U, int T) Offsets(int j)
    {
        int odd = j & 1;
        int b = j * Block;
        return (b + (4 * odd), b + 16 - (16 * odd));
    }

    /// <summary>Accumulates x·U and x·A over the features <paramref name="nz"/> of <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot<T>(ReadOnlySpan<int> nz, ReadOnlySpan<T> row, ref double w, ref Accumulators acc)
        where T : unmanaged
    {
        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T x = ref MemoryMarshal.GetReference(row);
        Vector512<double> u = acc.U, a = acc.A, ub = acc.Ub, ab = acc.Ab;
        Vector256<double> tl = acc.T, tlb = acc.Tb;
        int count = nz.Length;
        int e = 0;
        for (; e + 1 < count; e += 2)
        {
            int j = Unsafe.Add(ref idx, e);
            int l = Unsafe.Add(ref idx, e + 1);
            Vector512<double> xj = Broadcast(ref x, j);
            Vector512<double> xl = Broadcast(ref x, l);
            (int uj, int tj) = Offsets(j);
            (int ul, int tll) = Offsets(l);
            u = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref w, (nuint)uj), u);
            a = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8)), a);
            tl = Vector256.FusedMultiplyAdd(xj.GetLower(), Vector256.LoadUnsafe(ref w, (nuint)tj), tl);
            ub = Vector512.FusedMultiplyAdd(xl, Vector512.LoadUnsafe(ref w, (nuint)ul), ub);
            ab = Vector512.FusedMultiplyAdd(xl, Vector512.LoadUnsafe(ref w, (nuint)(ul + 8)), ab);
            tlb = Vector256.FusedMultiplyAdd(xl.GetLower(), Vector256.LoadUnsafe(ref w, (nuint)tll), tlb);
        }

        if (e < count)
        {
            int j = Unsafe.Add(ref idx, e);
            Vector512<double> xj = Broadcast(ref x, j);
            (int uj, int tj) = Offsets(j);
            u = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref w, (nuint)uj), u);
            a = Vector512.FusedMultiplyAdd(xj, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8)), a);
            tl = Vector256.FusedMultiplyAdd(xj.GetLower(), Vector256.LoadUnsafe(ref w, (nuint)tj), tl);
        }

        acc.U = u;
        acc.A = a;
        acc.T = tl;
        acc.Ub = ub;
        acc.Ab = ab;
        acc.Tb = tlb;
    }

    /// <summary>
    /// For each feature j of <paramref name="nz"/>: U_j += cur_j·coef, A_j += cur_j·δ, then accumulates next_j·U_j and
    /// next_j·A_j with the updated block: one step's update fused with the next step's dot product (a zero next_j
    /// adds exactly nothing).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UpdateDot<T>(ReadOnlySpan<int> nz, ReadOnlySpan<T> cur, ReadOnlySpan<T> next, ref double w, in SagLanes coef, in SagLanes delta, ref Accumulators acc)
        where T : unmanaged
    {
        ref int idx = ref MemoryMarshal.GetReference(nz);
        ref T xc = ref MemoryMarshal.GetReference(cur);
        ref T xn = ref MemoryMarshal.GetReference(next);
        Vector512<double> c = Vector512.Create(coef.V0, coef.V1), d = Vector512.Create(delta.V0, delta.V1);
        Vector256<double> ct = SagLanes.Tail(coef, delta);
        Vector512<double> u = acc.U, a = acc.A, ub = acc.Ub, ab = acc.Ab;
        Vector256<double> tl = acc.T, tlb = acc.Tb;
        int count = nz.Length;
        int e = 0;
        for (; e + 1 < count; e += 2)
        {
            int j = Unsafe.Add(ref idx, e);
            int l = Unsafe.Add(ref idx, e + 1);
            Vector512<double> xj = Broadcast(ref xc, j);
            Vector512<double> yj = Broadcast(ref xn, j);
            Vector512<double> xl = Broadcast(ref xc, l);
            Vector512<double> yl = Broadcast(ref xn, l);
            (int uj, int tj) = Offsets(j);
            (int ul, int tll) = Offsets(l);
            Vector512<double> v = Vector512.FusedMultiplyAdd(xj, c, Vector512.LoadUnsafe(ref w, (nuint)uj));
            v.StoreUnsafe(ref w, (nuint)uj);
            u = Vector512.FusedMultiplyAdd(yj, v, u);
            v = Vector512.FusedMultiplyAdd(xj, d, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8)));
            v.StoreUnsafe(ref w, (nuint)(uj + 8));
            a = Vector512.FusedMultiplyAdd(yj, v, a);
            Vector256<double> s = Vector256.FusedMultiplyAdd(xj.GetLower(), ct, Vector256.LoadUnsafe(ref w, (nuint)tj));
            s.StoreUnsafe(ref w, (nuint)tj);
            tl = Vector256.FusedMultiplyAdd(yj.GetLower(), s, tl);
            v = Vector512.FusedMultiplyAdd(xl, c, Vector512.LoadUnsafe(ref w, (nuint)ul));
            v.StoreUnsafe(ref w, (nuint)ul);
            ub = Vector512.FusedMultiplyAdd(yl, v, ub);
            v = Vector512.FusedMultiplyAdd(xl, d, Vector512.LoadUnsafe(ref w, (nuint)(ul + 8)));
            v.StoreUnsafe(ref w, (nuint)(ul + 8));
            ab = Vector512.FusedMultiplyAdd(yl, v, ab);
            s = Vector256.FusedMultiplyAdd(xl.GetLower(), ct, Vector256.LoadUnsafe(ref w, (nuint)tll));
            s.StoreUnsafe(ref w, (nuint)tll);
            tlb = Vector256.FusedMultiplyAdd(yl.GetLower(), s, tlb);
        }

        if (e < count)
        {
            int j = Unsafe.Add(ref idx, e);
            Vector512<double> xj = Broadcast(ref xc, j);
            Vector512<double> yj = Broadcast(ref xn, j);
            (int uj, int tj) = Offsets(j);
            Vector512<double> v = Vector512.FusedMultiplyAdd(xj, c, Vector512.LoadUnsafe(ref w, (nuint)uj));
            v.StoreUnsafe(ref w, (nuint)uj);
            u = Vector512.FusedMultiplyAdd(yj, v, u);
            v = Vector512.FusedMultiplyAdd(xj, d, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8)));
            v.StoreUnsafe(ref w, (nuint)(uj + 8));
            a = Vector512.FusedMultiplyAdd(yj, v, a);
            Vector256<double> s = Vector256.FusedMultiplyAdd(xj.GetLower(), ct, Vector256.LoadUnsafe(ref w, (nuint)tj));
            s.StoreUnsafe(ref w, (nuint)tj);
            tl = Vector256.FusedMultiplyAdd(yj.GetLower(), s, tl);
        }

        acc.U = u;
        acc.A = a;
        acc.T = tl;
        acc.Ub = ub;
        acc.Ab = ab;
        acc.Tb = tlb;
    }

    /// <summary>U_j += x_j·coef and A_j += x_j·δ for the features <paramref name="nz"/> (no dot product follows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<T>(ReadOnlySpan<int> nz, ReadOnlySpan<T> row, ref double w, in SagLanes coef, in SagLanes delta)
        where T : unmanaged
    {
        ref T x = ref MemoryMarshal.GetReference(row);
        Vector512<double> c = Vector512.Create(coef.V0, coef.V1), d = Vector512.Create(delta.V0, delta.V1);
        Vector256<double> ct = SagLanes.Tail(coef, delta);
        foreach (int j in nz)
        {
            Vector512<double> xj = Broadcast(ref x, j);
            (int uj, int tj) = Offsets(j);
            Vector512.FusedMultiplyAdd(xj, c, Vector512.LoadUnsafe(ref w, (nuint)uj)).StoreUnsafe(ref w, (nuint)uj);
            Vector512.FusedMultiplyAdd(xj, d, Vector512.LoadUnsafe(ref w, (nuint)(uj + 8))).StoreUnsafe(ref w, (nuint)(uj + 8));
            Vector256.FusedMultiplyAdd(xj.GetLower(), ct, Vector256.LoadUnsafe(ref w, (nuint)tj)).StoreUnsafe(ref w, (nuint)tj);
        }
    }

    /// <summary>Lane <paramref name="lane"/> of U in feature <paramref name="feature"/>'s block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref double U(ref double w, int feature, int lane)
    {
        (int u, int t) = Offsets(feature);
        return ref Unsafe.Add(ref w, lane < 8 ? u + lane : t + lane - 8);
    }

    /// <summary>Lane <paramref name="lane"/> of A in feature <paramref name="feature"/>'s block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref double A(ref double w, int feature, int lane)
    {
        (int u, int t) = Offsets(feature);
        return ref Unsafe.Add(ref w, lane < 8 ? u + 8 + lane : t + 2 + lane - 8);
    }

    /// <summary>
    /// Element <paramref name="j"/> of a float, double or byte row, as double, in every lane (a byte is loaded from
    /// <see cref="ByteValues.Doubles"/>: no convert at all).
    /// </summary>
    /// <remarks>
    /// Written as a broadcast widened after, not as a scalar <c>(double)</c> convert and a broadcast: the scalar convert
    /// (<c>vcvtss2sd</c>) merges into its destination register, which in a hot loop ties each iteration to the last use
    /// of that register in the one before (measured in session 15 with the converted value stored and re-broadcast:
    /// the split pixel fit 180 ms slower). The .NET 10 JIT emits this form as a scalar load, a packed 128-bit
    /// <c>vcvtps2pd</c> (which writes its whole register) and a <c>vbroadcastsd</c>. The widening is exact either way.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Broadcast<T>(ref T row, int j)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            return Avx512F.ConvertToVector512Double(Vector256.Create(Unsafe.As<T, float>(ref Unsafe.Add(ref row, j))));
        }

        if (typeof(T) == typeof(byte))
        {
            // A broadcast load from the table of 0 … 255 as doubles: no convert, no merge into a register.
            return Vector512.Create(Unsafe.Add(ref MemoryMarshal.GetReference(ByteValues.Doubles), Unsafe.As<T, byte>(ref Unsafe.Add(ref row, j))));
        }

        return Vector512.Create(Value(ref row, j));
    }

    /// <summary>Element <paramref name="j"/> of a float, double or byte row, as double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value<T>(ref T row, int j)
        where T : unmanaged
    {
        T value = Unsafe.Add(ref row, j);
        return typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value)
            : typeof(T) == typeof(byte) ? Unsafe.As<T, byte>(ref value)
            : Unsafe.As<T, double>(ref value);
    }
}
