using System.Diagnostics;
using System.Globalization;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Bench;

/// <summary>
/// <c>pcaprofile [THREADS] [REPS] [ab|eigen|fitreps|touch|peak]</c>: the phases of PCA(40) on the standardized training set (the
/// <c>pca40_fit</c> stage) timed one by one — scan, covariance, eigendecomposition, sign rule (its score GEMM alone,
/// then all of it) — and the whole fit, as the minimum over REPS of the process CPU time (with THREADS = 1 that is the
/// phase's own CPU time, which a loaded machine distorts far less than wall-clock time) and of wall time. <c>ab</c>
/// adds the background-shifted Gram with and without the sparse column order, interleaved; <c>eigen</c> the
/// eigendecomposition on 1 thread vs THREADS, and the top-k (bisection) path on THREADS. <c>fitreps</c> times each whole fit in a fresh process (as
/// <c>fashion bench</c> does) and stops; <c>touch</c> the first touch of a fresh 4.9 MB array (page-fault cost);
/// <c>peak</c> one thread's 512-bit FMA throughput (1 and 2 threads) and a dense Gram's rate.
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
        if (args.Length > 2 && args[2] == "peak")
        {
            Peak(reps);
        }

        if (args.Length > 2 && args[2] == "touch")
        {
            for (int rep = 0; rep < reps; rep++)
            {
                long start = Stopwatch.GetTimestamp();
                double[] fresh = new double[784 * 784];
                long allocated = Stopwatch.GetTimestamp();
                for (int i = 0; i < fresh.Length; i += 512)
                {
                    fresh[i] = 1;
                }

                long touched = Stopwatch.GetTimestamp();
                for (int i = 0; i < fresh.Length; i += 512)
                {
                    fresh[i] = 2;
                }

                long again = Stopwatch.GetTimestamp();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"4.9 MB: alloc {(allocated - start) / 1e6:F2} ms, first touch {(touched - allocated) / 1e6:F2} ms, second {(again - touched) / 1e6:F2} ms"));
            }
        }

        if (args.Length > 2 && args[2] == "fitreps")
        {
            // The stage as `fashion bench` runs it, in a fresh process: every repetition's wall time (the first
            // includes JIT compilation and first-touch page faults).
            for (int rep = 0; rep < reps; rep++)
            {
                long start = Stopwatch.GetTimestamp();
                _ = new Pca(new PcaOptions { Components = Components, MaxDegreeOfParallelism = threads }).Fit(z);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fit rep {rep}: {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F1} ms (gen0 {GC.CollectionCount(0)}, gen2 {GC.CollectionCount(2)})"));
            }

            return 0;
        }

        float[] scores = new float[x.Height * Components];
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
            double[] cov = new double[d * d];
            source.Covariance(cov, threads);
            Lap("covariance");
            _ = SymmetricEigen.Compute(new ReadOnlySpan2D<double>(cov, d, d), _ => Components, out double[][] vectors, threads);
            Lap("eigen");
            double[] components = new double[Components * d];
            for (int r = 0; r < Components; r++)
            {
                vectors[r].CopyTo(components, r * d);
            }

            source.ApproximateScores(components, Components, scores, threads);
            Lap("sign scores");
            PcaSigns.Fix(source, components, Components, threads);
            Lap("sign rule");
            PcaSigns.Fix(source, components, Components, threads);
            Lap("sign rule2");
            source.ApproximateScores(components, Components, scores, threads);
            Lap("sign scores2");
            _ = new Pca(new PcaOptions { Components = Components, MaxDegreeOfParallelism = threads }).Fit(z);
            Lap("fit");
        }

        if (args.Length > 2 && args[2] == "eigen")
        {
            // The eigendecomposition alone, 1 thread vs THREADS, interleaved (wall-clock minimum is what matters here).
            var source = new FloatSource(z, null);
            source.Scan(threads);
            double[] cov = new double[d * d];
            source.Covariance(cov, threads);
            for (int rep = 0; rep < reps; rep++)
            {
                mark = Cpu();
                wall = Stopwatch.GetTimestamp();
                _ = SymmetricEigen.Compute(new ReadOnlySpan2D<double>(cov, d, d), _ => Components, out _, 1);
                Lap("eigen 1t");
                _ = SymmetricEigen.Compute(new ReadOnlySpan2D<double>(cov, d, d), _ => Components, out _, threads);
                Lap($"eigen {threads}t");
                _ = SymmetricEigen.ComputeLargest(new ReadOnlySpan2D<double>(cov, d, d), Components, out _, threads);
                Lap($"top-k {threads}t");
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

    /// <summary>One thread's FMA throughput (16 independent 512-bit chains) and a dense shifted Gram's rate.</summary>
    private static void Peak(int reps)
    {
        for (int rep = 0; rep < reps; rep++)
        {
            long start = Stopwatch.GetTimestamp();
            double one = PeakLoop(1);
            double s1 = Stopwatch.GetElapsedTime(start).TotalSeconds;
            start = Stopwatch.GetTimestamp();
            Parallel.For(0, 2, t => PeakLoop(t));
            double s2 = Stopwatch.GetElapsedTime(start).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak: 1t {PeakIterations * 12 / s1 / 1e9:F2} G zmm-FMA/s, 2t {2 * PeakIterations * 12 / s2 / 1e9:F2} ({one:E1})"));
        }

        int n = 16384;
        int d = 784;
        float[] dense = new float[n * d];
        var random = new Random(1);
        for (int i = 0; i < dense.Length; i++)
        {
            dense[i] = (float)random.NextDouble();
        }

        double[] gram = new double[d * d];
        double[] shift = new double[d];
        for (int rep = 0; rep < reps; rep++)
        {
            long start = Stopwatch.GetTimestamp();
            SymmetricRankK.Gram(new ReadOnlySpan2D<float>(dense, n, d), shift, new Span2D<double>(gram, d, d), 1, reorderColumns: false);
            double s = Stopwatch.GetElapsedTime(start).TotalSeconds;
            double tileFmas = (double)n * 1683 * 24;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dense gram 1t: {s * 1e3:F1} ms, {tileFmas / s / 1e9:F2} G zmm-FMA/s"));
        }
    }

    private const long PeakIterations = 200_000_000;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static double PeakLoop(int seed)
    {
        System.Runtime.Intrinsics.Vector512<double> b = System.Runtime.Intrinsics.Vector512.Create(0.9999999);
        System.Runtime.Intrinsics.Vector512<double> a = System.Runtime.Intrinsics.Vector512.Create(1e-9 * seed);
        System.Runtime.Intrinsics.Vector512<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (long i = 0; i < PeakIterations; i++)
        {
            c0 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c0, b, a);
            c1 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c1, b, a);
            c2 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c2, b, a);
            c3 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c3, b, a);
            c4 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c4, b, a);
            c5 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c5, b, a);
            c6 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c6, b, a);
            c7 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c7, b, a);
            c8 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c8, b, a);
            c9 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c9, b, a);
            c10 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c10, b, a);
            c11 = System.Runtime.Intrinsics.Vector512.FusedMultiplyAdd(c11, b, a);
        }

        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11)[0];
    }

    private static long Cpu() => Process.GetCurrentProcess().TotalProcessorTime.Ticks;
}
