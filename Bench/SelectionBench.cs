using BenchmarkDotNet.Attributes;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Data;
using FashionCore.Metrics;
using FashionCore.Selection;

namespace FashionCore.Bench;

/// <summary>
/// Overhead of the model-selection machinery on the full 60 000×784 train pixels: grid search and cross-validation of a
/// classifier that costs nothing (fit counts labels, predict writes a constant), so what is timed is fold splitting,
/// gathering the training rows, block-gathering the test rows, scheduling and cv_results. Peer:
/// <c>Bench/peer/selection_overhead_sklearn.py</c> (GridSearchCV / cross_validate of DummyClassifier, same shapes).
/// </summary>
[MemoryDiagnoser]
public class SelectionBench
{
    private ReadOnlyMemory2D<float> _x;
    private int[] _y = [];
    private int[] _predicted = [];
    private ParameterGrid _grid = null!;

    /// <summary>Fits run at once.</summary>
    [Params(1, 2)]
    public int Degree { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Dataset train = FashionMnist.Load().Train;
        _x = new ReadOnlyMemory2D<float>(train.ToFloatPixels(), train.Count, 784);
        _y = train.GetLabelsInt32();
        _predicted = [.. _y.Select((v, i) => i % 7 == 0 ? (v + 1) % 10 : v)];
        _grid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["constant"] = [0, 1],
            ["tag"] = [0, 1, 2],
        });
    }

    /// <summary>6 candidates × 3 stratified folds + refit: the study's grid shape.</summary>
    [Benchmark]
    public double GridSearch6x3()
    {
        GridSearchResult<ConstantModel> r = GridSearch.Run(new ConstantClassifier(), _grid, _x, _y,
            new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = Degree });
        return r.BestScore;
    }

    /// <summary>5-fold cross-validation (the study's cross_val_score shape).</summary>
    [Benchmark]
    public double CrossValidate5()
    {
        CrossValidationResult r = CrossValidation.Evaluate(new ConstantClassifier(), _x, _y,
            new CrossValidationOptions { MaxDegreeOfParallelism = Degree });
        return r.MeanScore;
    }

    /// <summary>StratifiedKFold(5) assignment of the 60 000 labels.</summary>
    [Benchmark]
    public int StratifiedSplit5() => new StratifiedKFold(5).Split(_y).TestSize(0);

    /// <summary>classification_report numbers and text for 60 000 predictions.</summary>
    [Benchmark]
    public int ReportText60k() => ClassificationReport.Compute(_y, _predicted).ToText().Length;

    /// <summary>Options of <see cref="ConstantClassifier"/>.</summary>
    public sealed record ConstantOptions
    {
        /// <summary>The predicted label.</summary>
        public int Constant { get; init; }

        /// <summary>Unused: only makes a second grid axis.</summary>
        public int Tag { get; init; }
    }

    /// <summary>A classifier that does no work: predicts <see cref="ConstantOptions.Constant"/>.</summary>
    public sealed class ConstantClassifier(ConstantOptions? options = null) : IClassifierEstimator<ConstantModel>
    {
        /// <summary>The options.</summary>
        public ConstantOptions Options { get; } = options ?? new ConstantOptions();

        /// <inheritdoc/>
        public ConstantModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken = default) =>
            new(x.Width, Options.Constant);
    }

    /// <summary>Fitted <see cref="ConstantClassifier"/>.</summary>
    public sealed class ConstantModel(int width, int constant) : IClassifier
    {
        private readonly int[] _classes = [constant];

        /// <inheritdoc/>
        public int FeatureCount => width;

        /// <inheritdoc/>
        public ReadOnlySpan<int> Classes => _classes;

        /// <inheritdoc/>
        public void Predict(ReadOnlySpan2D<float> x, Span<int> destination) => destination.Fill(constant);

        /// <inheritdoc/>
        public void PredictProbabilities(ReadOnlySpan2D<float> x, Span2D<float> destination) => destination.Fill(1f);
    }
}
