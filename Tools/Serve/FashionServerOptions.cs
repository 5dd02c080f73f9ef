using FashionCore.Data;
using FashionCore.Tools.Prediction;

namespace FashionCore.Tools.Serve;

/// <summary>What <see cref="FashionServer"/> serves and where.</summary>
public sealed record FashionServerOptions
{
    /// <summary>The default address: loopback only, so nothing is exposed unless the user asks for it.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The model that classifies.</summary>
    public required FashionModel Model { get; init; }

    /// <summary>The test split: the gallery's samples and the reported test accuracy.</summary>
    public required Dataset Test { get; init; }

    /// <summary>Addresses to listen on (<c>http://127.0.0.1:0</c> picks a free port).</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>Seed of the random choice of gallery samples.</summary>
    public int Seed { get; init; }

    /// <summary>Most threads for classifying the test split at start-up, ≥ 1 (default all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Largest accepted request body in bytes (default 1 MiB); larger → 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most samples one <c>/api/samples</c> request may ask for.</summary>
    public int MaxSamples { get; init; } = 100;
}
