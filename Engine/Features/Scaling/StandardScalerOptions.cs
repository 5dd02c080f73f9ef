namespace FashionCore.Features.Scaling;

/// <summary>Options of <see cref="StandardScaler"/> (scikit-learn <c>StandardScaler(with_mean, with_std)</c>).</summary>
public sealed record StandardScalerOptions
{
    /// <summary>Subtract the column mean (default <see langword="true"/>; sklearn <c>with_mean</c>).</summary>
    public bool WithMean { get; init; } = true;

    /// <summary>Divide by the column's population standard deviation (default <see langword="true"/>; sklearn <c>with_std</c>).</summary>
    public bool WithStd { get; init; } = true;
}
