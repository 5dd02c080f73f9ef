using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Features.Pca;

/// <summary>A fitted PCA: projects rows onto the top principal axes (scikit-learn's fitted <c>PCA</c>).</summary>
/// <remarks>
/// <c>Transform(x) = (x − Mean)·Componentsᵀ</c>, divided per column by sqrt(<see cref="ExplainedVariance"/>) when
/// whitening; <c>InverseTransform(t) = t·Components + Mean</c> (with the whitening undone). Both run on the caller's
/// buffers, single-threaded, and allocate nothing. The float overloads compute in float (one FMA chain per value);
/// the double overloads compute in double, which is what parity with scikit-learn's float64 output needs.
/// </remarks>
public sealed class PcaModel : ITransformer
{
    private readonly double[] _mean;
    private readonly double[] _components;
    private readonly double[] _explainedVariance;
    private readonly double[] _explainedVarianceRatio;
    private readonly double[] _singularValues;
    private readonly float[] _meanF;
    private readonly double[] _forward;
    private readonly float[] _forwardF;
    private readonly double[] _backward;
    private readonly float[] _backwardF;

    internal PcaModel(
        PcaOptions options, int sampleCount, double[] mean, double[] components, double[] explainedVariance, double[] explainedVarianceRatio, double[] singularValues)
    {
        Options = options;
        SampleCount = sampleCount;
        _mean = mean;
        _components = components;
        _explainedVariance = explainedVariance;
        _explainedVarianceRatio = explainedVarianceRatio;
        _singularValues = singularValues;
        int k = explainedVariance.Length;
        int d = mean.Length;
        _meanF = new float[d];
        TensorPrimitives.ConvertTruncating<double, float>(mean, _meanF);
        _forward = (double[])components.Clone();
        _backward = (double[])components.Clone();
        if (options.Whiten)
        {
            for (int r = 0; r < k; r++)
            {
                // sklearn divides the projection by sqrt(explained_variance_); folding it into the axes changes the
                // result by at most an ulp or two. Zero-variance axes stay unscaled rather than dividing by zero.
                double s = Math.Sqrt(explainedVariance[r]);
                if (s > 0)
                {
                    TensorPrimitives.Divide(_forward.AsSpan(r * d, d), s, _forward.AsSpan(r * d, d));
                    TensorPrimitives.Multiply(_backward.AsSpan(r * d, d), s, _backward.AsSpan(r * d, d));
                }
            }
        }

        _forwardF = new float[k * d];
        _backwardF = new float[k * d];
        TensorPrimitives.ConvertTruncating<double, float>(_forward, _forwardF);
        TensorPrimitives.ConvertTruncating<double, float>(_backward, _backwardF);
    }

    /// <summary>The options the model was fitted with.</summary>
    public PcaOptions Options { get; }

    /// <summary>Number of training rows (sklearn <c>n_samples_</c>).</summary>
    public int SampleCount { get; }

    /// <summary>Column means of the training data (sklearn <c>mean_</c>), length d.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Principal axes as orthonormal rows, k×d, largest variance first (sklearn <c>components_</c>).</summary>
    public ReadOnlySpan2D<double> Components => new(_components, ComponentCount, _mean.Length);

    /// <summary>Variance along each axis, ddof = 1 (sklearn <c>explained_variance_</c>).</summary>
    public ReadOnlySpan<double> ExplainedVariance => _explainedVariance;

    /// <summary>Fraction of the total variance along each axis (sklearn <c>explained_variance_ratio_</c>).</summary>
    public ReadOnlySpan<double> ExplainedVarianceRatio => _explainedVarianceRatio;

    /// <summary>Singular values of the centred training matrix, sqrt(variance·(n − 1)) (sklearn <c>singular_values_</c>).</summary>
    public ReadOnlySpan<double> SingularValues => _singularValues;

    /// <summary>Number of components k.</summary>
    public int ComponentCount => _explainedVariance.Length;

    /// <inheritdoc/>
    public int InputFeatureCount => _mean.Length;

    /// <inheritdoc/>
    public int OutputFeatureCount => ComponentCount;

    /// <summary>Projects rows: <c>destination = (x − Mean)·Componentsᵀ</c> (÷ sqrt(variance) when whitening), in float.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×k output.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, OutputFeatureCount);
        Gemm.MultiplyTransposed(x, _meanF, new ReadOnlySpan2D<float>(_forwardF, ComponentCount, InputFeatureCount), destination);
    }

    /// <summary>Projects rows in double precision (the parity path).</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×k output.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public void Transform(ReadOnlySpan2D<double> x, Span2D<double> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, OutputFeatureCount);
        Gemm.MultiplyTransposed(x, _mean, new ReadOnlySpan2D<double>(_forward, ComponentCount, InputFeatureCount), destination);
    }

    /// <summary>Maps projections back: <c>destination = t·Components + Mean</c> (whitening undone), in float.</summary>
    /// <param name="t">n×k projections.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public void InverseTransform(ReadOnlySpan2D<float> t, Span2D<float> destination)
    {
        Check.Columns(t, OutputFeatureCount);
        Check.Shape(destination, t.Height, InputFeatureCount);
        Gemm.Multiply(t, new ReadOnlySpan2D<float>(_backwardF, ComponentCount, InputFeatureCount), destination);
        for (int i = 0; i < t.Height; i++)
        {
            Span<float> row = destination.GetRowSpan(i);
            TensorPrimitives.Add(row, _meanF, row);
        }
    }

    /// <summary>Maps projections back in double precision.</summary>
    /// <param name="t">n×k projections.</param>
    /// <param name="destination">n×d output.</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public void InverseTransform(ReadOnlySpan2D<double> t, Span2D<double> destination)
    {
        Check.Columns(t, OutputFeatureCount);
        Check.Shape(destination, t.Height, InputFeatureCount);
        Gemm.Multiply(t, new ReadOnlySpan2D<double>(_backward, ComponentCount, InputFeatureCount), destination);
        for (int i = 0; i < t.Height; i++)
        {
            Span<double> row = destination.GetRowSpan(i);
            TensorPrimitives.Add(row, _mean, row);
        }
    }
}
