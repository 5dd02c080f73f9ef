using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FashionCore.Internals;

namespace FashionCore.Tests.Internals;

/// <summary><see cref="CpuTraits"/>: which CPUs get the 256-bit half stores.</summary>
public class CpuTraitsTests
{
    // CPUID leaf 0 vendor registers (EBX, ECX, EDX) and leaf 1 signatures (EAX) of real parts.
    private const int AmdEbx = 0x68747541, AmdEcx = 0x444D4163, AmdEdx = 0x69746E65;
    private const int IntelEbx = 0x756E6547, IntelEcx = 0x6C65746E, IntelEdx = 0x49656E69;

    [TestCase(AmdEbx, AmdEcx, AmdEdx, 0x00A10F11, true, TestName = "Zen 4 (EPYC Genoa, family 19h model 11h)")]
    [TestCase(AmdEbx, AmdEcx, AmdEdx, 0x00A00F11, true, TestName = "Zen 3 (EPYC Milan, family 19h: excluded by the AVX-512 check instead)")]
    [TestCase(AmdEbx, AmdEcx, AmdEdx, 0x00B00F21, false, TestName = "Zen 5 (EPYC Turin, family 1Ah)")]
    [TestCase(AmdEbx, AmdEcx, AmdEdx, 0x00830F10, false, TestName = "Zen 2 (family 17h)")]
    [TestCase(IntelEbx, IntelEcx, IntelEdx, 0x000806F8, false, TestName = "Intel Sapphire Rapids (family 6)")]
    [TestCase(IntelEbx, IntelEcx, IntelEdx, 0x00A10F11, false, TestName = "a family 19h signature with another vendor")]
    public void IsAmdFamily19h_DecodesVendorAndExtendedFamily(int ebx, int ecx, int edx, int signature, bool expected) =>
        Assert.That(CpuTraits.IsAmdFamily19h(ebx, ecx, edx, signature), Is.EqualTo(expected));

    [Test]
    public void SplitWideStores_OnlyOnAmdFamily19hWithAvx512()
    {
        bool expected = false;
        if (X86Base.IsSupported && Vector512.IsHardwareAccelerated)
        {
            (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
            expected = CpuTraits.IsAmdFamily19h(ebx, ecx, edx, X86Base.CpuId(1, 0).Eax);
        }

        Assert.That(CpuTraits.SplitWideStores, Is.EqualTo(expected));
    }
}
