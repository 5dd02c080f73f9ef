using System.Text;

namespace FashionCore.Data;

/// <summary>Finds a directory holding the four Fashion-MNIST files, downloading them as a last resort.</summary>
/// <remarks>
/// Order: an explicit directory (used as given: when it lacks files, they are downloaded into it or the call fails;
/// it never silently falls back elsewhere) → <c>$FASHION_MNIST_DIR</c> → <c>./data/fashion-mnist</c> →
/// <c>&lt;repository root&gt;/data/fashion-mnist</c> → <c>/usr/share/datasets/fashion-mnist</c> (Debian package
/// <c>dataset-fashion-mnist</c>) → download from the official mirrors into <c>data/fashion-mnist</c>.
/// A directory counts when all four files exist (each raw or <c>.gz</c>).
/// </remarks>
public static class FashionMnistLocator
{
    /// <summary>Environment variable naming a directory with the files.</summary>
    public const string EnvironmentVariable = "FASHION_MNIST_DIR";

    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The data directory relative to the repository root or current directory.</summary>
    public static readonly string RelativeDataDirectory = Path.Combine("data", "fashion-mnist");

    /// <summary>Finds (or fetches) the data directory.</summary>
    /// <param name="explicitDirectory">A directory the caller insists on, or <see langword="null"/> to search.</param>
    /// <param name="options">Search and download options; <see langword="null"/> for defaults.</param>
    /// <returns>Full path of a directory holding all four files.</returns>
    /// <exception cref="ArgumentException"><paramref name="explicitDirectory"/> is empty or blank. (Bad options are rejected
    /// when they are set; see <see cref="FashionMnistLocatorOptions"/>.)</exception>
    /// <exception cref="FileNotFoundException">Nothing worked, including a download that failed (unreachable mirrors, a
    /// timeout, a corrupt copy, an unwritable directory); the message lists each place tried, why it failed, and how to get the data.</exception>
    public static string Locate(string? explicitDirectory = null, FashionMnistLocatorOptions? options = null)
    {
        if (explicitDirectory is not null && string.IsNullOrWhiteSpace(explicitDirectory))
        {
            throw new ArgumentException("explicitDirectory must be null (search the usual places) or a non-blank path.", nameof(explicitDirectory));
        }

        options ??= new FashionMnistLocatorOptions();
        var tried = new List<string>();
        if (explicitDirectory is not null)
        {
            string dir = Path.GetFullPath(explicitDirectory);
            if (HasAllFiles(dir, out string missing))
            {
                return dir;
            }

            tried.Add($"{dir} (given explicitly): {missing}");
            return DownloadOrThrow(dir, options, tried);
        }

        foreach (string candidate in options.SearchDirectories ?? DefaultSearchDirectories())
        {
            string dir = Path.GetFullPath(candidate);
            if (HasAllFiles(dir, out string missing))
            {
                return dir;
            }

            tried.Add($"{dir}: {missing}");
        }

        string target = options.DownloadDirectory ?? Path.Combine(FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), RelativeDataDirectory);
        return DownloadOrThrow(Path.GetFullPath(target), options, tried);
    }

    /// <summary>The default search list after an explicit directory (see the class remarks).</summary>
    public static IReadOnlyList<string> DefaultSearchDirectories()
    {
        var list = new List<string>();
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            list.Add(env);
        }

        list.Add(Path.Combine(Directory.GetCurrentDirectory(), RelativeDataDirectory));
        string? root = FindRepositoryRoot();
        if (root is not null)
        {
            list.Add(Path.Combine(root, RelativeDataDirectory));
        }

        list.Add(SystemDirectory);
        return list;
    }

    /// <summary>The nearest ancestor of the current directory (or of the application's directory) holding <c>FashionCore.sln</c>.</summary>
    /// <returns>The repository root, or <see langword="null"/> outside a checkout.</returns>
    public static string? FindRepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "FashionCore.sln")))
                {
                    return d.FullName;
                }
            }
        }

        return null;
    }

    private static bool HasAllFiles(string dir, out string missing)
    {
        if (!Directory.Exists(dir))
        {
            missing = "no such directory";
            return false;
        }

        var absent = FashionMnist.Files
            .Where(f => !File.Exists(Path.Combine(dir, f.GzipName)) && !File.Exists(Path.Combine(dir, f.BaseName)))
            .Select(f => f.GzipName)
            .ToList();
        missing = absent.Count == 0 ? "" : "missing " + string.Join(", ", absent);
        return absent.Count == 0;
    }

    private static string DownloadOrThrow(string target, FashionMnistLocatorOptions options, List<string> tried)
    {
        if (options.AllowDownload && options.Mirrors.Count > 0)
        {
            try
            {
                FashionMnistDownloader.DownloadMissing(target, options);
                return target;
            }
            catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException or InvalidDataException or UnauthorizedAccessException)
            {
                tried.Add($"download into {target}: {e.Message}");
            }
        }
        else
        {
            tried.Add("download: disabled");
        }

        var message = new StringBuilder("Fashion-MNIST data not found. Tried:");
        foreach (string t in tried)
        {
            message.Append("\n  - ").Append(t);
        }

        message.Append("\nTo get the data: `apt-get install dataset-fashion-mnist` (installs into ")
            .Append(SystemDirectory)
            .Append("), or download the four *.gz files from ")
            .Append(FashionMnistLocatorOptions.OfficialMirrors[0])
            .Append(" into ./")
            .Append(RelativeDataDirectory.Replace('\\', '/'))
            .Append(", or set ")
            .Append(EnvironmentVariable)
            .Append(" to a directory holding them.");
        throw new FileNotFoundException(message.ToString());
    }
}
