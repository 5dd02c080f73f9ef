namespace FashionCore.Data;

/// <summary>How <see cref="FashionMnistLocator"/> searches for and fetches the data.</summary>
public sealed record FashionMnistLocatorOptions
{
    /// <summary>The official mirrors, tried in order.</summary>
    public static IReadOnlyList<Uri> OfficialMirrors { get; } =
    [
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        new("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
    ];

    /// <summary>Whether to download when no local copy is found (default <see langword="true"/>).</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Base URLs to download <c>*.gz</c> files from, tried in order (default <see cref="OfficialMirrors"/>).</summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = OfficialMirrors;

    /// <summary>Where downloads go; <see langword="null"/> (default) means <c>data/fashion-mnist</c> under the repository root, else under the current directory.</summary>
    public string? DownloadDirectory { get; init; }

    /// <summary>The places searched after the explicit directory, in order; <see langword="null"/> (default) means
    /// <c>$FASHION_MNIST_DIR</c>, <c>./data/fashion-mnist</c>, <c>&lt;repo&gt;/data/fashion-mnist</c>, <c>/usr/share/datasets/fashion-mnist</c>.</summary>
    public IReadOnlyList<string>? SearchDirectories { get; init; }

    /// <summary>Receives download progress (file, bytes so far, total bytes when known).</summary>
    public IProgress<DownloadProgress>? Progress { get; init; }

    /// <summary>Timeout of each HTTP request (default 5 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
