using System.Text.Json;
using FashionCore.Data;

namespace FashionCore.Tools.Serve;

/// <summary>Parses and validates the body of <c>POST /api/predict</c>: <c>{"pixels":[784 numbers in 0..255]}</c>.</summary>
public static class PixelRequest
{
    /// <summary>Parses <paramref name="body"/>; on failure returns null and a message saying what was wrong.</summary>
    /// <param name="body">The UTF-8 request body.</param>
    /// <param name="error">Why the body was rejected, or null.</param>
    /// <returns>784 pixel values, or null.</returns>
    public static float[]? TryParse(ReadOnlyMemory<byte> body, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            error = $"the body is not valid JSON: {e.Message}";
            return null;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("pixels", out JsonElement pixels))
            {
                error = "expected a JSON object with a \"pixels\" array of 784 numbers (0..255).";
                return null;
            }

            if (pixels.ValueKind != JsonValueKind.Array)
            {
                error = $"\"pixels\" must be an array of {FashionMnist.PixelCount} numbers, not {pixels.ValueKind.ToString().ToLowerInvariant()}.";
                return null;
            }

            int length = pixels.GetArrayLength();
            if (length != FashionMnist.PixelCount)
            {
                error = $"\"pixels\" has {length} values; a 28×28 image needs {FashionMnist.PixelCount}.";
                return null;
            }

            float[] values = new float[length];
            int i = 0;
            foreach (JsonElement e in pixels.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v) || !double.IsFinite(v))
                {
                    error = $"pixels[{i}] is not a finite number ({Describe(e)}).";
                    return null;
                }

                if (v is < 0 or > 255)
                {
                    error = $"pixels[{i}] = {e.GetRawText()} is outside 0..255.";
                    return null;
                }

                values[i++] = (float)v;
            }

            error = null;
            return values;
        }
    }

    private static string Describe(JsonElement e)
    {
        string raw = e.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }
}
