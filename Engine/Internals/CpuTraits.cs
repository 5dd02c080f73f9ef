using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FashionCore.Internals;

/// <summary>
/// Facts about the CPU that choose between code paths computing the same bits (never between results).
/// </summary>
internal static class CpuTraits
{
    /// <summary>
    /// Whether 512-bit stores are better issued as two 256-bit halves: true on AMD family 19h cores with AVX-512 (Zen 4),
    /// which execute 512-bit operations as two 256-bit halves and on which a store-heavy pass measured faster with the
    /// halves (<see cref="Models.Linear.SagLaneDenseKernels"/>). Elsewhere left as one store: without AVX-512 the JIT
    /// splits a Vector512 store anyway, and on cores with full-width stores (Zen 5, Intel) the halves are unmeasured.
    /// </summary>
    public static readonly bool SplitWideStores = IsAmdFamily19hWithAvx512();

    private static bool IsAmdFamily19hWithAvx512()
    {
        if (!X86Base.IsSupported || !Vector512.IsHardwareAccelerated)
        {
            return false;
        }

        (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        return IsAmdFamily19h(ebx, ecx, edx, X86Base.CpuId(1, 0).Eax);
    }

    /// <summary>
    /// Whether CPUID leaf 0's vendor registers (<paramref name="ebx"/>, <paramref name="ecx"/>, <paramref name="edx"/>)
    /// say "AuthenticAMD" and leaf 1's <paramref name="signature"/> (EAX) family 19h: base family (bits 8–11) plus the
    /// extended family (bits 20–27) when the base is 0Fh.
    /// </summary>
    internal static bool IsAmdFamily19h(int ebx, int ecx, int edx, int signature)
    {
        if (ebx != 0x68747541 || edx != 0x69746E65 || ecx != 0x444D4163)
        {
            return false;
        }

        int family = (signature >> 8) & 0xF;
        if (family == 0xF)
        {
            family += (signature >> 20) & 0xFF;
        }

        return family == 0x19;
    }
}
