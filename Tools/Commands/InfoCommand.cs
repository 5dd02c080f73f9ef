using System.CommandLine;
using System.Text.Json;
using FashionCore.Data;

namespace FashionCore.Tools.Commands;

/// <summary><c>fashion info</c>: where the data is, how many images per class, and whether the checksums match.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        Option<bool> json = CommonOptions.Json();
        Option<bool> noDownload = CommonOptions.NoDownload();
        Option<int> seed = CommonOptions.Seed();
        seed.Description = "Accepted like every command's --seed (default 0) but unused: nothing here is random.";
        Option<int> threads = CommonOptions.Threads();
        var command = new Command("info", "Show the dataset location, image counts per class, and checksum status.") { data, seed, threads, json, noDownload };
        command.SetAction(result => UserError.Run(() =>
        {
            CommonOptions.CheckSeed(result.GetValue(seed));
            int workers = CommonOptions.CheckThreads(result.GetValue(threads));
            string? dataDirectory = result.GetValue(data);
            bool asJson = result.GetValue(json);
            bool offline = result.GetValue(noDownload);
            return ThreadLimit.Run(workers, () => Run(dataDirectory, asJson, offline));
        }));
        return command;
    }

    private static int Run(string? dataDirectory, bool json, bool noDownload)
    {
        var options = new FashionMnistLocatorOptions
        {
            AllowDownload = !noDownload,
            Progress = json ? null : new Progress<DownloadProgress>(p => Console.Error.Write($"\rdownloading {p.FileName}: {p.BytesReceived / 1024} KiB")),
        };
        FashionMnistData loaded = FashionMnist.Load(dataDirectory, options);
        IReadOnlyList<FileChecksumStatus> checksums = FashionMnist.VerifyChecksums(loaded.Directory);
        int[] train = loaded.Train.CountPerClass();
        int[] test = loaded.Test.CountPerClass();
        bool allValid = checksums.All(c => c.IsValid);
        if (json)
        {
            var payload = new
            {
                directory = loaded.Directory,
                train_count = loaded.Train.Count,
                test_count = loaded.Test.Count,
                image_shape = new[] { loaded.Train.ImageHeight, loaded.Train.ImageWidth },
                classes = FashionMnist.ClassNames.Select((name, k) => new { label = k, name, train = train[k], test = test[k] }),
                checksums = checksums.Select(c => new { file = c.Path, expected_sha256 = c.File.PayloadSha256, actual_sha256 = c.ActualSha256, valid = c.IsValid }),
                checksums_valid = allValid,
            };
            Console.WriteLine(JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Console.WriteLine($"Fashion-MNIST in {loaded.Directory}");
            Console.WriteLine($"  train: {loaded.Train.Count} images, test: {loaded.Test.Count} images, {loaded.Train.ImageHeight}x{loaded.Train.ImageWidth} pixels");
            Console.WriteLine();
            Console.WriteLine($"  {"label",5}  {"class",-12} {"train",6} {"test",6}");
            for (int k = 0; k < FashionMnist.ClassNames.Count; k++)
            {
                Console.WriteLine($"  {k,5}  {FashionMnist.ClassNames[k],-12} {train[k],6} {test[k],6}");
            }

            Console.WriteLine();
            Console.WriteLine("  checksums (SHA-256 of the decompressed files):");
            foreach (FileChecksumStatus c in checksums)
            {
                Console.WriteLine($"    {(c.IsValid ? "ok  " : "BAD ")} {Path.GetFileName(c.Path)}{(c.IsValid ? "" : $" (got {c.ActualSha256}, expected {c.File.PayloadSha256})")}");
            }
        }

        return allValid ? 0 : 1;
    }
}
