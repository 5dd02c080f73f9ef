using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Tools.Commands;

namespace FashionCore.Tools.Study;

/// <summary>Loading the data for a command and turning rows into the float matrices the pipelines take.</summary>
internal static class StudyData
{
    /// <summary>Loads both splits (<c>--data</c>, <c>--no-download</c>) on at most <paramref name="threads"/> threads; download progress goes to stderr unless <paramref name="quiet"/>.</summary>
    public static FashionMnistData Load(string? directory, bool noDownload, bool quiet, int threads)
    {
        FashionMnistLocatorOptions options = LocatorOptions(noDownload, quiet);
        return ThreadLimit.Run(threads, () => FashionMnist.Load(directory, options));
    }

    private static FashionMnistLocatorOptions LocatorOptions(bool noDownload, bool quiet) => new()
    {
        AllowDownload = !noDownload,
        Progress = quiet ? null : new Progress<DownloadProgress>(p => Console.Error.Write($"\rdownloading {p.FileName}: {p.BytesReceived / 1024} KiB")),
    };

    /// <summary>Loads only the training split (for commands that never use the test set); otherwise as <see cref="Load"/>.</summary>
    public static Dataset LoadTrain(string? directory, bool noDownload, bool quiet, int threads) =>
        ThreadLimit.Run(threads, () => FashionMnist.LoadTrain(directory, LocatorOptions(noDownload, quiet)));

    /// <summary>Rows [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="split"/> as raw pixel values 0..255 in float.</summary>
    public static ReadOnlyMemory2D<float> Pixels(Dataset split, int start, int end) =>
        new(split.Slice(start, end - start).ToFloatPixels(), end - start, split.PixelCount);

    /// <summary>The labels of rows [<paramref name="start"/>, <paramref name="end"/>) as int.</summary>
    public static int[] Labels(Dataset split, int start, int end)
    {
        ReadOnlySpan<byte> labels = split.Labels.Span[start..end];
        int[] y = new int[labels.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = labels[i];
        }

        return y;
    }
}
