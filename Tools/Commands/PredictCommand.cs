using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Tools.Imaging;
using FashionCore.Tools.Prediction;

namespace FashionCore.Tools.Commands;

/// <summary><c>fashion predict --model FILE (--test-index I[-J] | --image FILE)</c>: class and probabilities of test images or an image file.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        Option<string?> data = CommonOptions.Data();
        Option<bool> json = CommonOptions.Json();
        Option<bool> noDownload = CommonOptions.NoDownload();
        Option<int> seed = CommonOptions.Seed();
        seed.Description = "Accepted like every command's --seed (default 0) but unused: prediction is deterministic, nothing is drawn at random.";
        Option<int> threads = CommonOptions.Threads();
        Option<string> model = new("--model") { Description = "The model file (from `fashion train --model`).", Required = true };
        Option<string?> testIndex = new("--test-index") { Description = "A test image index I, or an inclusive range I-J (0..9999)." };
        Option<string?> image = new("--image") { Description = "An image file (PNG, JPEG, WebP; any size or colour), converted to 28×28 the Fashion-MNIST way (see README)." };
        var command = new Command("predict", "Classify test images or an image file with a saved model: predicted class and class probabilities.")
        {
            model, testIndex, image, data, seed, threads, json, noDownload,
        };
        command.SetAction(result => UserError.Run(() =>
        {
            CommonOptions.CheckSeed(result.GetValue(seed));
            int workers = CommonOptions.CheckThreads(result.GetValue(threads));
            string? indices = result.GetValue(testIndex);
            string? imagePath = result.GetValue(image);
            if ((indices is null) == (imagePath is null))
            {
                throw new ArgumentException("give exactly one of --test-index I[-J] and --image FILE.");
            }

            string modelPath = result.GetValue(model)!;
            string? dataDirectory = result.GetValue(data);
            bool allowDownload = !result.GetValue(noDownload);
            bool asJson = result.GetValue(json);
            return ThreadLimit.Run(workers, () => Run(modelPath, indices, imagePath, dataDirectory, allowDownload, asJson));
        }));
        return command;
    }

    private static int Run(string modelPath, string? testIndex, string? imagePath, string? dataDirectory, bool allowDownload, bool json)
    {
        FashionModel model = FashionModel.Load(modelPath);
        var rows = new List<object>();
        var lines = new List<string>();
        if (imagePath is not null)
        {
            byte[] pixels = ImageDecoder.LoadFashionImage(imagePath);
            FashionPrediction p = model.Predict(new ReadOnlySpan2D<byte>(pixels, 1, pixels.Length))[0];
            rows.Add(new { index = (int?)null, image = imagePath, label = p.Label, name = p.Name, probabilities = p.Probabilities });
            lines.Add($"{imagePath}: {p.Label} {p.Name} ({p.Probabilities[p.Label]:0.000})");
            AddProbabilityLines(lines, p);
        }
        else
        {
            (int first, int last) = ParseRange(testIndex!);
            Dataset test = FashionMnist.Load(dataDirectory, new FashionMnistLocatorOptions { AllowDownload = allowDownload }).Test;
            if (last >= test.Count)
            {
                throw new ArgumentException($"--test-index {testIndex}: the test set has images 0..{test.Count - 1}.");
            }

            FashionPrediction[] predictions = model.Predict(test.Images.Span.Slice(first, 0, last - first + 1, test.PixelCount));
            for (int i = 0; i < predictions.Length; i++)
            {
                FashionPrediction p = predictions[i];
                int index = first + i;
                int truth = test.Labels.Span[index];
                rows.Add(new { index, label = p.Label, name = p.Name, probabilities = p.Probabilities, true_label = truth, true_name = FashionMnist.ClassNames[truth] });
                lines.Add($"test[{index}]: {p.Label} {p.Name} ({p.Probabilities[p.Label]:0.000}); true {truth} {FashionMnist.ClassNames[truth]}{(truth == p.Label ? "" : "  (wrong)")}");
                if (predictions.Length == 1)
                {
                    AddProbabilityLines(lines, p);
                }
            }
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            lines.ForEach(Console.WriteLine);
        }

        return 0;
    }

    private static void AddProbabilityLines(List<string> lines, FashionPrediction p)
    {
        for (int k = 0; k < p.Probabilities.Count; k++)
        {
            float q = p.Probabilities[k];
            lines.Add($"  {k} {FashionMnist.ClassNames[k],-12} {q,6:0.000} {new string('#', (int)Math.Round(q * 40))}");
        }
    }

    /// <summary>Parses <c>I</c> or <c>I-J</c> (inclusive).</summary>
    internal static (int First, int Last) ParseRange(string text)
    {
        string[] parts = text.Split('-');
        if (parts.Length is < 1 or > 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
            || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last))
        {
            throw new ArgumentException($"--test-index {text}: expected I or I-J with non-negative integers (e.g. 0 or 0-9).");
        }

        if (last < first)
        {
            throw new ArgumentException($"--test-index {text}: the range end {last} is before its start {first}.");
        }

        return (first, last);
    }
}
