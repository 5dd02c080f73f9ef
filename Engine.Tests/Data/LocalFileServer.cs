using System.Net;
using System.Net.Sockets;

namespace FashionCore.Tests.Data;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (ephemeral port) standing in for the official mirrors: under <c>/good/</c> it
/// serves the given files, under <c>/corrupt/</c> the same names with damaged content, anything else is 404.
/// </summary>
public sealed class LocalFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files;
    private readonly Task _loop;
    private int _requests;

    public LocalFileServer(Dictionary<string, byte[]> files)
    {
        _files = files;
        int port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUri { get; }

    public int Requests => Volatile.Read(ref _requests);

    public Uri Mirror(string kind) => new(BaseUri, kind + "/");

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            string[] parts = context.Request.Url!.AbsolutePath.Trim('/').Split('/');
            byte[]? body = parts.Length == 2 && _files.TryGetValue(parts[1], out byte[]? content)
                ? parts[0] switch
                {
                    "good" => content,
                    "corrupt" => Corrupt(content),
                    _ => null,
                }
                : null;
            using HttpListenerResponse response = context.Response;
            if (body is null)
            {
                response.StatusCode = 404;
                continue;
            }

            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }
    }

    private static byte[] Corrupt(byte[] content)
    {
        // Still a valid gzip stream, but of different content: only the checksum can catch it.
        byte[] raw;
        using (var gz = new System.IO.Compression.GZipStream(new MemoryStream(content), System.IO.Compression.CompressionMode.Decompress))
        using (var buffer = new MemoryStream())
        {
            gz.CopyTo(buffer);
            raw = buffer.ToArray();
        }

        raw[^1] ^= 0xFF;
        return IdxReaderValidationTests.Gzip(raw);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
