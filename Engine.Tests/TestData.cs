using FashionCore.Data;

namespace FashionCore.Tests;

/// <summary>The real Fashion-MNIST data, loaded once per test run and shared (read-only) by every test.</summary>
/// <remarks>
/// Tests that use it carry <c>[Category("Dataset")]</c>. When the data cannot be found they fail with the locator's
/// message (which says how to install it); they are never skipped silently. Downloads are disabled here: CI installs
/// the Debian package.
/// </remarks>
public static class TestData
{
    private static readonly Lazy<FashionMnistData> s_data = new(
        () => FashionCore.Data.FashionMnist.Load(options: new FashionMnistLocatorOptions { AllowDownload = false }));

    /// <summary>Both splits of the real data.</summary>
    public static FashionMnistData FashionMnist => s_data.Value;

    /// <summary>Full path of a file copied into the test output's <c>Golden</c> folder.</summary>
    public static string GoldenPath(string fileName) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Golden", fileName);
}
