namespace FashionCore.Models.Linear;

/// <summary>
/// The four rows of a quad of SAG/SAGA steps (<see cref="SagLaneQuadSolver"/>); a quad cut short by the end of an
/// epoch repeats its first row in the missing places (their steps are zero).
/// </summary>
/// <typeparam name="T">float or double rows.</typeparam>
internal readonly ref struct RowQuad<T>(ReadOnlySpan<T> x0, ReadOnlySpan<T> x1, ReadOnlySpan<T> x2, ReadOnlySpan<T> x3)
    where T : unmanaged
{
    public readonly ReadOnlySpan<T> X0 = x0;
    public readonly ReadOnlySpan<T> X1 = x1;
    public readonly ReadOnlySpan<T> X2 = x2;
    public readonly ReadOnlySpan<T> X3 = x3;
}
