using FashionCore.Tools.Prediction;
using FashionCore.Tools.Serve;

namespace FashionCore.Tests.Serve;

/// <summary>One real Kestrel server on 127.0.0.1 with an ephemeral port, shared by the tests of this namespace.</summary>
[SetUpFixture]
public class ServerFixture
{
    private static FashionServer? s_server;

    /// <summary>The running server.</summary>
    public static FashionServer Server => s_server ?? throw new InvalidOperationException("The server fixture has not started.");

    /// <summary>The server's address (http://127.0.0.1:PORT/).</summary>
    public static Uri Address => Server.Addresses[0];

    /// <summary>The model it serves, loaded from <see cref="TestModel.Path"/> like <c>fashion serve</c> does.</summary>
    public static FashionModel Model { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Model = FashionModel.Load(TestModel.Path);
        s_server = await FashionServer.StartAsync(new FashionServerOptions
        {
            Model = Model,
            Test = TestData.FashionMnist.Test,
            Urls = ["http://127.0.0.1:0"],
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (s_server is not null)
        {
            await s_server.DisposeAsync();
        }
    }
}
