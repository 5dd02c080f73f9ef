using BenchmarkDotNet.Attributes;
using FashionCore.Data;

namespace FashionCore.Bench;

/// <summary>Loading all 70 000 images and labels from the four .gz files (the peer's <c>load</c> stage).</summary>
[MemoryDiagnoser]
public class DataBench
{
    private string _directory = "";

    [GlobalSetup]
    public void Setup() => _directory = FashionMnistLocator.Locate(options: new FashionMnistLocatorOptions { AllowDownload = false });

    [Benchmark]
    public FashionMnistData LoadAll70k() => FashionMnist.LoadFrom(_directory);
}
