using System.Diagnostics;
using System.Globalization;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Bench;

/// <summary>
/// <c>pcaprofile [THREADS] [REPS] [ab|eigen]</c>: the phases of PCA(40) on the standardized training set (the
/// <c>pca40_fit</c> stage) timed one by one — scan, covariance, eigendecomposition, sign rule (its score GEMM alone,
/// then all of it) — and the whole fit, as the minimum over REPS of the process CPU time (with THREADS = 1 that is the
/// phase's own CPU time, which a loaded machine distorts far less than wall-clock time) and of wall time. <c>ab</c>
/// adds the background-shifted Gram with and without the sparse column order, interleaved; <c>eigen</c> the
/// eigendecomposition on 1 thread vs THREADS.
/// </summary>
public static class PcaProfile
{
    public static int Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1;
        int reps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        const int Components = 40;
        Dataset train = FashionMnist.Load().Train;
        float[] pixels = train.ToFloatPixels();
        var x = new ReadOnlyMemory2D<float>(pixels, train.Count, train.PixelCount);
        float[] standardized = new float[pixels.Length];
        StandardScalerModel scaler = new StandardScaler().Fit(x);
        scaler.Transform(x.Span, new Span2D<float>(standardized, x.Height, x.Width));
        var z = new ReadOnlyMemory2D<float>(standardized, x.Height, x.Width);
        int d = x.Width;
        var best = new Dictionary<string, double>();
        var bestWall = new Dictionary<string, double>();
        long mark = Cpu();
        long wall = Stopwatch.GetTimestamp();
        void Lap(string name)
        {
            long now = Cpu();
            best[name] = Math.Min(best.GetValueOrDefault(name, double.MaxValue), TimeSpan.FromTicks(now - mark).TotalMilliseconds);
            bestWall[name] = Math.Min(bestWall.GetValueOrDefault(name, double.MaxValue), Stopwatch.GetElapsedTime(wall).TotalMilliseconds);
            mark = now;
            wall = Stopwatch.GetTimestamp();
        }

        for (int rep = 0; rep < reps; rep++)
        {
            mark = Cpu();
            wall = Stopwatch.GetTimestamp();
            var source = new FloatSource(z, null);
            source.Scan(threads);
            Lap("scan");
            double[] cov = source.Covariance(threads);
            Lap("covariance");
            _ = SymmetricEigen.Compute(new ReadOnlySpan2D<double>(cov, d, d), _ => Components, out double[][] vectors, threads);
            Lap("eigen");
            double[] components = new double[Components * d];
            for (int r = 0; r < Components; r++)
            {
                vectors[r].CopyTo(components, r * d);
            }

            _ = source.ApproximateScores(components, Components, threads);
            Lap("sign scores");
            PcaSigns.Fix(source, components, Components, threads);
            Lap("sign rule");
            PcaSigns.Fix(source, components, Components, threads);
            Lap("sign rule2");
            _ = source.ApproximateScores(components, Components, threads);
            Lap("sign scores2");
            _ = new Pca(new PcaOptions { Components = Components, MaxDegreeOfParallelism = threads }).Fit(z);
            Lap("fit");
        }

        if (args.Length > 2 && args[2] == "eigen")
        {
            // The eigendecomposition alone, 1 thread vs THREADS, interleaved (wall-clock minimum is what matters here).
            var source = new FloatSource(z, null);
            source.Scan(threads);
            double[] cov = source.Covariance(threads);
            for (int rep = 0; rep < reps; rep++)
            {
                mark = Cpu();
                wall = Stopwatch.GetTimestamp();
                _ = SymmetricEigen.Compute(new ReadOnlySpan2D<double>(cov, d, d), _ => Components, out _, 1);
                Lap("eigen 1t");
                _ = SymmetricEigen.Compute(new ReadOnlySpan2D<double>(cov, d, d), _ => Components, out _, threads);
                Lap($"eigen {threads}t");
            }
        }

        if (args.Length > 2 && args[2] == "ab")
        {
            // Column order on/off, interleaved: the background-shifted Gram exactly as Pca.Fit runs it.
            double[] background = new double[d];
            for (int j = 0; j < d; j++)
            {
                int i = 0;
                while (pixels[(i * d) + j] != 0)
                {
                    i++;
                }

                background[j] = standardized[(i * d) + j];
            }

            double[] gram = new double[d * d];
            for (int rep = 0; rep < reps; rep++)
            {
                mark = Cpu();
                wall = Stopwatch.GetTimestamp();
                SymmetricRankK.Gram(z.Span, background, new Span2D<double>(gram, d, d), threads, reorderColumns: false);
                Lap("gram natural");
                SymmetricRankK.Gram(z.Span, background, new Span2D<double>(gram, d, d), threads, reorderColumns: true);
                Lap("gram reordered");
            }
        }

        foreach ((string name, double ms) in best)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-14} {ms,8:F1} ms cpu {bestWall[name],8:F1} ms wall"));
        }

        return 0;
    }

    private static long Cpu() => Process.GetCurrentProcess().TotalProcessorTime.Ticks;
}
