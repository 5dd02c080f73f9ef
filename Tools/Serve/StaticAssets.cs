using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FashionCore.Tools.Serve;

/// <summary>The page's files (<c>Serve/wwwroot</c>), embedded in the tool and served from memory: no CDN, works offline.</summary>
internal static class StaticAssets
{
    private const string Prefix = "wwwroot/";

    // Everything the page loads comes from this server; inline scripts and remote hosts are refused.
    private const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'";

    public static void Map(WebApplication app)
    {
        Assembly assembly = typeof(StaticAssets).Assembly;
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] content = copy.ToArray();
            string name = resource[Prefix.Length..];
            string type = ContentType(name);
            RequestDelegate handler = context =>
            {
                context.Response.ContentType = type;
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return context.Response.Body.WriteAsync(content).AsTask();
            };
            app.MapGet("/" + name, handler);
            if (name == "index.html")
            {
                app.MapGet("/", handler);
            }
        }
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
