using FashionCore.Internals;

namespace FashionCore.Features.Scaling;

/// <summary>Options of <see cref="MinMaxScaler"/> (scikit-learn <c>MinMaxScaler(feature_range)</c>).</summary>
public sealed record MinMaxScalerOptions
{
    private readonly double _rangeMin;
    private readonly double _rangeMax = 1.0;

    /// <summary>Lower end of the target range (default 0); must be below <see cref="RangeMax"/>.</summary>
    public double RangeMin
    {
        get => _rangeMin;
        init => _rangeMin = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(RangeMin), value, "RangeMin must be finite.");
    }

    /// <summary>Upper end of the target range (default 1); must be above <see cref="RangeMin"/>.</summary>
    public double RangeMax
    {
        get => _rangeMax;
        init => _rangeMax = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(RangeMax), value, "RangeMax must be finite.");
    }

    /// <summary>Throws when the range is empty (sklearn raises for feature_range with min ≥ max) or its width overflows.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RangeMin"/> ≥ <see cref="RangeMax"/>, or
    /// <see cref="RangeMax"/> − <see cref="RangeMin"/> is not finite.</exception>
    public void Validate()
    {
        if (!(RangeMin < RangeMax))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(RangeMin), RangeMin, $"RangeMin must be less than RangeMax={RangeMax}.");
        }

        // Both ends finite is not enough: the width is every column's scale numerator, and an infinite one makes
        // Transform return ∞ − ∞ = NaN.
        if (!double.IsFinite(RangeMax - RangeMin))
        {
            ThrowHelper.ThrowArgumentOutOfRange(
                nameof(RangeMax), RangeMax, $"RangeMax − RangeMin must be finite, but {RangeMax} − {RangeMin} overflows double.");
        }
    }
}
