namespace FashionCore.Data;

/// <summary>One of the four Fashion-MNIST files, with the SHA-256 of its decompressed content.</summary>
/// <param name="BaseName">File name without <c>.gz</c> (e.g. <c>train-images-idx3-ubyte</c>).</param>
/// <param name="PayloadSha256">Lower-case hex SHA-256 of the decompressed file (header + payload). The decompressed bytes
/// are checked because repackagers recompress, so the <c>.gz</c> checksums differ between sources.</param>
public sealed record FashionMnistFile(string BaseName, string PayloadSha256)
{
    /// <summary>The compressed file name, as the official mirrors serve it.</summary>
    public string GzipName => BaseName + ".gz";
}
