namespace FashionCore.Internals;

/// <summary>Helpers for the write-to-temp-then-rename pattern used by every file the engine writes.</summary>
internal static class AtomicFile
{
    /// <summary>A unique temporary path in the same directory as <paramref name="fullPath"/> (so the rename is atomic).</summary>
    public static string TempPathFor(string fullPath)
    {
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
