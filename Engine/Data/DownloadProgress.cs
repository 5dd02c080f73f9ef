namespace FashionCore.Data;

/// <summary>Progress of one file download.</summary>
/// <param name="FileName">The file being fetched.</param>
/// <param name="BytesReceived">Bytes received so far.</param>
/// <param name="TotalBytes">Total size when the server says it, else <see langword="null"/>.</param>
public readonly record struct DownloadProgress(string FileName, long BytesReceived, long? TotalBytes);
