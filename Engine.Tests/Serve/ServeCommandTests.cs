using FashionCore.Tests.Tools;

namespace FashionCore.Tests.Serve;

public class ServeCommandTests
{
    [Test]
    public void Serve_CorruptModelFile_ExitsTwoWithTheLoadersMessageBeforeListening()
    {
        string model = Path.Combine(Path.GetTempPath(), $"fashioncore-serve-bad-{Environment.ProcessId}.fcm");
        File.WriteAllText(model, "not a model");
        try
        {
            (int code, string stdout, string stderr) = ToolRunner.Run("serve", "--model", model, "--urls", "http://127.0.0.1:0");

            Assert.That(code, Is.EqualTo(2));
            Assert.That(stdout, Does.Not.Contain("listening"));
            Assert.That(stderr.TrimEnd(), Is.EqualTo($"fashion: {model}: not a FashionCore model file (magic bytes differ)."));
        }
        finally
        {
            File.Delete(model);
        }
    }

    [TestCase("localhost:5080")]
    [TestCase("ftp://127.0.0.1:21")]
    [TestCase("https://127.0.0.1:5443")]
    [TestCase(";")]
    public void Serve_BadUrls_ExitsTwoBeforeLoadingAnything(string urls)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run("serve", "--model", "/nonexistent/model.fcm", "--urls", urls);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: --urls: "));
    }

    [TestCase("http://256.1.1.1:5391")]
    [TestCase("http://example.com:5391")]
    [TestCase("http://127.0.0.1:5080;http://myhost:5080")]
    public void Serve_HostNotAnIpAddressOrLocalhost_ExitsTwoWithOneLineInsteadOfListeningEverywhere(string urls)
    {
        (int code, string stdout, string stderr) = ToolRunner.Run("serve", "--model", "/nonexistent/model.fcm", "--urls", urls);

        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.StartWith("fashion: --urls: ").And.Contain("IP address"));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), stderr);
    }

    [Test]
    [Category("Dataset")]
    public void Serve_PortInUse_ExitsTwoWithTheBindError()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

        (int code, string stdout, string stderr) = ToolRunner.Run(
            "serve", "--model", TestModel.Path, "--urls", $"http://127.0.0.1:{port}", "--data", TestData.FashionMnist.Directory);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Does.Not.Contain("listening"));
        Assert.That(stderr, Does.StartWith("fashion: ").And.Contain($"127.0.0.1:{port}"));
        Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Serve_MissingModelFile_ExitsTwo()
    {
        (int code, _, string stderr) = ToolRunner.Run("serve", "--model", "/nonexistent/model.fcm");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith("fashion: /nonexistent/model.fcm: no such model file."));
    }
}
