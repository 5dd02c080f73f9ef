namespace FashionCore.Tests.Tools;

/// <summary>Runs the <c>fashion</c> tool in-process, capturing stdout and stderr.</summary>
public static class ToolRunner
{
    private static readonly Lock s_console = new();

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        lock (s_console)
        {
            TextWriter oldOut = Console.Out;
            TextWriter oldErr = Console.Error;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try
            {
                int code = FashionCore.Tools.Program.Main(args);
                return (code, stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }

    /// <summary>What <paramref name="action"/> writes to stderr (serialised with <see cref="Run"/>).</summary>
    public static string Stderr(Action action)
    {
        lock (s_console)
        {
            TextWriter oldErr = Console.Error;
            var stderr = new StringWriter();
            Console.SetError(stderr);
            try
            {
                action();
                return stderr.ToString();
            }
            finally
            {
                Console.SetError(oldErr);
            }
        }
    }
}
