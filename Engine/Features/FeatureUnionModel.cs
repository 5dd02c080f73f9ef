using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Features;

/// <summary>A fitted <see cref="FeatureUnion"/>: the parts' outputs side by side (part 0's columns first).</summary>
public sealed class FeatureUnionModel : ITransformer
{
    private readonly string[] _names;
    private readonly ITransformer[] _parts;

    internal FeatureUnionModel(string[] names, ITransformer[] parts)
    {
        _names = names;
        _parts = parts;
        InputFeatureCount = parts[0].InputFeatureCount;
        foreach (ITransformer part in parts)
        {
            if (part.InputFeatureCount != InputFeatureCount)
            {
                ThrowHelper.ThrowArgument($"Feature union parts expect different input widths ({InputFeatureCount} and {part.InputFeatureCount}).", nameof(parts));
            }

            OutputFeatureCount += part.OutputFeatureCount;
        }
    }

    /// <summary>The part names, in column order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The fitted parts, in column order.</summary>
    public IReadOnlyList<ITransformer> Parts => _parts;

    /// <inheritdoc/>
    public int InputFeatureCount { get; }

    /// <inheritdoc/>
    public int OutputFeatureCount { get; }

    /// <summary>Writes each part's output into its column block of <paramref name="destination"/>. Allocates nothing.</summary>
    /// <param name="x">n×<see cref="InputFeatureCount"/> rows.</param>
    /// <param name="destination">n×<see cref="OutputFeatureCount"/>; each part writes a column slice (a strided <see cref="Span2D{T}"/>).</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, OutputFeatureCount);
        int column = 0;
        foreach (ITransformer part in _parts)
        {
            part.Transform(x, destination.Slice(0, column, x.Height, part.OutputFeatureCount));
            column += part.OutputFeatureCount;
        }
    }
}
