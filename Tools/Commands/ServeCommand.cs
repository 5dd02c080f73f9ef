using System.CommandLine;
using System.Text.Json.Nodes;
using FashionCore.Data;
using FashionCore.Tools.Output;
using FashionCore.Tools.Prediction;
using FashionCore.Tools.Serve;

namespace FashionCore.Tools.Commands;

/// <summary><c>fashion serve --model FILE [--urls URL[;URL…]]</c>: the local web page and JSON API.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        Option<int> seed = CommonOptions.Seed();
        seed.Description = "Seed of the random choice of gallery samples (default 0).";
        Option<int> threads = CommonOptions.Threads();
        threads.Description = "Most threads for classifying the test set at start-up, >= 1 (default: all cores); a request classifies one image on its own thread.";
        Option<bool> json = CommonOptions.Json();
        json.Description = "Print the start-up summary (model, test accuracy, addresses) as one JSON object on stdout instead of text.";
        Option<bool> noDownload = CommonOptions.NoDownload();
        Option<string> model = new("--model") { Description = "The model file (from `fashion train --model`).", Required = true };
        Option<string> urls = new("--urls")
        {
            Description = $"Addresses to listen on, separated by ';' (default {FashionServerOptions.DefaultUrl}: this machine only).",
            DefaultValueFactory = _ => FashionServerOptions.DefaultUrl,
        };
        var command = new Command("serve", "Serve a web page and JSON API that classify test images and uploaded pictures with a saved model.")
        {
            model, urls, data, seed, threads, json, noDownload,
        };
        command.SetAction(result => UserError.Run(() =>
            Run(
                result.GetValue(model)!,
                result.GetValue(urls)!,
                result.GetValue(data),
                new FashionMnistLocatorOptions { AllowDownload = !result.GetValue(noDownload) },
                (int)CommonOptions.CheckSeed(result.GetValue(seed)),
                CommonOptions.CheckThreads(result.GetValue(threads)),
                result.GetValue(json))));
        return command;
    }

    private static int Run(string modelPath, string urls, string? dataDirectory, FashionMnistLocatorOptions locator, int seed, int threads, bool json)
    {
        // Everything that can fail on the user's input fails here, before anything listens.
        string[] addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string address in addresses)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
            {
                throw new ArgumentException($"--urls: '{address}' is not an http://HOST:PORT address (https needs a certificate setup this command does not do).");
            }

            // Kestrel binds any host it cannot read as an IP address (a name, or a mistyped address such as 256.1.1.1)
            // to every interface, which would put the page on the network unasked.
            if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && !string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--urls: '{address}': the host must be an IP address (e.g. 127.0.0.1, 0.0.0.0 for every interface) or localhost, got '{uri.Host}'.");
            }
        }

        if (addresses.Length == 0)
        {
            throw new ArgumentException("--urls: no address given.");
        }

        FashionModel model = FashionModel.Load(modelPath);
        Dataset test = ThreadLimit.Run(threads, () => FashionMnist.Load(dataDirectory, locator).Test);
        var options = new FashionServerOptions
        {
            Model = model,
            Test = test,
            Urls = addresses,
            Seed = seed,
            Threads = threads,
        };
        FashionServer server = FashionServer.StartAsync(options).GetAwaiter().GetResult();
        try
        {
            if (json)
            {
                JsonOutput.Write(new JsonObject
                {
                    ["model"] = model.Name,
                    ["features"] = model.Features,
                    ["test_accuracy"] = server.TestAccuracy,
                    ["urls"] = new JsonArray([.. server.Addresses.Select(a => (JsonNode)a.ToString())]),
                });
            }
            else
            {
                Console.WriteLine($"fashion serve: {model.Name} ({model.Features}), test accuracy {server.TestAccuracy:0.0000}");
                foreach (Uri address in server.Addresses)
                {
                    Console.WriteLine($"listening on {address}  (Ctrl+C stops)");
                }
            }

            server.WaitForShutdownAsync().GetAwaiter().GetResult();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return 0;
    }
}
