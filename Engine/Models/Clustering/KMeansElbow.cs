using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Models.Clustering;

/// <summary>The elbow curve: k-means inertia (SSE) for a range of k, with the knee found automatically.</summary>
public static class KMeansElbow
{
    /// <summary>
    /// Fits <see cref="KMeans"/> with <c>options with { Clusters = k }</c> for every k in <paramref name="clusterCounts"/>
    /// (each fit seeded afresh with <see cref="KMeansOptions.RandomState"/>, like one sklearn <c>KMeans(k, random_state=…)</c>
    /// per k) and returns the inertias with the knee.
    /// </summary>
    /// <param name="x">n×d rows (float; widened to double).</param>
    /// <param name="clusterCounts">The k values, each 1 ≤ k ≤ n, increasing.</param>
    /// <param name="options">Options other than <see cref="KMeansOptions.Clusters"/>; <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">Checked between Lloyd iterations.</param>
    /// <returns>The curve and its knee.</returns>
    /// <exception cref="ArgumentException">The k values are empty, not increasing, or exceed n; or <paramref name="x"/> is invalid.</exception>
    public static KMeansElbowResult Compute(ReadOnlyMemory2D<float> x, ReadOnlySpan<int> clusterCounts, KMeansOptions? options = null, CancellationToken cancellationToken = default) =>
        ComputeCore(x, clusterCounts, options, cancellationToken);

    /// <summary>As <see cref="Compute(ReadOnlyMemory2D{float}, ReadOnlySpan{int}, KMeansOptions?, CancellationToken)"/> for double rows.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="clusterCounts">The k values, each 1 ≤ k ≤ n, increasing.</param>
    /// <param name="options">Options other than <see cref="KMeansOptions.Clusters"/>; <see langword="null"/> for defaults.</param>
    /// <param name="cancellationToken">Checked between Lloyd iterations.</param>
    /// <returns>The curve and its knee.</returns>
    /// <exception cref="ArgumentException">The k values are empty, not increasing, or exceed n; or <paramref name="x"/> is invalid.</exception>
    public static KMeansElbowResult Compute(ReadOnlyMemory2D<double> x, ReadOnlySpan<int> clusterCounts, KMeansOptions? options = null, CancellationToken cancellationToken = default) =>
        ComputeCore(x, clusterCounts, options, cancellationToken);

    /// <summary>
    /// Fits <see cref="KMeans"/> with <c>options with { Clusters = k }</c> for every k in <paramref name="clusterCounts"/>
    /// and returns the models: each equals <c>new KMeans(options with { Clusters = k }).Fit(x)</c> exactly, but the data
    /// checks and column statistics (two passes over <paramref name="x"/>) are computed once for all k.
    /// </summary>
    /// <param name="x">n×d rows (float; widened to double).</param>
    /// <param name="clusterCounts">The k values, each 1 ≤ k ≤ n, increasing.</param>
    /// <param name="options">Options other than <see cref="KMeansOptions.Clusters"/>; <see langword="null"/> for defaults.</param>
    /// <param name="onFitted">Called after each fit with the index into <paramref name="clusterCounts"/> and the model (progress, timing).</param>
    /// <param name="cancellationToken">Checked between Lloyd iterations.</param>
    /// <returns>One model per k, in the order of <paramref name="clusterCounts"/>.</returns>
    /// <exception cref="ArgumentException">The k values are empty, not increasing, or exceed n; or <paramref name="x"/> is invalid.</exception>
    public static KMeansModel[] FitEach(ReadOnlyMemory2D<float> x, ReadOnlySpan<int> clusterCounts, KMeansOptions? options = null, Action<int, KMeansModel>? onFitted = null, CancellationToken cancellationToken = default) =>
        FitEachCore(x, clusterCounts, options, onFitted, cancellationToken);

    /// <summary>As <see cref="FitEach(ReadOnlyMemory2D{float}, ReadOnlySpan{int}, KMeansOptions?, Action{int, KMeansModel}?, CancellationToken)"/> for double rows.</summary>
    /// <param name="x">n×d rows.</param>
    /// <param name="clusterCounts">The k values, each 1 ≤ k ≤ n, increasing.</param>
    /// <param name="options">Options other than <see cref="KMeansOptions.Clusters"/>; <see langword="null"/> for defaults.</param>
    /// <param name="onFitted">Called after each fit with the index into <paramref name="clusterCounts"/> and the model.</param>
    /// <param name="cancellationToken">Checked between Lloyd iterations.</param>
    /// <returns>One model per k, in the order of <paramref name="clusterCounts"/>.</returns>
    /// <exception cref="ArgumentException">The k values are empty, not increasing, or exceed n; or <paramref name="x"/> is invalid.</exception>
    public static KMeansModel[] FitEach(ReadOnlyMemory2D<double> x, ReadOnlySpan<int> clusterCounts, KMeansOptions? options = null, Action<int, KMeansModel>? onFitted = null, CancellationToken cancellationToken = default) =>
        FitEachCore(x, clusterCounts, options, onFitted, cancellationToken);

    /// <summary>
    /// The knee of a decreasing convex curve by the maximum-distance-to-chord rule (Kneedle, Satopää et al. 2011):
    /// both axes are scaled to [0, 1] and the knee is the point farthest below the chord from the first to the last
    /// point. Returns −1 when no point lies below the chord (fewer than 3 points, or a straight/concave curve).
    /// </summary>
    /// <param name="x">Increasing abscissae (e.g. k).</param>
    /// <param name="y">Values (e.g. inertia), same length.</param>
    /// <returns>The index of the knee, or −1.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static int FindKnee(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check.Length(y, x.Length);
        int m = x.Length;
        if (m < 3)
        {
            return -1;
        }

        double x0 = x[0], xr = x[m - 1] - x[0];
        double yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (double v in y)
        {
            yMin = Math.Min(yMin, v);
            yMax = Math.Max(yMax, v);
        }

        double yr = yMax - yMin;
        if (!(xr > 0) || !(yr > 0))
        {
            return -1;
        }

        // Chord from (0, ny[0]) to (1, ny[m−1]) in normalized coordinates; the signed vertical gap below it is
        // proportional to the perpendicular distance, so its maximum is the knee.
        double first = (y[0] - yMin) / yr, last = (y[m - 1] - yMin) / yr;
        int knee = -1;
        double best = 0;
        for (int i = 1; i < m - 1; i++)
        {
            double nx = (x[i] - x0) / xr;
            double ny = (y[i] - yMin) / yr;
            double gap = first + ((last - first) * nx) - ny;
            if (gap > best)
            {
                best = gap;
                knee = i;
            }
        }

        return knee;
    }

    private static KMeansElbowResult ComputeCore<T>(ReadOnlyMemory2D<T> x, ReadOnlySpan<int> clusterCounts, KMeansOptions? options, CancellationToken cancellationToken)
        where T : unmanaged
    {
        KMeansModel[] models = FitEachCore(x, clusterCounts, options, null, cancellationToken);
        int[] ks = clusterCounts.ToArray();
        double[] inertia = [.. models.Select(m => m.Inertia)];
        int[] iterations = [.. models.Select(m => m.Iterations)];
        int knee = FindKnee([.. ks.Select(k => (double)k)], inertia);
        return new KMeansElbowResult(ks, inertia, iterations, knee);
    }

    private static KMeansModel[] FitEachCore<T>(ReadOnlyMemory2D<T> x, ReadOnlySpan<int> clusterCounts, KMeansOptions? options, Action<int, KMeansModel>? onFitted, CancellationToken cancellationToken)
        where T : unmanaged
    {
        KMeansOptions o = options ?? new KMeansOptions();
        if (clusterCounts.IsEmpty)
        {
            ThrowHelper.ThrowArgument("'clusterCounts' must not be empty.", nameof(clusterCounts));
        }

        for (int i = 0; i < clusterCounts.Length; i++)
        {
            if (clusterCounts[i] < 1 || clusterCounts[i] > x.Height || (i > 0 && clusterCounts[i] <= clusterCounts[i - 1]))
            {
                ThrowHelper.ThrowArgument($"clusterCounts[{i}] = {clusterCounts[i]} must be increasing and within 1..n_samples={x.Height}.", nameof(clusterCounts));
            }
        }

        if (o.Init == KMeansInit.Given)
        {
            ThrowHelper.ThrowArgument("The elbow needs KMeansPlusPlus or Random initialisation (given centres fix k).", nameof(options));
        }

        if (x.Width == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one column.", nameof(x));
        }

        // Options are validated before the (costly) solver setup, as KMeans validates them in its constructor.
        KMeansOptions[] perK = new KMeansOptions[clusterCounts.Length];
        for (int i = 0; i < perK.Length; i++)
        {
            perK[i] = o with { Clusters = clusterCounts[i] };
            perK[i].Validate();
        }

        // One solver: the data checks and column statistics are shared by every k (they do not depend on k, and the
        // solver is read-only once built, so every run computes what a fresh KMeans.Fit would).
        // All k's runs go into one parallel loop (each k's draws made first, from its own fresh stream), so no core
        // waits for the slowest run of each k; each k's model is built and reported, in k order, once its runs are done.
        KMeansSolver<T> solver = new(x);
        KMeansModel[] models = new KMeansModel[perK.Length];
        try
        {
            KMeansRuns<T>[] sets = [.. perK.Select(o => new KMeansRuns<T>(solver, o))];
            solver.TakeFirstCentreDots([.. sets.SelectMany(s => s.FirstCentres.ToArray())]);
            KMeansRuns<T>.RunAll(sets, i =>
            {
                models[i] = sets[i].Best();
                onFitted?.Invoke(i, models[i]);
            }, cancellationToken);
        }
        finally
        {
            solver.ReturnBuffers();
        }

        return models;
    }
}
