using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Models.Linear;

/// <summary>
/// Kernels for the multinomial 10-class case (Fashion-MNIST) without the L1 prox: a feature's 10 weights are held as
/// 4 + 4 + 2 lanes (two Vector256 and one Vector128), so each touched feature costs three vector operations per
/// array and the class sums stay in registers.
/// </summary>
internal static partial class SagKernels
{
    public const int TenClasses = 10;

    /// <summary>
    /// zU = Σ_j x_j·U_j and zA = Σ_j x_j·A_j over the touched features, in one pass. Two interleaved accumulator sets
    /// hide the FMA latency (the sum order differs from sklearn's left-to-right by rounding only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot10<T>(ReadOnlySpan<int> nz, ReadOnlySpan<T> row, ReadOnlySpan<double> u, ReadOnlySpan<double> a, Span<double> zU, Span<double> zA)
        where T : unmanaged
    {
        ref double ur = ref MemoryMarshal.GetReference(u);
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref int nzr = ref MemoryMarshal.GetReference(nz);
        Vector256<double> u0 = default, u1 = default, a0 = default, a1 = default;
        Vector256<double> v0 = default, v1 = default, b0 = default, b1 = default;
        Vector128<double> u2 = default, a2 = default, v2 = default, b2 = default;
        int count = nz.Length;
        int e = 0;
        for (; e + 1 < count; e += 2)
        {
            int j = Unsafe.Add(ref nzr, e);
            int l = Unsafe.Add(ref nzr, e + 1);
            Vector256<double> x = Vector256.Create(Value(row, j));
            Vector256<double> y = Vector256.Create(Value(row, l));
            ref double uj = ref Unsafe.Add(ref ur, j * TenClasses);
            ref double aj = ref Unsafe.Add(ref ar, j * TenClasses);
            ref double ul = ref Unsafe.Add(ref ur, l * TenClasses);
            ref double al = ref Unsafe.Add(ref ar, l * TenClasses);
            u0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref uj), u0);
            u1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref uj, 4), u1);
            u2 = Vector128.FusedMultiplyAdd(x.GetLower(), Vector128.LoadUnsafe(ref uj, 8), u2);
            a0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref aj), a0);
            a1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref aj, 4), a1);
            a2 = Vector128.FusedMultiplyAdd(x.GetLower(), Vector128.LoadUnsafe(ref aj, 8), a2);
            v0 = Vector256.FusedMultiplyAdd(y, Vector256.LoadUnsafe(ref ul), v0);
            v1 = Vector256.FusedMultiplyAdd(y, Vector256.LoadUnsafe(ref ul, 4), v1);
            v2 = Vector128.FusedMultiplyAdd(y.GetLower(), Vector128.LoadUnsafe(ref ul, 8), v2);
            b0 = Vector256.FusedMultiplyAdd(y, Vector256.LoadUnsafe(ref al), b0);
            b1 = Vector256.FusedMultiplyAdd(y, Vector256.LoadUnsafe(ref al, 4), b1);
            b2 = Vector128.FusedMultiplyAdd(y.GetLower(), Vector128.LoadUnsafe(ref al, 8), b2);
        }

        if (e < count)
        {
            int j = Unsafe.Add(ref nzr, e);
            Vector256<double> x = Vector256.Create(Value(row, j));
            ref double uj = ref Unsafe.Add(ref ur, j * TenClasses);
            ref double aj = ref Unsafe.Add(ref ar, j * TenClasses);
            u0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref uj), u0);
            u1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref uj, 4), u1);
            u2 = Vector128.FusedMultiplyAdd(x.GetLower(), Vector128.LoadUnsafe(ref uj, 8), u2);
            a0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref aj), a0);
            a1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref aj, 4), a1);
            a2 = Vector128.FusedMultiplyAdd(x.GetLower(), Vector128.LoadUnsafe(ref aj, 8), a2);
        }

        ref double zu = ref MemoryMarshal.GetReference(zU);
        ref double za = ref MemoryMarshal.GetReference(zA);
        (u0 + v0).StoreUnsafe(ref zu);
        (u1 + v1).StoreUnsafe(ref zu, 4);
        (u2 + v2).StoreUnsafe(ref zu, 8);
        (a0 + b0).StoreUnsafe(ref za);
        (a1 + b1).StoreUnsafe(ref za, 4);
        (a2 + b2).StoreUnsafe(ref za, 8);
    }

    /// <summary>U_j += x_j·coef and A_j += x_j·δ for each touched feature (10 classes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update10<T>(ReadOnlySpan<int> nz, ReadOnlySpan<T> row, Span<double> u, Span<double> a, ReadOnlySpan<double> delta, ReadOnlySpan<double> coef)
        where T : unmanaged
    {
        ref double ur = ref MemoryMarshal.GetReference(u);
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double dr = ref MemoryMarshal.GetReference(delta);
        ref double cr = ref MemoryMarshal.GetReference(coef);
        Vector256<double> d0 = Vector256.LoadUnsafe(ref dr), d1 = Vector256.LoadUnsafe(ref dr, 4);
        Vector128<double> d2 = Vector128.LoadUnsafe(ref dr, 8);
        Vector256<double> c0 = Vector256.LoadUnsafe(ref cr), c1 = Vector256.LoadUnsafe(ref cr, 4);
        Vector128<double> c2 = Vector128.LoadUnsafe(ref cr, 8);
        foreach (int j in nz)
        {
            Vector256<double> x = Vector256.Create(Value(row, j));
            ref double uj = ref Unsafe.Add(ref ur, j * TenClasses);
            ref double aj = ref Unsafe.Add(ref ar, j * TenClasses);
            Vector256.FusedMultiplyAdd(x, c0, Vector256.LoadUnsafe(ref uj)).StoreUnsafe(ref uj);
            Vector256.FusedMultiplyAdd(x, c1, Vector256.LoadUnsafe(ref uj, 4)).StoreUnsafe(ref uj, 4);
            Vector128.FusedMultiplyAdd(x.GetLower(), c2, Vector128.LoadUnsafe(ref uj, 8)).StoreUnsafe(ref uj, 8);
            Vector256.FusedMultiplyAdd(x, d0, Vector256.LoadUnsafe(ref aj)).StoreUnsafe(ref aj);
            Vector256.FusedMultiplyAdd(x, d1, Vector256.LoadUnsafe(ref aj, 4)).StoreUnsafe(ref aj, 4);
            Vector128.FusedMultiplyAdd(x.GetLower(), d2, Vector128.LoadUnsafe(ref aj, 8)).StoreUnsafe(ref aj, 8);
        }
    }
}
