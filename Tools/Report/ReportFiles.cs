namespace FashionCore.Tools.Report;

/// <summary>The names of the files a report writes, relative to its directory.</summary>
public sealed class ReportFiles
{
    /// <summary>The Markdown report.</summary>
    public string Markdown { get; } = "report.md";

    /// <summary>Every metric as JSON.</summary>
    public string Json { get; } = "report.json";

    /// <summary>The elbow plot.</summary>
    public string Elbow { get; } = "kmeans_elbow.png";

    /// <summary>An example image next to its HOG picture.</summary>
    public string HogExample { get; } = "hog_example.png";

    /// <summary>The interactive 3-D scatter.</summary>
    public string Scatter { get; } = "kmeans_pca3.html";

    /// <summary>The saved final model.</summary>
    public string Model { get; } = "model.fcm";

    /// <summary>The test confusion matrix plot of an experiment.</summary>
    /// <param name="name">pixels, hog, pca or mix.</param>
    /// <returns>The file name.</returns>
    public string Confusion(string name) => $"confusion_{name}.png";

    /// <summary>Every file, in the order written.</summary>
    /// <param name="classifiers">The experiment keys.</param>
    /// <returns>The names.</returns>
    public IReadOnlyList<string> All(IEnumerable<string> classifiers) =>
        [.. classifiers.Select(Confusion), Elbow, HogExample, Scatter, Model, Markdown, Json];
}
