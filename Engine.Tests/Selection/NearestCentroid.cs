using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;

namespace FashionCore.Tests.Selection;

/// <summary>Options of the test-only <see cref="NearestCentroid"/> (sklearn <c>NearestCentroid(shrink_threshold)</c>).</summary>
public sealed record NearestCentroidOptions
{
    /// <summary>sklearn <c>shrink_threshold</c>; null = no shrinking. Must be &gt; 0 when set.</summary>
    public double? ShrinkThreshold { get; init; }

    /// <summary>An option with an alias, to test <see cref="OptionAliasAttribute"/> (not used by the fit).</summary>
    [OptionAlias("n_iter")]
    public int MaxIterations { get; init; } = 100;

    /// <summary>Test-only: Fit throws (to test error_score).</summary>
    public bool FailFit { get; init; }

    /// <summary>Test-only: the fitted model's Predict throws (a failed scoring).</summary>
    public bool FailPredict { get; init; }

    /// <summary>Test-only: how long a failing Fit or Predict runs before it throws.</summary>
    public int FailDelayMilliseconds { get; init; }
}

/// <summary>
/// A test estimator reproducing scikit-learn 1.2.1's euclidean <c>NearestCentroid</c> (class means, optional shrunken
/// centroids), in double from float rows, so grid-search results can be compared with sklearn's own cv_results.
/// </summary>
public sealed class NearestCentroid : IClassifierEstimator<NearestCentroidModel>
{
    public NearestCentroid(NearestCentroidOptions? options = null)
    {
        Options = options ?? new NearestCentroidOptions();
        if (Options.ShrinkThreshold is double t && !(t > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(NearestCentroidOptions.ShrinkThreshold), t, "shrink_threshold must be > 0.");
        }
    }

    public NearestCentroidOptions Options { get; }

    /// <summary>Number of Fit calls on any instance (to check that the stateless prefix is not refitted).</summary>
    public static int FitCount;

    public NearestCentroidModel Fit(ReadOnlyMemory2D<float> x, ReadOnlyMemory<int> y, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref FitCount);
        if (Options.FailFit)
        {
            Busy(Options.FailDelayMilliseconds);
            throw new InvalidOperationException("fit failed on purpose");
        }

        ReadOnlySpan2D<float> xs = x.Span;
        ReadOnlySpan<int> ys = y.Span;
        int n = xs.Height;
        int d = xs.Width;
        int[] classes = [.. ys.ToArray().Distinct().Order()];
        int k = classes.Length;
        int[] yIndex = new int[n];
        double[] nk = new double[k];
        double[,] centroids = new double[k, d];
        for (int i = 0; i < n; i++)
        {
            int c = Array.BinarySearch(classes, ys[i]);
            yIndex[i] = c;
            nk[c]++;
            ReadOnlySpan<float> row = xs.GetRowSpan(i);
            Span<double> centroid = centroids.GetRowSpan(c);
            for (int j = 0; j < d; j++)
            {
                centroid[j] += row[j];
            }
        }

        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++)
            {
                centroids[c, j] /= nk[c];
            }
        }

        if (Options.ShrinkThreshold is double threshold)
        {
            double[] overall = new double[d];
            double[] variance = new double[d];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    overall[j] += xs[i, j];
                    double diff = xs[i, j] - centroids[yIndex[i], j];
                    variance[j] += diff * diff;
                }
            }

            double[] s = new double[d];
            for (int j = 0; j < d; j++)
            {
                overall[j] /= n;
                s[j] = Math.Sqrt(variance[j] / (n - k));
            }

            double[] sorted = [.. s.Order()];
            double median = d % 2 == 1 ? sorted[d / 2] : (sorted[(d / 2) - 1] + sorted[d / 2]) / 2;
            for (int j = 0; j < d; j++)
            {
                s[j] += median;
            }

            for (int c = 0; c < k; c++)
            {
                double m = Math.Sqrt((1.0 / nk[c]) - (1.0 / n));
                for (int j = 0; j < d; j++)
                {
                    double ms = m * s[j];
                    double deviation = (centroids[c, j] - overall[j]) / ms;
                    double shrunk = Math.Max(Math.Abs(deviation) - threshold, 0) * Math.Sign(deviation);
                    centroids[c, j] = overall[j] + (ms * shrunk);
                }
            }
        }

        return new NearestCentroidModel(classes, centroids) { FailPredictAfterMilliseconds = Options.FailPredict ? Options.FailDelayMilliseconds : null };
    }

    /// <summary>Runs for at least <paramref name="milliseconds"/>.</summary>
    internal static void Busy(int milliseconds)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < milliseconds)
        {
            Thread.Sleep(1);
        }
    }
}

/// <summary>Fitted <see cref="NearestCentroid"/>: predicts the class of the nearest centroid (first on ties).</summary>
public sealed class NearestCentroidModel(int[] classes, double[,] centroids) : IClassifier
{
    public int FeatureCount => centroids.GetLength(1);

    public ReadOnlySpan<int> Classes => classes;

    public double[,] Centroids => centroids;

    /// <summary>Test-only: Predict throws after this long (null: it predicts).</summary>
    public int? FailPredictAfterMilliseconds { get; init; }

    public void Predict(ReadOnlySpan2D<float> x, Span<int> destination)
    {
        if (FailPredictAfterMilliseconds is int delay)
        {
            NearestCentroid.Busy(delay);
            throw new InvalidOperationException("predict failed on purpose");
        }

        int d = FeatureCount;
        for (int i = 0; i < x.Height; i++)
        {
            ReadOnlySpan<float> row = x.GetRowSpan(i);
            int best = 0;
            double bestDistance = double.PositiveInfinity;
            for (int c = 0; c < classes.Length; c++)
            {
                ReadOnlySpan<double> centroid = centroids.GetRowSpan(c);
                double distance = 0;
                for (int j = 0; j < d; j++)
                {
                    double diff = row[j] - centroid[j];
                    distance += diff * diff;
                }

                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }

            destination[i] = classes[best];
        }
    }

    public void PredictProbabilities(ReadOnlySpan2D<float> x, Span2D<float> destination)
    {
        Span<int> labels = new int[x.Height];
        Predict(x, labels);
        destination.Clear();
        for (int i = 0; i < x.Height; i++)
        {
            destination[i, Array.IndexOf(classes, labels[i])] = 1f;
        }
    }
}
