using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Data;
using FashionCore.Features;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Persistence;
using FashionCore.Selection;

namespace FashionCore.Tools.Prediction;

/// <summary>
/// A loaded model file that classifies 28×28 images: any <see cref="IClassifier"/> (a pipeline or a bare classifier)
/// whose input is the 784 raw pixel values (0..255) and whose classes are Fashion-MNIST labels (0..9).
/// </summary>
/// <remarks>Thread-safe: the engine's fitted models are immutable.</remarks>
public sealed class FashionModel
{
    private readonly int[] _classes;

    private FashionModel(string name, IClassifier classifier)
    {
        Name = name;
        Classifier = classifier;
        _classes = classifier.Classes.ToArray();
        Steps = Describe(classifier);
    }

    /// <summary>Number of classes reported (Fashion-MNIST's 10).</summary>
    public static int ClassCount => FashionMnist.ClassNames.Count;

    /// <summary>The model's name (its file name).</summary>
    public string Name { get; }

    /// <summary>The loaded classifier.</summary>
    public IClassifier Classifier { get; }

    /// <summary>A readable description of each step, e.g. <c>x/255</c>, <c>HOG (8 orientations, …)</c>, <c>logistic regression (saga, …)</c>.</summary>
    public IReadOnlyList<string> Steps { get; }

    /// <summary>The feature steps only (all but the final classifier), joined with " → "; "raw pixels" when there are none.</summary>
    public string Features => Steps.Count > 1 ? string.Join(" → ", Steps.Take(Steps.Count - 1)) : "raw pixels";

    /// <summary>Loads a model file and checks that it classifies 784-pixel images into Fashion-MNIST labels.</summary>
    /// <param name="path">The model file (written by <c>fashion train --model</c> or <see cref="ModelFile.Save"/>).</param>
    /// <returns>The model.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a valid model file, not a classifier, or a classifier of other inputs or labels.</exception>
    public static FashionModel Load(string path)
    {
        object model = ModelFile.Load(path);
        if (model is not IClassifier classifier)
        {
            throw new InvalidDataException($"{path}: holds a {model.GetType().Name}, not a classifier (a pipeline or logistic regression model is needed).");
        }

        if (classifier.FeatureCount != FashionMnist.PixelCount)
        {
            throw new InvalidDataException($"{path}: the model expects {classifier.FeatureCount} input columns, not the {FashionMnist.PixelCount} pixels of a 28×28 image.");
        }

        foreach (int label in classifier.Classes)
        {
            if ((uint)label >= (uint)ClassCount)
            {
                throw new InvalidDataException($"{path}: the model predicts class {label}, which is not a Fashion-MNIST label (0..{ClassCount - 1}).");
            }
        }

        return new FashionModel(Path.GetFileName(path), classifier);
    }

    /// <summary>Wraps an in-memory classifier (tests, embedding).</summary>
    /// <param name="name">Display name.</param>
    /// <param name="classifier">A classifier of 784 raw pixels into labels 0..9.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">Other inputs or labels.</exception>
    public static FashionModel FromClassifier(string name, IClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(classifier);
        if (classifier.FeatureCount != FashionMnist.PixelCount)
        {
            throw new ArgumentException($"The classifier expects {classifier.FeatureCount} columns, not {FashionMnist.PixelCount}.", nameof(classifier));
        }

        foreach (int label in classifier.Classes)
        {
            if ((uint)label >= (uint)ClassCount)
            {
                throw new ArgumentException($"Class {label} is not a Fashion-MNIST label.", nameof(classifier));
            }
        }

        return new FashionModel(name, classifier);
    }

    /// <summary>Classifies rows of 784 pixel values.</summary>
    /// <param name="pixels">n×784 values in 0..255.</param>
    /// <returns>One prediction per row.</returns>
    public FashionPrediction[] Predict(ReadOnlySpan2D<float> pixels)
    {
        int n = pixels.Height;
        int[] labels = new int[n];
        float[] probabilities = new float[n * _classes.Length];
        Classifier.Predict(pixels, labels);
        Classifier.PredictProbabilities(pixels, new Span2D<float>(probabilities, n, _classes.Length));
        var result = new FashionPrediction[n];
        for (int i = 0; i < n; i++)
        {
            // Probabilities by label 0..9, whatever subset of labels the model was trained on.
            float[] byLabel = new float[ClassCount];
            for (int k = 0; k < _classes.Length; k++)
            {
                byLabel[_classes[k]] = probabilities[(i * _classes.Length) + k];
            }

            result[i] = new FashionPrediction(labels[i], FashionMnist.ClassNames[labels[i]], byLabel);
        }

        return result;
    }

    /// <summary>Classifies one image of 784 pixel values.</summary>
    /// <param name="pixels">784 values in 0..255.</param>
    /// <returns>The prediction.</returns>
    public FashionPrediction Predict(ReadOnlySpan<float> pixels) =>
        Predict(new ReadOnlySpan2D<float>(pixels.ToArray(), 1, pixels.Length))[0];

    /// <summary>Classifies byte images (n×784, row-major).</summary>
    /// <param name="images">n×784 pixels.</param>
    /// <returns>One prediction per row.</returns>
    public FashionPrediction[] Predict(ReadOnlySpan2D<byte> images)
    {
        float[] x = new float[images.Height * images.Width];
        int i = 0;
        foreach (byte b in images)
        {
            x[i++] = b;
        }

        return Predict(new ReadOnlySpan2D<float>(x, images.Height, images.Width));
    }

    private static string[] Describe(IClassifier classifier) => classifier is PipelineModel pipeline
        ? [.. pipeline.Transforms.Select(Describe), DescribeClassifier(pipeline.Classifier)]
        : [DescribeClassifier(classifier)];

    private static string DescribeClassifier(IClassifier classifier) => classifier switch
    {
        LogisticRegressionModel lr => $"logistic regression ({lr.Options.Solver.ToString().ToLowerInvariant()}, {(lr.IsMultinomial ? "multinomial" : "one-vs-rest")}, C={lr.Options.C.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
        _ => classifier.GetType().Name,
    };

    private static string Describe(ITransformer transformer) => transformer switch
    {
        PixelScalerModel => "x/255",
        StandardScalerModel => "standardize",
        MinMaxScalerModel => "min-max scale",
        HogModel hog => $"HOG ({hog.Options.Orientations} orientations, {hog.Options.PixelsPerCell.Rows}×{hog.Options.PixelsPerCell.Columns} cells, {hog.Options.CellsPerBlock.Rows}×{hog.Options.CellsPerBlock.Columns} blocks, {hog.OutputFeatureCount} features)",
        PcaModel pca => $"PCA-{pca.ComponentCount}",
        FeatureUnionModel union => $"[{string.Join(" + ", union.Parts.Select(Describe))}]",
        _ => transformer.GetType().Name,
    };
}
