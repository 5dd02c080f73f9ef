using System.Buffers;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Selection;

/// <summary>A fitted <see cref="Pipeline"/>: fitted transforms then a fitted classifier; itself an immutable <see cref="IClassifier"/>.</summary>
/// <remarks>
/// <see cref="Predict"/> and <see cref="PredictProbabilities"/> push the rows through the transforms in blocks of
/// <see cref="BlockRows"/> rows using buffers rented from <see cref="ArrayPool{T}.Shared"/>, so the intermediate memory
/// stays small whatever n is, and they allocate nothing after warm-up themselves. Each step runs with its own defaults,
/// so a step that goes parallel on a large block allocates what its own remarks say: HOG above 256 images and logistic
/// regression above 8 million multiply-adds allocate their task objects (~2 KB per block); blocks below those sizes
/// allocate nothing. A row holding NaN or ±∞ is rejected by the step that meets it; the <see cref="ArgumentException"/>
/// then names <c>x</c>'s own row and column.
/// </remarks>
public sealed class PipelineModel : IClassifier
{
    /// <summary>Rows transformed per block: 1024 rows × a few hundred features stays within L2 for the narrow steps.</summary>
    public const int BlockRows = 1024;

    private readonly string[] _names;
    private readonly ITransformer[] _transforms;
    private readonly int _maxWidth;

    internal PipelineModel(string[] names, ITransformer[] transforms, IClassifier classifier)
    {
        _names = names;
        _transforms = transforms;
        Classifier = classifier;
        int width = transforms.Length > 0 ? transforms[0].InputFeatureCount : classifier.FeatureCount;
        FeatureCount = width;
        foreach (ITransformer t in transforms)
        {
            if (t.InputFeatureCount != width)
            {
                ThrowHelper.ThrowArgument($"Step expects {t.InputFeatureCount} columns but the previous step writes {width}.", nameof(transforms));
            }

            width = t.OutputFeatureCount;
            _maxWidth = Math.Max(_maxWidth, width);
        }

        if (classifier.FeatureCount != width)
        {
            ThrowHelper.ThrowArgument($"The classifier expects {classifier.FeatureCount} columns but the last transform writes {width}.", nameof(classifier));
        }
    }

    /// <summary>The step names (transforms, then the classifier).</summary>
    public IReadOnlyList<string> StepNames => _names;

    /// <summary>The fitted transforms, in order.</summary>
    public IReadOnlyList<ITransformer> Transforms => _transforms;

    /// <summary>The fitted final classifier.</summary>
    public IClassifier Classifier { get; }

    /// <inheritdoc/>
    public int FeatureCount { get; }

    /// <inheritdoc/>
    public ReadOnlySpan<int> Classes => Classifier.Classes;

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan2D<float> x, Span<int> destination)
    {
        Check.Columns(x, FeatureCount);
        Check.Length<int>(destination, x.Height);
        PredictFrom(0, x, destination);
    }

    /// <summary>Predicts from the output of transform <paramref name="firstTransform"/> − 1 (cross-validation's precomputed stateless prefix).</summary>
    internal void PredictFrom(int firstTransform, ReadOnlySpan2D<float> x, Span<int> destination)
    {
        if (firstTransform == _transforms.Length)
        {
            Classifier.Predict(x, destination);
            return;
        }

        float[] a = ArrayPool<float>.Shared.Rent(BlockRows * _maxWidth);
        float[] b = ArrayPool<float>.Shared.Rent(BlockRows * _maxWidth);
        try
        {
            for (int start = 0; start < x.Height; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, x.Height - start);
                ReadOnlySpan2D<float> block = x.Slice(start, 0, rows, x.Width);
                try
                {
                    Classifier.Predict(Apply(firstTransform, block, a, b), destination.Slice(start, rows));
                }
                catch (ArgumentException e) when (e.ParamName == "x")
                {
                    // A step rejected a row of this block: its message counts rows from the block's start and, after a
                    // transform, names a feature column; only then is the block scanned, to name the input's own value.
                    Check.Finite(block, start, "x");
                    throw;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(a);
            ArrayPool<float>.Shared.Return(b);
        }
    }

    /// <inheritdoc/>
    public void PredictProbabilities(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Check.Columns(x, FeatureCount);
        Check.Shape(destination, x.Height, Classes.Length);
        if (_transforms.Length == 0)
        {
            Classifier.PredictProbabilities(x, destination);
            return;
        }

        float[] a = ArrayPool<float>.Shared.Rent(BlockRows * _maxWidth);
        float[] b = ArrayPool<float>.Shared.Rent(BlockRows * _maxWidth);
        try
        {
            for (int start = 0; start < x.Height; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, x.Height - start);
                ReadOnlySpan2D<float> block = x.Slice(start, 0, rows, x.Width);
                try
                {
                    Classifier.PredictProbabilities(Apply(0, block, a, b), destination.Slice(start, 0, rows, destination.Width));
                }
                catch (ArgumentException e) when (e.ParamName == "x")
                {
                    Check.Finite(block, start, "x");
                    throw;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(a);
            ArrayPool<float>.Shared.Return(b);
        }
    }

    /// <summary>Runs the rows through every transform, ping-ponging between the two buffers.</summary>
    private ReadOnlySpan2D<float> Apply(int firstTransform, ReadOnlySpan2D<float> x, float[] a, float[] b)
    {
        ReadOnlySpan2D<float> current = x;
        bool useA = true;
        for (int i = firstTransform; i < _transforms.Length; i++)
        {
            ITransformer t = _transforms[i];
            Span2D<float> output = new(useA ? a : b, 0, current.Height, t.OutputFeatureCount, 0);
            t.Transform(current, output);
            current = output;
            useA = !useA;
        }

        return current;
    }
}
