namespace FashionCore.Data;

/// <summary>The checksum check of one data file.</summary>
/// <param name="File">Which file.</param>
/// <param name="Path">Where it was found, or <see langword="null"/> when missing.</param>
/// <param name="ActualSha256">SHA-256 of the decompressed content, or <see langword="null"/> when missing.</param>
public sealed record FileChecksumStatus(FashionMnistFile File, string? Path, string? ActualSha256)
{
    /// <summary>The file exists and its decompressed content matches the published checksum.</summary>
    public bool IsValid => ActualSha256 is not null && string.Equals(ActualSha256, File.PayloadSha256, StringComparison.Ordinal);
}
