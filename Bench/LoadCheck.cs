using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Scaling;
using FashionCore.Models.Linear;
using FashionCore.Persistence;
using FashionCore.Selection;

namespace FashionCore.Bench;

/// <summary>
/// The <c>fashion serve</c> load check (not a BenchmarkDotNet suite; <c>Bench/loadcheck.sh</c> drives it):
/// <c>loadcheck fit MODEL</c> saves the study's x/255 → saga (max_iter=3) model fitted on the 60 000 training images;
/// <c>loadcheck run URL [CLIENTS] [REQUESTS]</c> runs CLIENTS concurrent clients that each POST REQUESTS test images
/// to URL/api/predict one after another, then prints failures, throughput and latency percentiles as JSON.
/// </summary>
public static class LoadCheck
{
    public static int Run(string[] args)
    {
        if (args.Length == 2 && args[0] == "fit")
        {
            Fit(args[1]);
            return 0;
        }

        if (args.Length >= 2 && args[0] == "run")
        {
            int clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
            int requests = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 50;
            return RunAsync(new Uri(args[1]), clients, requests).GetAwaiter().GetResult();
        }

        Console.Error.WriteLine("usage: loadcheck fit MODEL | loadcheck run URL [CLIENTS] [REQUESTS]");
        return 2;
    }

    private static void Fit(string path)
    {
        Dataset train = FashionMnist.Load().Train;
        var pipeline = new Pipeline(
            [new("pixels", new PixelScaler())],
            "logreg",
            new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 3, RandomState = 0 }));
        PipelineModel model = pipeline.Fit(new ReadOnlyMemory2D<float>(train.ToFloatPixels(), train.Count, train.PixelCount), train.GetLabelsInt32());
        ModelFile.Save(path, model);
    }

    private static async Task<int> RunAsync(Uri baseAddress, int clients, int requests)
    {
        Dataset test = FashionMnist.Load().Test;
        byte[][] bodies = [.. Enumerable.Range(0, 100).Select(i =>
            Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { pixels = test.GetImage(i).ToArray().Select(b => (int)b) })))];
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var predict = new Uri(baseAddress, "api/predict");

        // Warm-up: one request per client opens the connections and JITs both sides; not counted.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => SendAsync(http, predict, bodies[c % bodies.Length]))).ConfigureAwait(false);

        string loadBefore = LoadAverage();
        double[] latencies = new double[clients * requests];
        int failures = 0;
        var failureKinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        long start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (int r = 0; r < requests; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                string? failure = await SendAsync(http, predict, bodies[((c * requests) + r) % bodies.Length]).ConfigureAwait(false);
                latencies[(c * requests) + r] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (failure is not null)
                {
                    Interlocked.Increment(ref failures);
                    failureKinds.AddOrUpdate(failure, 1, (_, n) => n + 1);
                }
            }
        }))).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        string loadAfter = LoadAverage();

        Array.Sort(latencies);
        var result = new
        {
            clients,
            requests_per_client = requests,
            requests = latencies.Length,
            failures,
            failure_kinds = failureKinds,
            seconds = Math.Round(seconds, 3),
            requests_per_second = Math.Round(latencies.Length / seconds, 1),
            latency_ms = new
            {
                p50 = Math.Round(Percentile(latencies, 0.50), 2),
                p90 = Math.Round(Percentile(latencies, 0.90), 2),
                p99 = Math.Round(Percentile(latencies, 0.99), 2),
                max = Math.Round(latencies[^1], 2),
            },
            load_average_before = loadBefore,
            load_average_after = loadAfter,
            processors = Environment.ProcessorCount,
        };
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        return failures == 0 ? 0 : 1;
    }

    private static async Task<string?> SendAsync(HttpClient http, Uri predict, byte[] body)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await http.PostAsync(predict, content).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK && text.Contains("\"probabilities\"", StringComparison.Ordinal)
                ? null
                : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.GetType().Name;
        }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double q) => sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
