using System.Text;

namespace FashionCore.Tools.Output;

/// <summary>Writes output files atomically: to a temporary file in the same directory, then renamed over the target, so a reader never sees half a file.</summary>
public static class OutputFile
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes UTF-8 text (no BOM).</summary>
    /// <param name="path">Target file.</param>
    /// <param name="text">Content.</param>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, s_utf8.GetBytes(text));

    /// <summary>Writes bytes.</summary>
    /// <param name="path">Target file.</param>
    /// <param name="bytes">Content.</param>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, temp => File.WriteAllBytes(temp, bytes));

    /// <summary>Lets <paramref name="write"/> fill a stream on a temporary file, flushed to disk, then renames it to <paramref name="path"/>.</summary>
    /// <param name="path">Target file.</param>
    /// <param name="write">Writes the complete content to the stream.</param>
    public static void WriteStream(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(stream);
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>Lets <paramref name="write"/> fill a temporary file, then renames it to <paramref name="path"/>; the temporary file is removed on failure.</summary>
    /// <param name="path">Target file.</param>
    /// <param name="write">Writes the complete content to the path it is given.</param>
    public static void Write(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
