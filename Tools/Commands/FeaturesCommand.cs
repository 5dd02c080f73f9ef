using System.CommandLine;
using System.Text.Json.Nodes;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Data;
using FashionCore.Features;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Selection;
using FashionCore.Tools.Output;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary>
/// <c>fashion features</c>: export one of the study's feature sets for rows of a split, as CSV (label column, then the
/// features) or NumPy <c>.npy</c> (float32 features only), the transform fitted on the whole training set.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var set = new StudyOptionSet(logReg: false);
        set.Seed.Description = "Accepted like every command's --seed (default 0) but unused: pixels, HOG, the scalers and PCA (covariance eigendecomposition) draw nothing at random.";
        Argument<string> kind = new("kind") { Description = "pixels, hog or pca." };
        Option<string> split = new("--split") { Description = "train, test or all (train rows then test rows); default train.", DefaultValueFactory = _ => "train" };
        Option<string?> range = new("--range") { Description = "Rows A..B-1 of the split (A:B; default all)." };
        Option<string> output = new("--out") { Description = "Output file: .csv (header row, label column first) or .npy (float32 matrix).", Required = true };
        var command = new Command("features", "Export pixel, HOG or PCA features of a split as CSV or .npy (transforms fitted on the training set).");
        command.Arguments.Add(kind);
        set.AddTo(command);
        command.Options.Add(split);
        command.Options.Add(range);
        command.Options.Add(output);
        command.SetAction(result => UserError.Run(() =>
        {
            FeatureKind features = (FeatureKind)StudyNames.Parse("kind", result.GetValue(kind) ?? "", ["pixels", "hog", "pca"]);
            StudySettings settings = set.Read(result);
            int splitIndex = StudyNames.Parse("--split", result.GetValue(split) ?? "train", ["train", "test", "all"]);
            string path = result.GetValue(output)!;
            bool npy = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
            if (!npy && !path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                throw new OptionException("--out", $"'{path}' must end in .csv or .npy.");
            }

            _ = ValueParsers.OutputFile("--out", path);

            bool json = result.GetValue(set.Json);
            FashionMnistData data = StudyData.Load(result.GetValue(set.Data), result.GetValue(set.NoDownload), json, settings.Threads);
            int total = splitIndex switch { 0 => data.Train.Count, 1 => data.Test.Count, _ => data.Train.Count + data.Test.Count };
            (int start, int end) = ValueParsers.Range("--range", result.GetValue(range), total);
            return Run(features, settings, data, splitIndex, start, end, path, npy, json);
        }));
        return command;
    }

    private static int Run(FeatureKind kind, StudySettings settings, FashionMnistData data, int split, int start, int end, string path, bool npy, bool json)
    {
        var progress = new ConsoleProgress(json, settings.Threads);
        // Scalers and PCA are fitted on the whole training set; x/255 and HOG learn nothing, so two rows stand in for it.
        TransformChain chain = FeaturePipelines.Features(kind, settings);
        int fitRows = chain.Steps.All(s => s.Estimator is IStatelessTransformerEstimator) ? 2 : data.Train.Count;
        TransformChainModel transform = progress.Stage($"fitting the {StudyNames.Of(kind)} transform on the training set", () =>
            chain.Fit(StudyData.Pixels(data.Train, 0, fitRows)));

        // Rows [start, end) of the split; for "all" the test rows follow the training rows.
        int trainCount = data.Train.Count;
        (int trainStart, int trainEnd) = split switch
        {
            0 => (start, end),
            1 => (0, 0),
            _ => (Math.Min(start, trainCount), Math.Min(end, trainCount)),
        };
        (int testStart, int testEnd) = split switch
        {
            0 => (0, 0),
            1 => (start, end),
            _ => (Math.Max(start, trainCount) - trainCount, Math.Max(end, trainCount) - trainCount),
        };
        int rows = end - start;
        int columns = transform.OutputFeatureCount;
        float[] features = new float[rows * columns];
        int[] labels = [.. StudyData.Labels(data.Train, trainStart, trainEnd), .. StudyData.Labels(data.Test, testStart, testEnd)];
        progress.Stage("computing features", () =>
        {
            int trainRows = trainEnd - trainStart;
            if (trainRows > 0)
            {
                transform.Transform(StudyData.Pixels(data.Train, trainStart, trainEnd).Span, new Span2D<float>(features, 0, trainRows, columns, 0));
            }

            if (testEnd > testStart)
            {
                transform.Transform(StudyData.Pixels(data.Test, testStart, testEnd).Span, new Span2D<float>(features, trainRows * columns, testEnd - testStart, columns, 0));
            }

            return 0;
        });

        var matrix = new ReadOnlyMemory2D<float>(features, rows, columns);
        string prefix = kind switch { FeatureKind.Pixels => "pixel", FeatureKind.Hog => "hog", _ => "pc" };
        progress.Stage($"writing {path}", () =>
        {
            OutputFile.WriteStream(path, stream =>
            {
                if (npy)
                {
                    NpyWriter.Write(stream, matrix.Span);
                }
                else
                {
                    CsvWriter.Write(stream, matrix.Span, labels, prefix);
                }
            });
            return 0;
        });

        string splitName = split switch { 0 => "train", 1 => "test", _ => "all" };
        if (json)
        {
            JsonOutput.Write(new JsonObject
            {
                ["features"] = StudyNames.Of(kind),
                ["scale"] = StudyNames.Of(settings.ScaleFor(kind)),
                ["split"] = splitName,
                ["range"] = JsonOutput.Array([start, end]),
                ["rows"] = rows,
                ["columns"] = columns,
                ["out"] = Path.GetFullPath(path),
                ["format"] = npy ? "npy" : "csv",
                ["transform"] = Summary(transform),
            });
            return 0;
        }

        Console.WriteLine($"{StudyCommandOptions.Describe(kind, settings)}: {rows} rows ({splitName} {start}:{end}) × {columns} columns → {Path.GetFullPath(path)}");
        if (Find<PcaModel>(transform) is PcaModel pca)
        {
            Console.WriteLine($"PCA: {pca.ComponentCount} components explain {Sum(pca.ExplainedVarianceRatio):0.####} of the variance");
        }

        return 0;
    }

    /// <summary>What the fitted transform learned that a user may want: PCA variance ratios, the HOG geometry.</summary>
    private static JsonObject Summary(TransformChainModel transform)
    {
        var summary = new JsonObject { ["steps"] = new JsonArray([.. transform.Names.Select(n => (JsonNode?)n)]) };
        if (Find<HogModel>(transform) is HogModel hog)
        {
            summary["hog"] = new JsonObject
            {
                ["orientations"] = hog.Options.Orientations,
                ["pixels_per_cell"] = JsonOutput.Array([hog.Options.PixelsPerCell.Rows, hog.Options.PixelsPerCell.Columns]),
                ["cells_per_block"] = JsonOutput.Array([hog.Options.CellsPerBlock.Rows, hog.Options.CellsPerBlock.Columns]),
                ["block_norm"] = StudyNames.Of(hog.Options.BlockNorm),
                ["transform_sqrt"] = hog.Options.TransformSqrt,
                ["feature_count"] = hog.OutputFeatureCount,
            };
        }

        if (Find<PcaModel>(transform) is PcaModel pca)
        {
            summary["pca"] = new JsonObject
            {
                ["n_components"] = pca.ComponentCount,
                ["explained_variance_ratio"] = JsonOutput.Array(pca.ExplainedVarianceRatio),
                ["explained_variance_ratio_sum"] = Sum(pca.ExplainedVarianceRatio),
                ["explained_variance"] = JsonOutput.Array(pca.ExplainedVariance),
                ["singular_values"] = JsonOutput.Array(pca.SingularValues),
            };
        }

        return summary;
    }

    private static T? Find<T>(TransformChainModel chain)
        where T : class, ITransformer =>
        chain.Steps.OfType<T>().FirstOrDefault() ?? chain.Steps.OfType<FeatureUnionModel>().SelectMany(u => u.Parts).OfType<T>().FirstOrDefault();

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum;
    }
}
