using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Models.Linear;

/// <summary>
/// Twelve per-class values (lanes 0–9 used, 10–11 zero padding) as three <see cref="Vector256{T}"/>: one value per
/// weight column of <see cref="SagLaneSolver"/>. Every operation is lane-wise, so each class sees exactly the scalar
/// arithmetic written (no fusion, no reassociation).
/// </summary>
internal readonly struct SagLanes
{
    /// <summary>Lanes the struct holds (two of them padding).</summary>
    public const int Count = 12;

    public readonly Vector256<double> V0;
    public readonly Vector256<double> V1;
    public readonly Vector256<double> V2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SagLanes(Vector256<double> v0, Vector256<double> v1, Vector256<double> v2)
    {
        V0 = v0;
        V1 = v1;
        V2 = v2;
    }

    /// <summary>0, 1, …, 11.</summary>
    /// <remarks>
    /// Inlined explicitly: in the octet's scalar steps (SagLaneSplitHalf.Steps, past the JIT's inlining budget) it was a
    /// call per step, around which every live vector register was spilled and reloaded.
    /// </remarks>
    public static SagLanes Index
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Vector256.Create(0.0, 1, 2, 3), Vector256.Create(4.0, 5, 6, 7), Vector256.Create(8.0, 9, 10, 11));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes Broadcast(double value)
    {
        Vector256<double> v = Vector256.Create(value);
        return new(v, v, v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes Load(ref double source) =>
        new(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, 4), Vector256.LoadUnsafe(ref source, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination)
    {
        V0.StoreUnsafe(ref destination);
        V1.StoreUnsafe(ref destination, 4);
        V2.StoreUnsafe(ref destination, 8);
    }

    /// <summary>Lanes 8 and 9 of <paramref name="first"/> then of <paramref name="second"/> (the layout of a block's tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tail(in SagLanes first, in SagLanes second) =>
        Vector256.Create(first.V2.GetLower(), second.V2.GetLower());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes operator +(in SagLanes a, in SagLanes b) => new(a.V0 + b.V0, a.V1 + b.V1, a.V2 + b.V2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes operator -(in SagLanes a, in SagLanes b) => new(a.V0 - b.V0, a.V1 - b.V1, a.V2 - b.V2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes operator *(in SagLanes a, in SagLanes b) => new(a.V0 * b.V0, a.V1 * b.V1, a.V2 * b.V2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes operator *(double s, in SagLanes a) => new(s * a.V0, s * a.V1, s * a.V2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes operator *(in SagLanes a, double s) => new(a.V0 * s, a.V1 * s, a.V2 * s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes operator /(in SagLanes a, double s) => new(a.V0 / s, a.V1 / s, a.V2 / s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes operator /(in SagLanes a, in SagLanes b) => new(a.V0 / b.V0, a.V1 / b.V1, a.V2 / b.V2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes operator &(in SagLanes a, in SagLanes mask) => new(a.V0 & mask.V0, a.V1 & mask.V1, a.V2 & mask.V2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes Equals(in SagLanes a, in SagLanes b) =>
        new(Vector256.Equals(a.V0, b.V0), Vector256.Equals(a.V1, b.V1), Vector256.Equals(a.V2, b.V2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes LessThan(in SagLanes a, in SagLanes b) =>
        new(Vector256.LessThan(a.V0, b.V0), Vector256.LessThan(a.V1, b.V1), Vector256.LessThan(a.V2, b.V2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes GreaterThan(in SagLanes a, in SagLanes b) =>
        new(Vector256.GreaterThan(a.V0, b.V0), Vector256.GreaterThan(a.V1, b.V1), Vector256.GreaterThan(a.V2, b.V2));

    /// <summary>Per lane <c>mask ? a : b</c> (mask lanes all-ones or zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes Select(in SagLanes mask, in SagLanes a, in SagLanes b) =>
        new(Vector256.ConditionalSelect(mask.V0, a.V0, b.V0), Vector256.ConditionalSelect(mask.V1, a.V1, b.V1), Vector256.ConditionalSelect(mask.V2, a.V2, b.V2));

    /// <summary>Per-lane <c>exp</c> (<see cref="SagLaneExp"/>: inlined, within 1 ulp of <see cref="Math.Exp"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SagLanes Exp(in SagLanes a)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            // One vinsertf64x4 (Vector512.Create(V0, V1) went through a stack slot and two inserts).
            Vector512<double> low = SagLaneExp.Exp(Avx512F.InsertVector256(a.V0.ToVector512Unsafe(), a.V1, 1));
            return new(low.GetLower(), low.GetUpper(), SagLaneExp.Exp(a.V2));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return new(SagLaneExp.Exp(a.V0), SagLaneExp.Exp(a.V1), SagLaneExp.Exp(a.V2));
        }

        return new(ScalarExp(a.V0), ScalarExp(a.V1), ScalarExp(a.V2));
    }

    // Per lane through the scalar exp (the same bits as the vector ones).
    private static Vector256<double> ScalarExp(Vector256<double> v) =>
        Vector256.Create(SagLaneExp.Exp(v[0]), SagLaneExp.Exp(v[1]), SagLaneExp.Exp(v[2]), SagLaneExp.Exp(v[3]));

    /// <summary>Whether every lane selected by <paramref name="mask"/> is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(in SagLanes a, in SagLanes mask)
    {
        // x − x is 0 for finite x and NaN for ±∞/NaN.
        SagLanes d = (a - a) & mask;
        return (d.V0 | d.V1 | d.V2) == Vector256<double>.Zero;
    }

    /// <summary>The largest lane in every lane (lanes must not be NaN).</summary>
    /// <remarks>
    /// The native max (one instruction) rather than the IEEE one (NaN and signed-zero fix-ups: three per step, on the
    /// scalar chain's critical path). Without NaNs the two differ only in which of +0 and −0 they return, and the
    /// softmax subtracts the maximum, where a zero's sign changes no result (z − ±0 = z; ±0 − ±0 = ±0, exp(±0) = 1).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SagLanes MaxBroadcast()
    {
        Vector256<double> m = Vector256.MaxNative(Vector256.MaxNative(V0, V1), V2);
        if (Avx.IsSupported)
        {
            m = Vector256.MaxNative(m, Avx.Permute2x128(m, m, 1));
            m = Vector256.MaxNative(m, Avx.Permute(m, 0b0101));
            return new(m, m, m);
        }

        return Broadcast(Math.Max(Math.Max(m[0], m[1]), Math.Max(m[2], m[3])));
    }

    /// <summary>The sum of the lanes in every lane: (s0 + s1) + (s2 + s3) of s = V0 + V1 + V2, as <see cref="Vector256.Sum{T}"/> adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SagLanes SumBroadcast()
    {
        Vector256<double> s = V0 + V1 + V2;
        if (Avx.IsSupported)
        {
            // Each lane adds the same two pairs, in one order or the other (addition commutes exactly).
            s += Avx.Permute(s, 0b0101);
            s += Avx.Permute2x128(s, s, 1);
            return new(s, s, s);
        }

        return Broadcast(Vector256.Sum(s));
    }

    public double this[int lane] => lane < 4 ? V0[lane] : lane < 8 ? V1[lane - 4] : V2[lane - 8];
}
