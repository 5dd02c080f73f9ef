using System.Buffers;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Selection;

namespace FashionCore.Tests.Selection;

/// <summary>
/// Fold buffers of cross-validation and grid search: a run takes at most one per worker from the shared pool, reuses
/// them fold after fold, and hands them back, so later searches of the same shape allocate none.
/// </summary>
[NonParallelizable]
public class FoldBufferTests
{
    private const int Rows = 3000;
    private const int Width = 400;
    private const int Folds = 6;
    private const int Candidates = 12;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Run_ManyCandidatesAndFolds_TakesAtMostOneFoldBufferPerWorker(int degree)
    {
        (float[] x, int[] y) = Data();
        IClassifierEstimator<IClassifier>[] candidates = [.. GridSearch.Candidates(new Majority(), Grid())];
        var options = new CrossValidationOptions { Splitter = new StratifiedKFold(Folds), MaxDegreeOfParallelism = degree };
        var memory = new ReadOnlyMemory2D<float>(x, Rows, Width);
        Folds folds = CrossValidation.Split(memory, y, options);
        using FoldRunner runner = new(candidates, memory, y, folds, options, null);
        runner.Run(CancellationToken.None);

        // 72 fits over 6 folds: one buffer per worker, each serving several folds in turn.
        Assert.That(runner.FoldBuffersTaken, Is.InRange(1, degree));
        using FoldRunner sequential = new(candidates, memory, y, folds, options with { MaxDegreeOfParallelism = 1 }, null);
        sequential.Run(CancellationToken.None);
        Assert.That(runner.Scores, Is.EqualTo(sequential.Scores));
    }

    [Test]
    public void Run_RepeatedGridOfManyCandidates_AllocatesFarLessThanOneFoldCopy()
    {
        (float[] x, int[] y) = Data();
        var memory = new ReadOnlyMemory2D<float>(x, Rows, Width);
        var options = new CrossValidationOptions { Splitter = new StratifiedKFold(Folds), MaxDegreeOfParallelism = 2, Refit = false };

        // A run takes one buffer per worker that got to a fold: the warm-up run below may take only one (its second
        // worker started after the caller had done every fold) while the measured run takes two, and renting the second
        // fresh (8.4 MB, the pool's 2^21-float bucket) failed this test once under load. So the pool holds two first.
        float[] warmA = ArrayPool<float>.Shared.Rent(Rows * Width), warmB = ArrayPool<float>.Shared.Rent(Rows * Width);
        ArrayPool<float>.Shared.Return(warmA);
        ArrayPool<float>.Shared.Return(warmB);
        GridSearchResult<MajorityModel> first = GridSearch.Run(new Majority(), Grid(), memory, y, options);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        GridSearchResult<MajorityModel> second = GridSearch.Run(new Majority(), Grid(), memory, y, options);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // One fold copy (train + test rows) is 4.8 MB; copying per fit would be 72 of them (346 MB), per fold 6. The
        // fold buffers come back from the shared pool, so what is left is the per-fold index and label arrays
        // (6 × 3000 × 2 ints ≈ 0.15 MB), one prediction buffer per worker, the candidates, models and results.
        long foldCopy = (long)Rows * Width * sizeof(float);
        Assert.That(allocated, Is.LessThan(foldCopy / 4));
        Assert.That(second.CvResults.MeanTestScore.ToArray(), Is.EqualTo(first.CvResults.MeanTestScore.ToArray()));
    }

    private static ParameterGrid Grid() => new(new Dictionary<string, IReadOnlyList<object?>>
    {
        // An option the fit ignores: twelve candidates with identical scores but separate fits.
        ["tag"] = [.. Enumerable.Range(1, Candidates).Select(i => (object?)i)],
    });

    private static (float[] X, int[] Y) Data()
    {
        var random = new Random(7);
        float[] x = new float[Rows * Width];
        int[] y = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < Width; j++)
            {
                x[(i * Width) + j] = (float)random.NextDouble() + (j % 3 == y[i] ? 0.05f : 0f);
            }
        }

        return (x, y);
    }

    /// <summary>Options of <see cref="Majority"/>.</summary>
    public sealed record MajorityOptions
    {
        /// <summary>Ignored by the fit (a grid axis).</summary>
        public int Tag { get; init; }
    }

    /// <summary>Predicts the most frequent training label: a fit that allocates next to nothing, so the runner's own allocations show.</summary>
    public sealed class Majority(MajorityOptions? options = null) : IClassifierEstimator<MajorityModel>
    {
        public MajorityOptions Options { get; } = options ?? new MajorityOptions();

        public MajorityModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken = default)
        {
            Span<int> counts = stackalloc int[3];
            foreach (int label in y.Span)
            {
                counts[label]++;
            }

            int best = 0;
            for (int c = 1; c < counts.Length; c++)
            {
                best = counts[c] > counts[best] ? c : best;
            }

            return new MajorityModel(x.Width, best);
        }
    }

    /// <summary>The fitted <see cref="Majority"/>.</summary>
    public sealed class MajorityModel(int featureCount, int label) : IClassifier
    {
        private static readonly int[] s_classes = [0, 1, 2];

        public int FeatureCount => featureCount;

        public ReadOnlySpan<int> Classes => s_classes;

        public void Predict(ReadOnlySpan2D<float> x, Span<int> destination) => destination.Fill(label);

        public void PredictProbabilities(ReadOnlySpan2D<float> x, Span2D<float> destination)
        {
            destination.Clear();
            for (int i = 0; i < destination.Height; i++)
            {
                destination[i, label] = 1f;
            }
        }
    }
}
