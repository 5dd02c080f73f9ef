using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>
/// The handful of vector operations the GEMM/SYRK micro-kernels need, as static abstract members so one generic kernel
/// is specialised by the JIT for each (width, element type) pair instead of being copied per ISA.
/// </summary>
/// <typeparam name="TVec">The vector type.</typeparam>
/// <typeparam name="T">The element type.</typeparam>
internal interface ISimd<TVec, T>
    where TVec : struct
    where T : unmanaged
{
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(ref T source, nint offset);

    static abstract void Store(TVec value, ref T destination, nint offset);

    static abstract TVec Broadcast(T value);

    /// <summary>a·b + c with a single rounding.</summary>
    static abstract TVec Fma(TVec a, TVec b, TVec c);

    static abstract TVec Subtract(TVec a, TVec b);

    static abstract T Sum(TVec value);

    /// <summary>destination[0..Count) += value, widened to double.</summary>
    static abstract void AddTo(TVec value, ref double destination, nint offset);
}

/// <summary>Chooses the widest accelerated width for the kernels.</summary>
internal static class Simd
{
    /// <summary>True when 512-bit kernels are used (AVX-512 hardware that the runtime accelerates).</summary>
    public static bool Use512 => Vector512.IsHardwareAccelerated;
}

/// <summary>512-bit float lanes.</summary>
internal readonly struct Simd512F : ISimd<Vector512<float>, float>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector512<float> value, ref double destination, nint offset)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(value);
        (Vector512.LoadUnsafe(ref destination, (nuint)offset) + lo).StoreUnsafe(ref destination, (nuint)offset);
        (Vector512.LoadUnsafe(ref destination, (nuint)(offset + 8)) + hi).StoreUnsafe(ref destination, (nuint)(offset + 8));
    }
}

/// <summary>512-bit double lanes.</summary>
internal readonly struct Simd512D : ISimd<Vector512<double>, double>
{
    public static int Count => Vector512<double>.Count;

    public static Vector512<double> Zero => Vector512<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Fma(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector512<double> value, ref double destination, nint offset) =>
        (Vector512.LoadUnsafe(ref destination, (nuint)offset) + value).StoreUnsafe(ref destination, (nuint)offset);
}

/// <summary>256-bit float lanes (fallback without AVX-512).</summary>
internal readonly struct Simd256F : ISimd<Vector256<float>, float>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector256<float> value, ref double destination, nint offset)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(value);
        (Vector256.LoadUnsafe(ref destination, (nuint)offset) + lo).StoreUnsafe(ref destination, (nuint)offset);
        (Vector256.LoadUnsafe(ref destination, (nuint)(offset + 4)) + hi).StoreUnsafe(ref destination, (nuint)(offset + 4));
    }
}

/// <summary>256-bit double lanes (fallback without AVX-512).</summary>
internal readonly struct Simd256D : ISimd<Vector256<double>, double>
{
    public static int Count => Vector256<double>.Count;

    public static Vector256<double> Zero => Vector256<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Vector256<double> value, ref double destination, nint offset) =>
        (Vector256.LoadUnsafe(ref destination, (nuint)offset) + value).StoreUnsafe(ref destination, (nuint)offset);
}
