using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Tests.Internals;

/// <summary>The argument guards of <see cref="Check"/> on edge shapes.</summary>
public class CheckTests
{
    [Test]
    public void Finite_RowsWithoutColumns_Passes()
    {
        // TensorPrimitives.IsFiniteAll is false for an empty span; an empty row must still count as finite.
        Assert.DoesNotThrow(() => Check.Finite(new ReadOnlySpan2D<float>(Array.Empty<float>(), 3, 0)));
    }

    [Test]
    public void Finite_InfinityInLastColumn_ThrowsNamingRowAndColumn()
    {
        float[] values = [1, 2, 3, 4, 5, float.PositiveInfinity];
        ArgumentException? e = Assert.Throws<ArgumentException>(() => Check.Finite(new ReadOnlySpan2D<float>(values, 2, 3), "x"));
        Assert.That(e!.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("row 1, column 2"));
    }
}
