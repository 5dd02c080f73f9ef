using FashionCore.Data;

namespace FashionCore.Tests.Tools;

/// <summary>A temporary directory with the four Fashion-MNIST files, small and synthetic, whose test images file is cut short.</summary>
public sealed class CorruptDataDirectory : IDisposable
{
    public CorruptDataDirectory()
    {
        Path = Directory.CreateTempSubdirectory("fashioncore-corrupt-").FullName;
        var random = new Random(7);
        foreach (string split in new[] { "train", "t10k" })
        {
            byte[] pixels = new byte[20 * 28 * 28];
            random.NextBytes(pixels);
            byte[] labels = [.. Enumerable.Range(0, 20).Select(i => (byte)(i % 10))];
            IdxWriter.WriteImages(System.IO.Path.Combine(Path, $"{split}-images-idx3-ubyte.gz"), pixels, 20, 28, 28);
            IdxWriter.WriteLabels(System.IO.Path.Combine(Path, $"{split}-labels-idx1-ubyte.gz"), labels);
        }

        // Random pixels barely compress, so half the file cuts the gzip stream well inside the pixels.
        using var images = new FileStream(CorruptFile, FileMode.Open);
        images.SetLength(images.Length / 2);
    }

    public string Path { get; }

    /// <summary>The truncated file.</summary>
    public string CorruptFile => System.IO.Path.Combine(Path, "t10k-images-idx3-ubyte.gz");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
