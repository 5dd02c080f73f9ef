using BenchmarkDotNet.Running;

namespace FashionCore.Bench;

public static class Program
{
    /// <summary>
    /// <c>stages [REPS] [STAGES]</c> prints the study stages' median seconds as JSON (for <c>compare.py</c>);
    /// anything else goes to BenchmarkDotNet (e.g. <c>--filter '*ScalingBench*'</c>).
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "stages")
        {
            StageTimer.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "loadcheck")
        {
            Environment.ExitCode = LoadCheck.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
