using System.Diagnostics.CodeAnalysis;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Models.Clustering;

/// <summary>A fitted <see cref="KMeans"/>: centres, training labels, inertia and iterations (immutable).</summary>
/// <remarks>
/// As a transform it maps rows to their Euclidean distances to the k centres (sklearn <c>KMeans.transform</c>);
/// <see cref="Predict(ReadOnlySpan2D{float}, Span{int})"/> is sklearn's <c>predict</c> (nearest centre, computed as
/// argmin_j ‖c_j‖² − 2x·c_j in double, lowest index on ties). Both allocate nothing. Both reject a row holding NaN or ±∞
/// with the <see cref="ArgumentException"/> <see cref="KMeans"/>'s Fit gives, found without an extra pass over the
/// input: with finite centres such a value makes every x·c_j (∞·0 = NaN included), hence the best value, and ‖x‖² NaN
/// or ±∞; only then is the row scanned to name the column.
/// </remarks>
public sealed class KMeansModel : ITransformer
{
    private readonly double[] _centers;
    private readonly double[] _centerNormSq;
    private readonly int[] _labels;

    /// <summary>Creates a model (used by <see cref="KMeans"/> and model loading).</summary>
    /// <param name="centers">k×d centres, row-major (sklearn <c>cluster_centers_</c>).</param>
    /// <param name="clusterCount">k.</param>
    /// <param name="labels">Training labels in 0..k−1 (sklearn <c>labels_</c>).</param>
    /// <param name="inertia">
    /// Sum of squared distances of the training rows to their centre (sklearn <c>inertia_</c>): at least 0, and +∞ only
    /// where those squares overflowed double.
    /// </param>
    /// <param name="iterations">Lloyd iterations of the kept run (sklearn <c>n_iter_</c>), at least 0.</param>
    /// <remarks>The model keeps copies of the arrays.</remarks>
    /// <exception cref="ArgumentException">
    /// The sizes disagree, a centre value is NaN or ±∞, or a label is out of range.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="clusterCount"/> is below 1, <paramref name="inertia"/> is NaN or negative, or
    /// <paramref name="iterations"/> is negative.
    /// </exception>
    public KMeansModel(double[] centers, int clusterCount, int[] labels, double inertia, int iterations)
    {
        ArgumentNullException.ThrowIfNull(centers);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusterCount, 1);

        // Copied before they are checked: the cached centre norms must stay those of the centres, whatever the caller
        // later does with its arrays.
        centers = (double[])centers.Clone();
        labels = (int[])labels.Clone();
        if (centers.Length == 0 || centers.Length % clusterCount != 0)
        {
            ThrowHelper.ThrowArgument($"centers has {centers.Length} values, not a positive multiple of clusterCount={clusterCount}.", nameof(centers));
        }

        // A non-finite centre makes every distance to it NaN or ±∞, so Predict would pick centres by garbage.
        int width = centers.Length / clusterCount;
        for (int i = 0; i < centers.Length; i++)
        {
            if (!double.IsFinite(centers[i]))
            {
                ThrowHelper.ThrowArgument($"'centers' contains {centers[i]} at centre {i / width}, column {i % width}; all values must be finite.", nameof(centers));
            }
        }

        if (double.IsNaN(inertia) || inertia < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(inertia), inertia, "inertia is a sum of squares: it must be at least 0.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(iterations);

        foreach (int label in labels)
        {
            if ((uint)label >= (uint)clusterCount)
            {
                ThrowHelper.ThrowArgument($"label {label} is outside 0..{clusterCount - 1}.", nameof(labels));
            }
        }

        _centers = centers;
        _labels = labels;
        ClusterCount = clusterCount;
        InputFeatureCount = centers.Length / clusterCount;
        Inertia = inertia;
        Iterations = iterations;
        _centerNormSq = new double[clusterCount];
        for (int j = 0; j < clusterCount; j++)
        {
            ReadOnlySpan<double> c = _centers.AsSpan(j * InputFeatureCount, InputFeatureCount);
            _centerNormSq[j] = System.Numerics.Tensors.TensorPrimitives.Dot(c, c);
        }
    }

    /// <summary>Number of clusters k.</summary>
    public int ClusterCount { get; }

    /// <summary>The k×d centres in input coordinates (sklearn <c>cluster_centers_</c>), double.</summary>
    public ReadOnlySpan2D<double> ClusterCenters => new(_centers, ClusterCount, InputFeatureCount);

    /// <summary>The label of each training row (sklearn <c>labels_</c>).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Sum over training rows of the squared distance to their centre (sklearn <c>inertia_</c>), double.</summary>
    public double Inertia { get; }

    /// <summary>Lloyd iterations of the kept run (sklearn <c>n_iter_</c>).</summary>
    public int Iterations { get; }

    /// <inheritdoc />
    public int InputFeatureCount { get; }

    /// <summary>k: one distance per centre.</summary>
    public int OutputFeatureCount => ClusterCount;

    /// <summary>Writes the index of the nearest centre of each row. Allocates nothing (after a first call per thread).</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n labels.</param>
    /// <exception cref="ArgumentException">The shapes do not match, or a row holds NaN or ±∞ (named by row and column).</exception>
    public void Predict(ReadOnlySpan2D<float> x, Span<int> destination) => PredictCore(x, destination);

    /// <summary>Writes the index of the nearest centre of each double row. Allocates nothing (after a first call per thread).</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n labels.</param>
    /// <exception cref="ArgumentException">
    /// The shapes do not match, a row holds NaN or ±∞ (named by row and column), or a row's values are so large that
    /// its dot products with the centres overflow double.
    /// </exception>
    public void Predict(ReadOnlySpan2D<double> x, Span<int> destination) => PredictCore(x, destination);

    /// <summary>
    /// Writes the Euclidean distance of each row to each centre (sklearn <c>transform</c>), computed in double as
    /// <c>sqrt(max(0, ‖x‖² − 2x·c + ‖c‖²))</c> and rounded to float. Allocates nothing (after a first call per thread).
    /// </summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×k distances.</param>
    /// <exception cref="ArgumentException">The shapes do not match, or a row holds NaN or ±∞ (named by row and column).</exception>
    public void Transform(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, ClusterCount);
        // The widened row and its k distances share the thread's row buffer (a stack buffer would bound k).
        Span<double> buffer = KMeansKernels.RowBuffer(InputFeatureCount + ClusterCount);
        Span<double> row = buffer[..InputFeatureCount];
        Span<double> dist = buffer[InputFeatureCount..];
        for (int i = 0; i < x.Height; i++)
        {
            KMeansKernels.Widen(x.GetRowSpan(i), row);
            Distances(row, dist, i);
            Span<float> dst = destination.GetRowSpan(i);
            for (int j = 0; j < dist.Length; j++)
            {
                dst[j] = (float)dist[j];
            }
        }
    }

    /// <summary>Writes the Euclidean distance of each double row to each centre (sklearn <c>transform</c>). Allocates nothing.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="destination">n×k distances.</param>
    /// <exception cref="ArgumentException">
    /// The shapes do not match, a row holds NaN or ±∞ (named by row and column), or a row's values are so large that
    /// its squared norm overflows double.
    /// </exception>
    public void Transform(ReadOnlySpan2D<double> x, Span2D<double> destination)
    {
        Check.Columns(x, InputFeatureCount);
        Check.Shape(destination, x.Height, ClusterCount);
        for (int i = 0; i < x.Height; i++)
        {
            Distances(x.GetRowSpan(i), destination.GetRowSpan(i), i);
        }
    }

    private void PredictCore<T>(ReadOnlySpan2D<T> x, Span<int> destination)
        where T : unmanaged
    {
        Check.Columns(x, InputFeatureCount);
        Check.Length<int>(destination, x.Height, nameof(destination));
        int d = InputFeatureCount, k = ClusterCount;
        Span<double> dots = stackalloc double[Math.Min(k, 64)];
        Span<double> row = KMeansKernels.RowBuffer(d);
        for (int i = 0; i < x.Height; i++)
        {
            KMeansKernels.Widen(x.GetRowSpan(i), row);
            int best = 0;
            double bestValue = double.PositiveInfinity;
            for (int j0 = 0; j0 < k; j0 += dots.Length)
            {
                int m = Math.Min(dots.Length, k - j0);
                KMeansKernels.Dots(row, _centers.AsSpan(j0 * d, m * d), dots[..m]);
                for (int j = 0; j < m; j++)
                {
                    // sklearn's E-step value: ‖c‖² − 2x·c (‖x‖² is the same for every centre); strict <, lowest index wins.
                    double v = _centerNormSq[j0 + j] + (-2.0 * dots[j]);
                    if (v < bestValue)
                    {
                        bestValue = v;
                        best = j0 + j;
                    }
                }
            }

            // NaN never wins the strict < (the old answer was centre 0), so a bad row leaves +∞ or reaches −∞.
            if (!double.IsFinite(bestValue))
            {
                ThrowNonFinite(row, i, "dot products with the centres overflow");
            }

            destination[i] = best;
        }
    }

    // Names the first non-finite value of row i (widened to double, so exactly the input value), in Fit's message.
    [DoesNotReturn]
    private static void ThrowNonFinite(ReadOnlySpan<double> row, int i, string overflow)
    {
        for (int j = 0; j < row.Length; j++)
        {
            if (!double.IsFinite(row[j]))
            {
                ThrowHelper.ThrowNonFinite("x", row[j], i, j);
            }
        }

        ThrowHelper.ThrowArgument($"'x' row {i} is finite but too large: its {overflow} double.", "x");
    }

    private void Distances(ReadOnlySpan<double> row, Span<double> destination, int rowIndex)
    {
        int d = InputFeatureCount, k = ClusterCount;
        double rowNorm = System.Numerics.Tensors.TensorPrimitives.Dot(row, row);
        if (!double.IsFinite(rowNorm))
        {
            ThrowNonFinite(row, rowIndex, "squared norm overflows");
        }

        KMeansKernels.Dots(row, _centers, destination[..k]);
        for (int j = 0; j < k; j++)
        {
            destination[j] = Math.Sqrt(Math.Max(0, ((-2.0 * destination[j]) + rowNorm) + _centerNormSq[j]));
        }

        _ = d;
    }
}
