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
}
