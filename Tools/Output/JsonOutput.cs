using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FashionCore.Tools.Output;

/// <summary>Writes a command's <c>--json</c> result: one indented JSON document on stdout (and nothing else there).</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        // '+' in "pca+hog" and the report's text should stay readable, not \u002B-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(JsonNode node) => Write(Console.Out, node);

    /// <summary>Writes <paramref name="node"/> as the command's indented JSON document to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, JsonNode node) => writer.WriteLine(node.ToJsonString(s_options));

    /// <summary>A JSON array of numbers.</summary>
    public static JsonArray Array(ReadOnlySpan<double> values)
    {
        var array = new JsonArray();
        foreach (double v in values)
        {
            array.Add(v);
        }

        return array;
    }

    /// <summary>A JSON array of integers.</summary>
    public static JsonArray Array(ReadOnlySpan<int> values)
    {
        var array = new JsonArray();
        foreach (int v in values)
        {
            array.Add(v);
        }

        return array;
    }

    /// <summary>A grid or option value as JSON (numbers stay numbers).</summary>
    public static JsonNode? Value(object? value) => value switch
    {
        null => null,
        int i => i,
        uint u => u,
        long l => l,
        double d => d,
        float f => f,
        bool b => b,
        ValueTuple<int, int> size => new JsonArray(size.Item1, size.Item2),
        _ => value.ToString(),
    };
}
