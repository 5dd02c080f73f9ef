using System.Text.Json;

namespace FashionCore.Tests.Golden;

/// <summary>Reads golden JSON files (written by the make_*.py scripts beside them).</summary>
public static class GoldenJson
{
    /// <summary>Parses <c>Golden/&lt;relativePath&gt;</c> from the test output directory.</summary>
    public static JsonElement Load(string relativePath)
    {
        using FileStream stream = File.OpenRead(TestData.GoldenPath(relativePath));
        using JsonDocument doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    }

    /// <summary>A JSON number array as doubles (exact: the files hold shortest round-trip reprs).</summary>
    public static double[] Doubles(this JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetDouble())];

    /// <summary>A JSON number array as ints.</summary>
    public static int[] Ints(this JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetInt32())];
}
