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

    [Test]
    public void Serve_MissingModelFile_ExitsTwo()
    {
        (int code, _, string stderr) = ToolRunner.Run("serve", "--model", "/nonexistent/model.fcm");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith("fashion: /nonexistent/model.fcm: no such model file."));
    }
}
