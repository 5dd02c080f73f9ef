using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using FashionCore.Internals;

namespace FashionCore.Data;

/// <summary>Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017): file names, checksums, class names, and loading.</summary>
public static class FashionMnist
{
    /// <summary>Image side length in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>Pixels per image (784).</summary>
    public const int PixelCount = ImageSide * ImageSide;

    /// <summary>The ten class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Training images (60 000).</summary>
    public static FashionMnistFile TrainImages { get; } =
        new("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");

    /// <summary>Training labels (60 000).</summary>
    public static FashionMnistFile TrainLabels { get; } =
        new("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9");

    /// <summary>Test images (10 000).</summary>
    public static FashionMnistFile TestImages { get; } =
        new("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b");

    /// <summary>Test labels (10 000).</summary>
    public static FashionMnistFile TestLabels { get; } =
        new("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /// <summary>All four files: train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<FashionMnistFile> Files { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// Finds the data (see <see cref="FashionMnistLocator"/>) and loads the training and test sets.
    /// </summary>
    /// <param name="directory">An explicit directory to use; <see langword="null"/> searches the usual places.</param>
    /// <param name="options">Locator options (download, progress); <see langword="null"/> for defaults.</param>
    /// <returns>Both splits and where they came from.</returns>
    /// <exception cref="FileNotFoundException">The data is nowhere to be found or fetched; the message lists each place tried.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt; the message names it.</exception>
    public static FashionMnistData Load(string? directory = null, FashionMnistLocatorOptions? options = null)
    {
        string dir = FashionMnistLocator.Locate(directory, options);
        return LoadFrom(dir);
    }

    /// <summary>Loads both splits from a directory holding the four files (each raw or <c>.gz</c>).</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>Both splits.</returns>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or the image and label counts disagree.</exception>
    public static FashionMnistData LoadFrom(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string[] paths = [.. Files.Select(f => ResolveFile(directory, f))];
        Dataset train = default!;
        Dataset test = default!;
        ExceptionDispatchInfo? trainError = null;
        ExceptionDispatchInfo? testError = null;
        // The two splits are independent; decompressing them concurrently roughly halves the load time. Each split's
        // error is kept rather than left to Parallel.Invoke, which would wrap it in an AggregateException: callers get
        // the InvalidDataException or FileNotFoundException of a sequential load (the training split's first).
        Parallel.Invoke(
            EngineParallel.Options(),
            () => trainError = Capture(() => train = LoadSplit(paths[0], paths[1])),
            () => testError = Capture(() => test = LoadSplit(paths[2], paths[3])));
        (trainError ?? testError)?.Throw();
        return new FashionMnistData(Path.GetFullPath(directory), train, test);
    }

    private static ExceptionDispatchInfo? Capture(Action load)
    {
        try
        {
            load();
            return null;
        }
        catch (Exception e)
        {
            return ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>
    /// Finds the data (see <see cref="FashionMnistLocator"/>) and loads only the training set, for work that never
    /// touches the test set (the test files are located but not read).
    /// </summary>
    /// <param name="directory">An explicit directory to use; <see langword="null"/> searches the usual places.</param>
    /// <param name="options">Locator options (download, progress); <see langword="null"/> for defaults.</param>
    /// <returns>The training split, equal to <see cref="Load"/>'s <see cref="FashionMnistData.Train"/>.</returns>
    /// <exception cref="FileNotFoundException">The data is nowhere to be found or fetched; the message lists each place tried.</exception>
    /// <exception cref="InvalidDataException">A training file is corrupt; the message names it.</exception>
    public static Dataset LoadTrain(string? directory = null, FashionMnistLocatorOptions? options = null)
    {
        string dir = FashionMnistLocator.Locate(directory, options);
        return LoadTrainFrom(dir);
    }

    /// <summary>Loads only the training split from a directory holding its two files (each raw or <c>.gz</c>).</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>The training split.</returns>
    /// <exception cref="FileNotFoundException">A training file is missing.</exception>
    /// <exception cref="InvalidDataException">A training file is corrupt or the image and label counts disagree.</exception>
    public static Dataset LoadTrainFrom(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return LoadSplit(ResolveFile(directory, TrainImages), ResolveFile(directory, TrainLabels));
    }

    /// <summary>Loads one split from an image file and a label file, checking that they agree.</summary>
    /// <param name="imagesPath">IDX3 image file (raw or gzip).</param>
    /// <param name="labelsPath">IDX1 label file (raw or gzip).</param>
    /// <returns>The split with Fashion-MNIST class names.</returns>
    /// <exception cref="InvalidDataException">A file is invalid, or the counts differ.</exception>
    public static Dataset LoadSplit(string imagesPath, string labelsPath)
    {
        IdxImages images = IdxReader.ReadImages(imagesPath);
        byte[] labels = IdxReader.ReadLabels(labelsPath, ClassNames.Count);
        if (images.Count != labels.Length)
        {
            ThrowHelper.ThrowInvalidData(imagesPath, $"has {images.Count} images but {labelsPath} has {labels.Length} labels; the counts must agree.");
        }

        return new Dataset(images.Pixels, labels, images.Rows, images.Columns, ClassNames);
    }

    /// <summary>The path of <paramref name="file"/> in <paramref name="directory"/>: the <c>.gz</c> if present, else the raw file.</summary>
    /// <param name="directory">Directory to look in.</param>
    /// <param name="file">Which file.</param>
    /// <returns>The existing path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> or <paramref name="file"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">Neither form exists.</exception>
    public static string ResolveFile(string directory, FashionMnistFile file)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(file);
        string gz = Path.Combine(directory, file.GzipName);
        if (File.Exists(gz))
        {
            return gz;
        }

        string raw = Path.Combine(directory, file.BaseName);
        if (File.Exists(raw))
        {
            return raw;
        }

        throw new FileNotFoundException($"{directory}: neither {file.GzipName} nor {file.BaseName} exists.", gz);
    }

    /// <summary>Whether each file in <paramref name="directory"/> exists and its decompressed content has the published SHA-256.</summary>
    /// <param name="directory">Directory holding the files.</param>
    /// <returns>One status per file of <see cref="Files"/>, in that order.</returns>
    public static IReadOnlyList<FileChecksumStatus> VerifyChecksums(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var result = new FileChecksumStatus[Files.Count];
        Parallel.For(0, Files.Count, EngineParallel.Options(), i =>
        {
            FashionMnistFile file = Files[i];
            string path;
            try
            {
                path = ResolveFile(directory, file);
            }
            catch (FileNotFoundException)
            {
                result[i] = new FileChecksumStatus(file, null, null);
                return;
            }

            result[i] = new FileChecksumStatus(file, path, ComputePayloadSha256(path));
        });
        return result;
    }

    /// <summary>SHA-256 (lower-case hex) of a file's decompressed content (the file itself when not gzip).</summary>
    /// <param name="path">A raw or gzip file.</param>
    /// <returns>The hex digest.</returns>
    /// <exception cref="InvalidDataException">The gzip data is corrupt.</exception>
    public static string ComputePayloadSha256(string path)
    {
        using FileStream file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        using Stream content = IdxFormat.IsGzip(magic[..got])
            ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress)
            : file;
        try
        {
            return Convert.ToHexStringLower(SHA256.HashData(content));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: corrupt gzip data: {e.Message}", e);
        }
    }
}
