namespace FashionCore.Models.Linear;

/// <summary>
/// The eight rows of an octet of SAG/SAGA steps (<see cref="SagLaneSplitHalf{T}"/>); an octet cut short by the end of
/// an epoch repeats its first row in the missing places (their steps are zero).
/// </summary>
/// <typeparam name="T">float, double or byte rows (byte rows: the two-thread split only).</typeparam>
internal readonly ref struct RowOctet<T>(
    ReadOnlySpan<T> x0, ReadOnlySpan<T> x1, ReadOnlySpan<T> x2, ReadOnlySpan<T> x3,
    ReadOnlySpan<T> x4, ReadOnlySpan<T> x5, ReadOnlySpan<T> x6, ReadOnlySpan<T> x7)
    where T : unmanaged
{
    public readonly ReadOnlySpan<T> X0 = x0;
    public readonly ReadOnlySpan<T> X1 = x1;
    public readonly ReadOnlySpan<T> X2 = x2;
    public readonly ReadOnlySpan<T> X3 = x3;
    public readonly ReadOnlySpan<T> X4 = x4;
    public readonly ReadOnlySpan<T> X5 = x5;
    public readonly ReadOnlySpan<T> X6 = x6;
    public readonly ReadOnlySpan<T> X7 = x7;

    /// <summary>Row <paramref name="r"/> (0–7).</summary>
    public ReadOnlySpan<T> this[int r] => r switch
    {
        0 => X0,
        1 => X1,
        2 => X2,
        3 => X3,
        4 => X4,
        5 => X5,
        6 => X6,
        _ => X7,
    };
}
