namespace FashionCore.Tools.Commands;

/// <summary>Turns the expected failures of a command (missing data, bad files, bad arguments) into a message and exit code 2, without a stack trace.</summary>
internal static class UserError
{
    public const int ExitCode = 2;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"fashion: {e.Message}");
            return ExitCode;
        }
    }

    /// <summary>A command-line parse error: its first line as <c>fashion: …</c> on stderr, and <see cref="ExitCode"/>.</summary>
    public static int Usage(string message)
    {
        Console.Error.WriteLine($"fashion: {message.Split('\n')[0].TrimEnd()}");
        return ExitCode;
    }
}
