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
        catch (Exception e) when (Expected(e) is Exception mistake)
        {
            Console.Error.WriteLine($"fashion: {Message(mistake)}");
            return ExitCode;
        }
    }

    /// <summary>A command-line parse error: its first line as <c>fashion: …</c> on stderr, and <see cref="ExitCode"/>.</summary>
    public static int Usage(string message)
    {
        Console.Error.WriteLine($"fashion: {message.Split('\n')[0].TrimEnd()}");
        return ExitCode;
    }

    /// <summary>
    /// The user's mistake behind <paramref name="e"/>, or <see langword="null"/> for a bug. Parallel work (Parallel.Invoke,
    /// tasks) wraps what it throws in an <see cref="AggregateException"/>; a corrupt file is no less the user's for it.
    /// </summary>
    internal static Exception? Expected(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            e = aggregate.InnerExceptions[0];
        }

        return e is FileNotFoundException or InvalidDataException or ArgumentException or IOException or UnauthorizedAccessException ? e : null;
    }

    // An engine ArgumentException reads "… (Parameter 'name')" and an out-of-range one adds "Actual value was …" on a
    // second line: names of the code, not of the command line. The locator's FileNotFoundException lists each place it
    // looked, one per line, and is kept whole.
    private static string Message(Exception e) =>
        e is ArgumentException argument ? StudyOptionSet.FirstLine(argument) : e.Message;
}
