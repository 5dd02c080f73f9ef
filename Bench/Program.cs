using BenchmarkDotNet.Running;

namespace FashionCore.Bench;

public static class Program
{
    /// <summary>
    /// BenchmarkDotNet suites (e.g. <c>--filter '*ScalingBench*'</c>). The study's stage timings are <c>fashion bench</c>
    /// (Tools), which <c>compare.py</c> runs side by side with the scikit-learn peer.
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "loadcheck")
        {
            Environment.ExitCode = LoadCheck.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "pcaprofile")
        {
            Environment.ExitCode = PcaProfile.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
