using BenchmarkDotNet.Running;

namespace FashionCore.Bench;

public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
