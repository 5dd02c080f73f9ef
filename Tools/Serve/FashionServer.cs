using System.Text.Encodings.Web;
using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Tools.Commands;
using FashionCore.Tools.Prediction;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FashionCore.Tools.Serve;

/// <summary>
/// The <c>fashion serve</c> web app: a Kestrel minimal API (<c>/api/predict</c>, <c>/api/samples</c>,
/// <c>/api/health</c>, <c>/api/model</c>) and the embedded page. Start it with <see cref="StartAsync"/>, stop it with
/// <see cref="StopAsync"/> or by disposing it.
/// </summary>
/// <remarks>
/// Bad input is answered with 400 (or 413 for bodies over <see cref="FashionServerOptions.MaxRequestBodyBytes"/>: bodies up
/// to 8 times that are read and discarded first so the connection stays usable; larger ones are refused before they are
/// read and the connection is closed) and a
/// JSON <c>{"error": "..."}</c>; an unexpected exception in a handler becomes a 500 with a JSON error and is written to
/// stderr, and the server keeps running. At start the model classifies the whole test split once, which gives the
/// reported test accuracy and the gallery's predictions.
/// </remarks>
public sealed class FashionServer : IAsyncDisposable
{
    // Relaxed escaping keeps quotes and '×' readable in error messages; the responses are application/json, never HTML.
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = null, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;
    private readonly FashionServerOptions _options;
    private readonly FashionPrediction[] _testPredictions;
    private readonly Random _random;
    private readonly Lock _randomLock = new();

    private FashionServer(WebApplication app, FashionServerOptions options, FashionPrediction[] testPredictions)
    {
        _app = app;
        _options = options;
        _testPredictions = testPredictions;
        _random = new Random(options.Seed);
        int correct = 0;
        ReadOnlySpan<byte> labels = options.Test.Labels.Span;
        for (int i = 0; i < testPredictions.Length; i++)
        {
            correct += testPredictions[i].Label == labels[i] ? 1 : 0;
        }

        TestAccuracy = testPredictions.Length == 0 ? 0 : (double)correct / testPredictions.Length;
    }

    /// <summary>Accuracy of the model on the served test split.</summary>
    public double TestAccuracy { get; }

    /// <summary>The addresses the server listens on, with the real ports (after <c>:0</c> was resolved).</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <summary>Builds the app, classifies the test split, binds and starts listening.</summary>
    /// <param name="options">Model, data and addresses.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="IOException">An address could not be bound (e.g. the port is in use).</exception>
    public static async Task<FashionServer> StartAsync(FashionServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRequestBodyBytes, nameof(options.MaxRequestBodyBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxSamples, nameof(options.MaxSamples));
        if (options.Urls.Count == 0)
        {
            throw new ArgumentException("At least one URL to listen on is needed.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Threads, nameof(options.Threads));
        FashionPrediction[] predictions = ThreadLimit.Run(options.Threads, () => options.Model.Predict(options.Test.Images.Span));

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(FashionServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel stops bodies at the drain limit; PredictAsync answers 413 above MaxRequestBodyBytes.
            kestrel.Limits.MaxRequestBodySize = DrainLimit(options.MaxRequestBodyBytes);
        });
        WebApplication app = builder.Build();
        var server = new FashionServer(app, options, predictions);
        server.Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        ICollection<string> bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.Addresses = [.. bound.Select(a => new Uri(a))];
        return server;
    }

    /// <summary>Completes when the host shuts down (Ctrl+C, SIGTERM or <see cref="StopAsync"/>).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops listening and finishes the requests in flight.</summary>
    /// <returns>A task.</returns>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"fashion serve: {context.Request.Method} {context.Request.Path}: {e}").ConfigureAwait(false);
                await Error(context, StatusCodes.Status500InternalServerError, "internal error; the server keeps running.").ConfigureAwait(false);
            }
        });

        StaticAssets.Map(app);
        app.MapGet("/api/health", () => Results.Json(new { status = "ok", model = _options.Model.Name, test_accuracy = TestAccuracy }, s_json));
        app.MapGet("/api/model", () => Results.Json(
            new
            {
                name = _options.Model.Name,
                features = _options.Model.Features,
                steps = _options.Model.Steps,
                test_accuracy = TestAccuracy,
                test_count = _testPredictions.Length,
                classes = FashionMnist.ClassNames,
            },
            s_json));
        app.MapGet("/api/samples", Samples);
        app.MapPost("/api/predict", PredictAsync);
        app.MapFallback("/api/{**rest}", context => Error(context, StatusCodes.Status404NotFound, $"no such endpoint: {context.Request.Method} {context.Request.Path}"));
    }

    private Task Samples(HttpContext context)
    {
        int n = 12;
        string? text = context.Request.Query["n"];
        if (text is not null && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n) || n < 1 || n > _options.MaxSamples))
        {
            return Error(context, StatusCodes.Status400BadRequest, $"n must be an integer from 1 to {_options.MaxSamples}, not '{text}'.");
        }

        int count = _testPredictions.Length;
        n = Math.Min(n, count);
        int[] indices;
        lock (_randomLock)
        {
            indices = [.. Enumerable.Range(0, count).OrderBy(_ => _random.Next()).Take(n)];
        }

        Dataset test = _options.Test;
        var samples = indices.Select(i => new
        {
            index = i,
            label = (int)test.Labels.Span[i],
            name = FashionMnist.ClassNames[test.Labels.Span[i]],
            pixels = test.GetImage(i).ToArray().Select(b => (int)b),
            prediction = ToJson(_testPredictions[i]),
        });
        return Results.Json(samples.ToArray(), s_json).ExecuteAsync(context);
    }

    private async Task PredictAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            await Error(context, StatusCodes.Status400BadRequest, $"Content-Type must be application/json, not '{context.Request.ContentType ?? "(none)"}'.").ConfigureAwait(false);
            return;
        }

        long limit = _options.MaxRequestBodyBytes;
        if (context.Request.ContentLength > DrainLimit(limit))
        {
            // Far too large to read: answer before the body is sent (clients that sent Expect: 100-continue never send
            // it) and close the connection.
            context.Response.Headers.Connection = "close";
            await TooLarge(context).ConfigureAwait(false);
            return;
        }

        // Read the whole body, keeping at most `limit` bytes: answering 413 after the client has sent everything keeps
        // the connection clean (closing with unread data would reset it before the client reads the answer).
        byte[] body;
        long total = 0;
        try
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[16384];
            int n;
            while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (total + n <= limit)
                {
                    buffer.Write(chunk, 0, n);
                }

                total += n;
            }

            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Over Kestrel's drain limit while streaming: stop reading and close.
            context.Response.Headers.Connection = "close";
            await TooLarge(context).ConfigureAwait(false);
            return;
        }

        if (total > limit)
        {
            await TooLarge(context).ConfigureAwait(false);
            return;
        }

        float[]? pixels = PixelRequest.TryParse(body, out string? error);
        if (pixels is null)
        {
            await Error(context, StatusCodes.Status400BadRequest, error!).ConfigureAwait(false);
            return;
        }

        FashionPrediction p = _options.Model.Predict(new ReadOnlySpan2D<float>(pixels, 1, pixels.Length))[0];
        await Results.Json(ToJson(p), s_json).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>Bodies up to this size are read (and discarded) before a 413, so the answer reaches the client intact.</summary>
    internal static long DrainLimit(long limit) => 8 * limit;

    private Task TooLarge(HttpContext context) =>
        Error(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {_options.MaxRequestBodyBytes} bytes.");

    private static object ToJson(FashionPrediction p) => new { label = p.Label, name = p.Name, probabilities = p.Probabilities };

    private static Task Error(HttpContext context, int status, string message) =>
        Results.Json(new { error = message }, s_json, statusCode: status).ExecuteAsync(context);
}
