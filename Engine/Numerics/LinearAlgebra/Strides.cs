using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Numerics.LinearAlgebra;

/// <summary>Row strides (width + pitch, in elements) of 2-D spans, which CommunityToolkit does not expose directly.</summary>
internal static class Strides
{
    public static nint Of<T>(ReadOnlySpan2D<T> x)
    {
        if (x.Height < 2)
        {
            return x.Width;
        }

        return (nint)(Unsafe.ByteOffset(ref x.DangerousGetReference(), ref x.DangerousGetReferenceAt(1, 0)) / Unsafe.SizeOf<T>());
    }

    public static nint Of<T>(Span2D<T> x) => Of((ReadOnlySpan2D<T>)x);
}
