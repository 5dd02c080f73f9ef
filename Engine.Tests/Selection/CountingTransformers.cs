using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;

namespace FashionCore.Tests.Selection;

/// <summary>Options of <see cref="Multiply"/>.</summary>
public sealed record MultiplyOptions
{
    public float Factor { get; init; } = 2f;
}

/// <summary>
/// A stateless test transformer (x·Factor, then appends the row sum), counting its fits and transformed rows so tests
/// can check that cross-validation applies it once to all rows instead of once per fold.
/// </summary>
public sealed class Multiply(MultiplyOptions? options = null) : ITransformerEstimator<MultiplyModel>, IStatelessTransformerEstimator
{
    public MultiplyOptions Options { get; } = options ?? new MultiplyOptions();

    public StrongBox<int> Fits { get; } = new();

    public StrongBox<long> TransformedRows { get; } = new();

    public MultiplyModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Fits.Value);
        return new MultiplyModel(x.Width, Options.Factor, TransformedRows);
    }
}

public sealed class MultiplyModel(int width, float factor, StrongBox<long> counter) : ITransformer
{
    public int InputFeatureCount => width;

    public int OutputFeatureCount => width + 1;

    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Interlocked.Add(ref counter.Value, x.Height);
        for (int i = 0; i < x.Height; i++)
        {
            float sum = 0;
            for (int j = 0; j < width; j++)
            {
                destination[i, j] = x[i, j] * factor;
                sum += x[i, j];
            }

            destination[i, width] = sum;
        }
    }
}

/// <summary>A stateful test transformer: subtracts the training column means (learned from the rows).</summary>
public sealed class Center : ITransformerEstimator<CenterModel>
{
    public CenterModel Fit(ReadOnlyMemory2D<float> x, CancellationToken cancellationToken = default)
    {
        ReadOnlySpan2D<float> xs = x.Span;
        double[] mean = new double[xs.Width];
        for (int i = 0; i < xs.Height; i++)
        {
            for (int j = 0; j < xs.Width; j++)
            {
                mean[j] += xs[i, j];
            }
        }

        for (int j = 0; j < xs.Width; j++)
        {
            mean[j] /= xs.Height;
        }

        return new CenterModel(mean);
    }
}

public sealed class CenterModel(double[] mean) : ITransformer
{
    public int InputFeatureCount => mean.Length;

    public int OutputFeatureCount => mean.Length;

    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        for (int i = 0; i < x.Height; i++)
        {
            for (int j = 0; j < mean.Length; j++)
            {
                destination[i, j] = (float)(x[i, j] - mean[j]);
            }
        }
    }
}
