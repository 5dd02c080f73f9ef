using System.Diagnostics;
using FashionCore.Data;
using FashionCore.Persistence;
using FashionCore.Tools.Output;
using FashionCore.Tools.Report.Plots;

namespace FashionCore.Tools.Report;

/// <summary>Runs the study and writes the whole report directory: report.md, report.json, the PNG plots, the 3-D scatter page and the model file.</summary>
public static class ReportWriter
{
    /// <summary>Runs and writes everything. Each file is written atomically (temporary file, then rename).</summary>
    /// <param name="options">Output directory, data, seed, threads.</param>
    /// <param name="progress">Stage progress; null for none.</param>
    /// <param name="cancellationToken">Stops between fits.</param>
    /// <returns>The run's numbers and the JSON text written to report.json.</returns>
    public static (StudyResult Result, string Json) Run(ReportOptions options, IReportProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        long start = Stopwatch.GetTimestamp();
        var runner = new StudyRunner(options, progress);
        (StudyResult result, StudyArtifacts artifacts) = runner.Run(cancellationToken);
        string dir = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(dir);
        var files = new ReportFiles();
        string P(string name) => Path.Combine(dir, name);
        runner.Stage("write_outputs", 1, _ =>
        {
            foreach (ClassifierResult c in result.Classifiers)
            {
                ConfusionMatrixPlot.Save(P(files.Confusion(c.Name)), c.TestConfusion, FashionMnist.ClassNames, $"{c.Title}: test confusion matrix");
            }

            ElbowPlot.Save(P(files.Elbow), result.Elbow.ClusterCounts, result.Elbow.Inertia, result.Elbow.KneeIndex,
                $"k-means elbow, standardized 5-class subset ({result.Elbow.Rows} rows), n_init=10");
            HogExamplePlot.Save(P(files.HogExample), artifacts.ExampleImage, artifacts.ExampleHogPicture, 28, 28,
                $"train image {artifacts.ExampleIndex} ({FashionMnist.ClassNames[artifacts.ExampleImage.Length > 0 ? result.Heads.Labels[artifacts.ExampleIndex] : 0]})");
            string[] subsetNames = [.. FashionMnist.ClassNames.Take(StudyRunner.SubsetMaxLabel + 1)];
            Scatter3dPage.Save(
                P(files.Scatter),
                "k-means (k=5) on the 5-class Fashion-MNIST subset, PCA-3 view",
                artifacts.Pca3,
                [
                    new Scatter3dColouring("coloured by k-means cluster", artifacts.ClusterLabels, [.. Enumerable.Range(0, result.Clusters.Clusters).Select(c => $"cluster {c}")]),
                    new Scatter3dColouring("coloured by true label", artifacts.TrueLabels, subsetNames),
                ],
                description: $"Standardized train images with labels 0–4, projected on their first three principal components; seed {result.Seed}, adjusted Rand index {result.Clusters.AdjustedRandIndex:F4}.");
            ModelFile.Save(P(files.Model), artifacts.FinalModel);
            return 0;
        });
        result.TotalSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        string json = ReportJson.ToJson(result, files.All(result.Classifiers.Select(c => c.Name)));
        OutputFile.WriteAllText(P(files.Markdown), ReportMarkdown.ToMarkdown(result, files));
        OutputFile.WriteAllText(P(files.Json), json);
        return (result, json);
    }
}
