namespace FashionCore.Data;

/// <summary>How <see cref="FashionMnistLocator"/> searches for and fetches the data.</summary>
/// <remarks>Every option is checked when it is set, so an options object (and any copy made with <c>with</c>) is always valid.</remarks>
public sealed record FashionMnistLocatorOptions
{
    // HttpClient's own limit: a timeout is positive and at most int.MaxValue milliseconds, or infinite.
    private static readonly TimeSpan s_maxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly IReadOnlyList<Uri> _mirrors = OfficialMirrors;
    private readonly string? _downloadDirectory;
    private readonly IReadOnlyList<string>? _searchDirectories;
    private readonly TimeSpan _timeout = TimeSpan.FromMinutes(5);

    /// <summary>The official mirrors, tried in order.</summary>
    public static IReadOnlyList<Uri> OfficialMirrors { get; } =
    [
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        new("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
    ];

    /// <summary>Whether to download when no local copy is found (default <see langword="true"/>).</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>
    /// Base URLs to download <c>*.gz</c> files from, tried in order (default <see cref="OfficialMirrors"/>); empty disables
    /// downloading. Each is an absolute <c>http</c> or <c>https</c> URL naming a directory: one whose path does not end in
    /// <c>/</c> gets one appended, so <c>http://host/data</c> means <c>http://host/data/</c> (resolving a file name
    /// against it as given would replace <c>data</c> rather than go inside it). The list is copied.
    /// </summary>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A mirror is <see langword="null"/>, relative, or not <c>http</c>/<c>https</c>.</exception>
    public IReadOnlyList<Uri> Mirrors
    {
        get => _mirrors;
        init => _mirrors = NormalizeMirrors(value);
    }

    /// <summary>Where downloads go; <see langword="null"/> (default) means <c>data/fashion-mnist</c> under the repository root, else under the current directory.</summary>
    /// <exception cref="ArgumentException">Set to an empty or blank path.</exception>
    public string? DownloadDirectory
    {
        get => _downloadDirectory;
        init => _downloadDirectory = value is null || !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new ArgumentException("DownloadDirectory must be null (the default place) or a non-blank path.", nameof(DownloadDirectory));
    }

    /// <summary>The places searched after the explicit directory, in order; <see langword="null"/> (default) means
    /// <c>$FASHION_MNIST_DIR</c>, <c>./data/fashion-mnist</c>, <c>&lt;repo&gt;/data/fashion-mnist</c>, <c>/usr/share/datasets/fashion-mnist</c>.
    /// The list is copied.</summary>
    /// <exception cref="ArgumentException">An entry is <see langword="null"/>, empty or blank.</exception>
    public IReadOnlyList<string>? SearchDirectories
    {
        get => _searchDirectories;
        init => _searchDirectories = value is null ? null : CheckDirectories(value);
    }

    /// <summary>Receives download progress (file, bytes so far, total bytes when known).</summary>
    public IProgress<DownloadProgress>? Progress { get; init; }

    /// <summary>Timeout of each HTTP request (default 5 minutes): positive and at most <see cref="int.MaxValue"/> milliseconds,
    /// or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none, as <see cref="HttpClient.Timeout"/> requires.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero, a negative value other than infinite, or more than the maximum.</exception>
    public TimeSpan Timeout
    {
        get => _timeout;
        init => _timeout = (value > TimeSpan.Zero && value <= s_maxTimeout) || value == System.Threading.Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(
                nameof(Timeout), value, $"Timeout must be positive and at most {s_maxTimeout}, or Timeout.InfiniteTimeSpan.");
    }

    private static Uri[] NormalizeMirrors(IReadOnlyList<Uri> mirrors)
    {
        ArgumentNullException.ThrowIfNull(mirrors, nameof(Mirrors));
        var result = new Uri[mirrors.Count];
        for (int i = 0; i < result.Length; i++)
        {
            Uri? mirror = mirrors[i];
            if (mirror is null || !mirror.IsAbsoluteUri || (mirror.Scheme != Uri.UriSchemeHttp && mirror.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException(
                    $"Mirror {i} ('{mirror?.OriginalString ?? "null"}') must be an absolute http or https URL.", nameof(Mirrors));
            }

            if (!mirror.AbsolutePath.EndsWith('/'))
            {
                var builder = new UriBuilder(mirror);
                builder.Path += "/";
                mirror = builder.Uri;
            }

            result[i] = mirror;
        }

        return result;
    }

    private static string[] CheckDirectories(IReadOnlyList<string> directories)
    {
        string[] result = [.. directories];
        for (int i = 0; i < result.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(result[i]))
            {
                throw new ArgumentException($"SearchDirectories[{i}] is null or blank; every entry must be a path.", nameof(SearchDirectories));
            }
        }

        return result;
    }
}
