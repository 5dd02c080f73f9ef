using FashionCore.Internals;

namespace FashionCore.Data;

/// <summary>Downloads missing Fashion-MNIST files, verifying each before it appears under its final name.</summary>
public static class FashionMnistDownloader
{
    /// <summary>Downloads every file missing from <paramref name="directory"/> from the first mirror that serves a valid copy.</summary>
    /// <param name="directory">Target directory (created if needed).</param>
    /// <param name="options">Mirrors, timeout and progress.</param>
    /// <exception cref="IOException">No mirror served a valid copy of some file; the message lists each attempt.</exception>
    /// <remarks>
    /// Each file goes to a temporary file in the target directory, is checked by the SHA-256 of its decompressed
    /// content, and only then renamed into place, so an interrupted or corrupt download never looks like data.
    /// </remarks>
    public static void DownloadMissing(string directory, FashionMnistLocatorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(directory);
        using var client = new HttpClient { Timeout = options.Timeout };
        foreach (FashionMnistFile file in FashionMnist.Files)
        {
            string final = Path.Combine(directory, file.GzipName);
            if (File.Exists(final) || File.Exists(Path.Combine(directory, file.BaseName)))
            {
                continue;
            }

            var errors = new List<string>();
            bool done = false;
            foreach (Uri mirror in options.Mirrors)
            {
                var url = new Uri(mirror, file.GzipName);
                try
                {
                    DownloadOne(client, url, final, file, options.Progress);
                    done = true;
                    break;
                }
                catch (Exception e) when (e is IOException or HttpRequestException or TaskCanceledException or InvalidDataException)
                {
                    errors.Add($"{url}: {e.Message}");
                }
            }

            if (!done)
            {
                throw new IOException($"could not download {file.GzipName}: " + string.Join("; ", errors));
            }
        }
    }

    private static void DownloadOne(HttpClient client, Uri url, string final, FashionMnistFile file, IProgress<DownloadProgress>? progress)
    {
        string temp = AtomicFile.TempPathFor(final);
        try
        {
            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            using (HttpResponseMessage response = client.Send(request, HttpCompletionOption.ResponseHeadersRead))
            {
                response.EnsureSuccessStatusCode();
                long? total = response.Content.Headers.ContentLength;
                using Stream body = response.Content.ReadAsStream();
                using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                byte[] buffer = new byte[1 << 16];
                long received = 0;
                int n;
                while ((n = body.Read(buffer)) > 0)
                {
                    output.Write(buffer, 0, n);
                    received += n;
                    progress?.Report(new DownloadProgress(file.GzipName, received, total));
                }

                output.Flush(flushToDisk: true);
            }

            string actual = FashionMnist.ComputePayloadSha256(temp);
            if (!string.Equals(actual, file.PayloadSha256, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"decompressed SHA-256 is {actual}, expected {file.PayloadSha256}");
            }

            File.Move(temp, final, overwrite: false);
        }
        finally
        {
            AtomicFile.TryDelete(temp);
        }
    }
}
