using System.Buffers;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Selection;

/// <summary>A fitted <see cref="TransformChain"/>: its fitted steps applied in order.</summary>
/// <remarks>Intermediate results go to pooled buffers (one block of rows at a time), so a transform allocates nothing steady-state.</remarks>
public sealed class TransformChainModel : ITransformer
{
    private const int BlockRows = 1024;
    private readonly string[] _names;
    private readonly ITransformer[] _steps;

    // The widest step output: the size of the two block buffers Transform rents.
    private readonly int _widest;

    /// <summary>Creates the fitted chain.</summary>
    /// <param name="names">The step names, one per step.</param>
    /// <param name="steps">The fitted steps; each one's input width is the previous one's output width.</param>
    /// <param name="inputFeatureCount">Columns of the chain's input, at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="names"/> or <paramref name="steps"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputFeatureCount"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The names and steps differ in count, a step is null, a name is bad or used twice
    /// (the rules of <see cref="TransformChain"/>), or the widths do not chain.</exception>
    public TransformChainModel(string[] names, ITransformer[] steps, int inputFeatureCount)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputFeatureCount, 1);

        // Copied before they are checked: the chain is immutable, whatever the caller later does with its arrays.
        names = (string[])names.Clone();
        steps = (ITransformer[])steps.Clone();
        if (names.Length != steps.Length)
        {
            throw new ArgumentException($"One name per step: {names.Length} names for {steps.Length} steps.", nameof(names));
        }

        StepNames.Validate(names, nameof(names));
        int nullStep = Array.IndexOf(steps, null);
        if (nullStep >= 0)
        {
            throw new ArgumentException($"Step '{names[nullStep]}' (index {nullStep}) is null.", nameof(steps));
        }

        for (int i = 0; i < steps.Length; i++)
        {
            int expected = i == 0 ? inputFeatureCount : steps[i - 1].OutputFeatureCount;
            if (steps[i].InputFeatureCount != expected)
            {
                throw new ArgumentException($"Step '{names[i]}' takes {steps[i].InputFeatureCount} columns but receives {expected}.", nameof(steps));
            }
        }

        _names = names;
        _steps = steps;
        InputFeatureCount = inputFeatureCount;

        // Once here rather than per call: Transform allocates nothing steady-state (a LINQ Max allocated its enumerator).
        foreach (ITransformer step in steps)
        {
            _widest = Math.Max(_widest, step.OutputFeatureCount);
        }
    }

    /// <summary>The step names, in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The fitted steps, in order.</summary>
    public IReadOnlyList<ITransformer> Steps => _steps;

    /// <inheritdoc/>
    public int InputFeatureCount { get; }

    /// <inheritdoc/>
    public int OutputFeatureCount => _steps.Length == 0 ? InputFeatureCount : _steps[^1].OutputFeatureCount;

    /// <inheritdoc/>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, OutputFeatureCount);

        if (_steps.Length == 0)
        {
            x.CopyTo(destination);
            return;
        }

        float[] a = ArrayPool<float>.Shared.Rent(BlockRows * _widest);
        float[] b = ArrayPool<float>.Shared.Rent(BlockRows * _widest);
        try
        {
            TransformBlocks(x, destination, a, b);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(a);
            ArrayPool<float>.Shared.Return(b);
        }
    }

    private void TransformBlocks(ReadOnlySpan2D<float> x, Span2D<float> destination, float[] a, float[] b)
    {
        for (int row = 0; row < x.Height; row += BlockRows)
        {
            int rows = Math.Min(BlockRows, x.Height - row);
            ReadOnlySpan2D<float> current = x.Slice(row, 0, rows, x.Width);
            for (int i = 0; i < _steps.Length; i++)
            {
                int width = _steps[i].OutputFeatureCount;
                Span2D<float> output = i == _steps.Length - 1
                    ? destination.Slice(row, 0, rows, width)
                    : new Span2D<float>(i % 2 == 0 ? a : b, 0, rows, width, 0);
                _steps[i].Transform(current, output);
                current = output;
            }
        }
    }
}
