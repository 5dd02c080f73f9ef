using System.CommandLine;
using System.Text.Json.Nodes;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Data;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Models.Clustering;
using FashionCore.Tools.Output;
using FashionCore.Tools.Report.Plots;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary>
/// <c>fashion kmeans</c>: the study's k-means elbow — k-means for each k on the standardized training images of some
/// classes, the inertia (SSE) curve and its knee, cluster sizes, and agreement with the true labels.
/// </summary>
internal static class KMeansCommand
{
    /// <summary>The rows of the Fashion-MNIST training set: no selection can hold more images, so no k can be larger.</summary>
    private const int TrainingRows = 60_000;

    public static Command Create()
    {
        var set = new StudyOptionSet(hog: false, pca: false, logReg: false);
        Option<string> classes = new("--classes") { Description = "Training images of these labels (default 0-4, the study's 5-class subset).", DefaultValueFactory = _ => "0-4" };
        Option<string> ks = new("--k") { Description = "The cluster counts (default 1-10).", DefaultValueFactory = _ => "1-10" };
        Option<int> inits = ValueParsers.Int("--n-init", "k-means++ initialisations per k; the best is kept (default 10).", 10);
        Option<string?> range = StudyCommandOptions.TrainRange();
        Option<string?> plot = new("--plot") { Description = "Also write the elbow curve (SSE against k, knee marked) as a PNG file." };
        Option<string?> scatter = new("--scatter3d")
        {
            Description = "Also write a self-contained HTML page: the subset on its first three principal components, coloured by cluster and by true label "
                + "(clusters of k = the number of classes when that k is computed, as the study's k=5 on 5 classes; otherwise of the knee's k).",
        };
        var command = new Command("kmeans", "k-means elbow on a class subset of the training set: inertia per k, the knee, cluster sizes.");
        set.AddTo(command);
        command.Options.Add(classes);
        command.Options.Add(ks);
        command.Options.Add(inits);
        command.Options.Add(range);
        command.Options.Add(plot);
        command.Options.Add(scatter);
        command.SetAction(result => UserError.Run(() =>
        {
            StudySettings settings = set.Read(result);
            int[] labels = ValueParsers.IntegerList("--classes", result.GetValue(classes) ?? "0-4", 0, 9);
            // Bounded by the training rows before the list is expanded: a larger k can never be fitted, and 1-2147483647
            // would otherwise build two billion entries before the data is even loaded.
            int[] counts = ValueParsers.IntegerList("--k", result.GetValue(ks) ?? "1-10", 1, TrainingRows);
            int nInit = result.GetValue(inits);
            if (nInit < 1)
            {
                throw new OptionException("--n-init", $"must be at least 1, got {nInit}.");
            }

            string? plotPath = OutputPath("--plot", result.GetValue(plot), ".png");
            string? scatterPath = OutputPath("--scatter3d", result.GetValue(scatter), ".html");
            bool json = result.GetValue(set.Json);
            Dataset train = KMeansRehearsal.WhileLoading(
                settings.Threads,
                () => StudyData.LoadTrain(result.GetValue(set.Data), result.GetValue(set.NoDownload), json, settings.Threads),
                (tiny, tinyCounts, tinyInits) => RunQuietly(settings, tiny, labels, tinyCounts, tinyInits, json, TextWriter.Null),
                labels,
                counts.Length * nInit);
            (int start, int end) = ValueParsers.Range("--range", result.GetValue(range), train.Count);
            return Run(settings, train, start, end, labels, counts, nInit, new(json, Console.Out, Progress: true), new(plotPath, scatterPath));
        }));
        return command;
    }

    /// <summary>The command's work on all of <paramref name="train"/>, its result written to <paramref name="writer"/>, no progress display, no pictures (the rehearsal).</summary>
    internal static int RunQuietly(StudySettings settings, Dataset train, int[] classes, int[] counts, int nInit, bool json, TextWriter writer) =>
        Run(settings, train, 0, train.Count, classes, counts, nInit, new(json, writer, Progress: false), default);

    private static int Run(StudySettings settings, Dataset train, int start, int end, int[] classes, int[] counts, int nInit, Output output, Pictures pictures)
    {
        bool json = output.Json;
        // As the study: the scaler is fitted on all training rows of --range (all 60 000 by default), then the rows of the
        // chosen classes are taken. The standard scaler is fitted straight from the pixel bytes (bit-identical to fitting
        // their float copy), so only the selected rows are ever widened to float.
        int width = train.PixelCount;
        ReadOnlyMemory2D<byte> images = train.Images.Slice(start, 0, end - start, width);
        int[] y = StudyData.Labels(train, start, end);
        ScaleKind scale = settings.Scale ?? ScaleKind.Standard;
        ITransformer? fitted = FeaturePipelines.Scaler(scale) switch
        {
            StandardScaler standard => ThreadLimit.Run(settings.Threads, () => standard.Fit(images)),
            ITransformerEstimator<ITransformer> scaler => ThreadLimit.Run(settings.Threads, () => scaler.Fit(StudyData.Pixels(train, start, end))),
            null => null,
        };

        int[] rows = [.. Enumerable.Range(0, y.Length).Where(i => Array.BinarySearch(classes, y[i]) >= 0)];
        if (counts[^1] > rows.Length)
        {
            throw new OptionException("--k", $"k={counts[^1]} exceeds the {rows.Length} selected images.");
        }

        // The selected rows are widened to float and scaled straight into their place in the data, on all allowed threads
        // (the scalers work row by row, so each gets the values a scaled copy of all rows would hold).
        float[] all = ThreadLimit.Run(settings.Threads, () => RowSubset.Widen(images, rows, fitted));
        int[] truth = new int[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            truth[r] = y[rows[r]];
        }

        var x = new ReadOnlyMemory2D<float>(all, rows.Length, width);
        KMeansModel[] models = new ConsoleProgress(json || !output.Progress, settings.Threads).Bar($"k-means for k = {string.Join(",", counts)}", counts.Length, progress =>
            KMeansElbow.FitEach(x, counts, new KMeansOptions { InitCount = nInit, RandomState = settings.Seed }, (i, _) => progress?.Report(new(i + 1, counts.Length))));

        double[] inertia = [.. models.Select(m => m.Inertia)];
        int knee = KMeansElbow.FindKnee([.. counts.Select(k => (double)k)], inertia);
        WritePictures(pictures, x, truth, classes, counts, models, inertia, knee, nInit, json, settings.Threads);
        if (json)
        {
            var perK = new JsonArray();
            for (int i = 0; i < counts.Length; i++)
            {
                perK.Add(new JsonObject
                {
                    ["k"] = counts[i],
                    ["inertia"] = models[i].Inertia,
                    ["n_iter"] = models[i].Iterations,
                    ["sizes"] = JsonOutput.Array(ClusterSizes.Of(models[i])),
                    ["adjusted_rand_index"] = ClusterAgreement.AdjustedRandIndex(truth, models[i].Labels),
                });
            }

            JsonOutput.Write(output.Writer, new JsonObject
            {
                ["classes"] = JsonOutput.Array(classes),
                ["rows"] = rows.Length,
                ["scale"] = StudyNames.Of(scale),
                ["n_init"] = nInit,
                ["seed"] = settings.Seed,
                ["k"] = JsonOutput.Array(counts),
                ["inertia"] = JsonOutput.Array(inertia),
                ["knee"] = knee >= 0 ? counts[knee] : null,
                ["results"] = perK,
            });
            return 0;
        }

        output.Writer.WriteLine($"k-means (k-means++, n_init={nInit}, seed {settings.Seed}) on {rows.Length} training images of classes {string.Join(",", classes)}, scale {StudyNames.Of(scale)}:");
        output.Writer.WriteLine($"  {"k",3}  {"inertia (SSE)",16}  {"n_iter",6}  {"ARI",6}  cluster sizes");
        for (int i = 0; i < counts.Length; i++)
        {
            string mark = i == knee ? "  ← knee" : "";
            output.Writer.WriteLine(
                $"  {counts[i],3}  {models[i].Inertia,16:0.###}  {models[i].Iterations,6}  {ClusterAgreement.AdjustedRandIndex(truth, models[i].Labels),6:0.###}  {string.Join(" ", ClusterSizes.Of(models[i]))}{mark}");
        }

        output.Writer.WriteLine(knee >= 0 ? $"knee (elbow) at k = {counts[knee]}" : "no knee: the curve has fewer than 3 points or no bend");
        return 0;
    }

    private static string? OutputPath(string option, string? path, string extension)
    {
        if (path is null)
        {
            return null;
        }

        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new OptionException(option, $"must name a {extension} file, got '{path}'.");
        }

        return ValueParsers.OutputFile(option, path);
    }

    private static void WritePictures(
        Pictures pictures, ReadOnlyMemory2D<float> x, int[] truth, int[] classes, int[] counts, KMeansModel[] models, double[] inertia, int knee, int nInit, bool json, int threads)
    {
        if (pictures.Elbow is { } elbow)
        {
            ElbowPlot.Save(elbow, counts, inertia, knee, $"k-means elbow, classes {string.Join(",", classes)} ({x.Height} rows), n_init={nInit}");
        }

        if (pictures.Scatter is not { } scatter)
        {
            return;
        }

        int shown = Array.IndexOf(counts, classes.Length);
        shown = shown >= 0 ? shown : Math.Max(knee, 0);
        KMeansModel model = models[shown];
        float[] points = new ConsoleProgress(json, threads).Stage("PCA-3 view of the subset", () =>
        {
            PcaModel pca = new Pca(new PcaOptions { Components = 3, MaxDegreeOfParallelism = threads }).Fit(x);
            float[] projected = new float[x.Height * 3];
            pca.Transform(x.Span, new Span2D<float>(projected, x.Height, 3));
            return projected;
        });
        int[] labelGroups = [.. truth.Select(t => Array.IndexOf(classes, t))];
        Scatter3dPage.Save(
            scatter,
            $"k-means (k={model.ClusterCount}) on Fashion-MNIST classes {string.Join(",", classes)}, PCA-3 view",
            points,
            [
                new Scatter3dColouring("coloured by k-means cluster", [.. model.Labels], [.. Enumerable.Range(0, model.ClusterCount).Select(c => $"cluster {c}")]),
                new Scatter3dColouring("coloured by true label", labelGroups, [.. classes.Select(c => FashionMnist.ClassNames[c])]),
            ],
            description: $"{x.Height} training images projected on their first three principal components; adjusted Rand index {ClusterAgreement.AdjustedRandIndex(truth, model.Labels):F4}.");
    }

    private readonly record struct Pictures(string? Elbow, string? Scatter);

    /// <summary>Where the result goes: JSON or text on <paramref name="Writer"/>; progress bars on stderr only when <paramref name="Progress"/>.</summary>
    private readonly record struct Output(bool Json, TextWriter Writer, bool Progress);
}
