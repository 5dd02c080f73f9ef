using System.IO.Compression;
using System.Text.Json;
using FashionCore.Data;
using FashionCore.Features.Hog;

namespace FashionCore.Tests.Features.Hog;

/// <summary>Reads the skimage goldens of Golden/hog (made by make_hog_golden.py) and the images they index.</summary>
internal static class HogGolden
{
    public static JsonDocument Load(string fileName)
    {
        string path = TestData.GoldenPath("hog/" + fileName);
        using FileStream file = File.OpenRead(path);
        if (fileName.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            return JsonDocument.Parse(gzip);
        }

        return JsonDocument.Parse(file);
    }

    /// <summary>The options of a golden entry (skimage argument names).</summary>
    public static HogOptions Options(JsonElement options) => new()
    {
        Orientations = options.GetProperty("orientations").GetInt32(),
        PixelsPerCell = (options.GetProperty("pixels_per_cell")[0].GetInt32(), options.GetProperty("pixels_per_cell")[1].GetInt32()),
        CellsPerBlock = (options.GetProperty("cells_per_block")[0].GetInt32(), options.GetProperty("cells_per_block")[1].GetInt32()),
        BlockNorm = Enum.Parse<HogBlockNorm>(options.GetProperty("block_norm_cs").GetString()!),
        TransformSqrt = options.GetProperty("transform_sqrt").GetBoolean(),
    };

    public static double[] Doubles(JsonElement array)
    {
        double[] values = new double[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement value in array.EnumerateArray())
        {
            values[i++] = value.GetDouble();
        }

        return values;
    }

    /// <summary>Image <paramref name="index"/> of train followed by test (test image j is 60000 + j).</summary>
    public static ReadOnlySpan<byte> Image(int index)
    {
        FashionMnistData data = TestData.FashionMnist;
        return index < data.Train.Count ? data.Train.GetImage(index) : data.Test.GetImage(index - data.Train.Count);
    }

    /// <summary>Index and value of the first difference, for a readable failure.</summary>
    public static string FirstDifference(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                return $"first difference at {i}: expected {expected[i]:R}, got {actual[i]:R}";
            }
        }

        return "identical";
    }
}
