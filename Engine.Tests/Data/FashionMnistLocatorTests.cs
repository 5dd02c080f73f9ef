using FashionCore.Data;

namespace FashionCore.Tests.Data;

[Category("Dataset")]
public class FashionMnistLocatorTests
{
    private string _temp = "";

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("fashioncore-locator-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    [Test]
    public void Locate_ExplicitDirectoryWithFiles_ReturnsIt()
    {
        string dir = TestData.FashionMnist.Directory;

        Assert.That(FashionMnistLocator.Locate(dir, new FashionMnistLocatorOptions { AllowDownload = false }), Is.EqualTo(dir));
    }

    [Test]
    public void Locate_SearchList_SkipsIncompleteDirectoriesInOrder()
    {
        string empty = Path.Combine(_temp, "empty");
        Directory.CreateDirectory(empty);
        string partial = Path.Combine(_temp, "partial");
        Directory.CreateDirectory(partial);
        File.Copy(Path.Combine(TestData.FashionMnist.Directory, "train-labels-idx1-ubyte.gz"), Path.Combine(partial, "train-labels-idx1-ubyte.gz"));
        var options = new FashionMnistLocatorOptions
        {
            AllowDownload = false,
            SearchDirectories = [Path.Combine(_temp, "absent"), empty, partial, TestData.FashionMnist.Directory],
        };

        Assert.That(FashionMnistLocator.Locate(options: options), Is.EqualTo(TestData.FashionMnist.Directory));
    }

    [Test]
    public void Locate_NothingFound_MessageListsEachPlaceAndHowToGetTheData()
    {
        string absent = Path.Combine(_temp, "absent");
        string empty = Path.Combine(_temp, "empty");
        Directory.CreateDirectory(empty);
        var options = new FashionMnistLocatorOptions { AllowDownload = false, SearchDirectories = [absent, empty] };

        FileNotFoundException? e = Assert.Throws<FileNotFoundException>(() => FashionMnistLocator.Locate(options: options));

        Assert.That(e!.Message, Does.Contain($"{absent}: no such directory"));
        Assert.That(e.Message, Does.Contain($"{empty}: missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz"));
        Assert.That(e.Message, Does.Contain("download: disabled"));
        Assert.That(e.Message, Does.Contain("apt-get install dataset-fashion-mnist").And.Contain("FASHION_MNIST_DIR").And.Contain("http"));
    }

    [Test]
    public void Locate_ExplicitDirectoryMissingFiles_DoesNotFallBackElsewhere()
    {
        var options = new FashionMnistLocatorOptions { AllowDownload = false, SearchDirectories = [TestData.FashionMnist.Directory] };

        FileNotFoundException? e = Assert.Throws<FileNotFoundException>(() => FashionMnistLocator.Locate(_temp, options));

        Assert.That(e!.Message, Does.Contain($"{_temp} (given explicitly)"));
    }

    [Test]
    public void Locate_NoLocalCopy_DownloadsFromMirrorVerifiesAndLoads()
    {
        using var server = new LocalFileServer(ServedFiles());
        string target = Path.Combine(_temp, "data");
        var reports = new List<DownloadProgress>();
        var options = new FashionMnistLocatorOptions
        {
            SearchDirectories = [],
            DownloadDirectory = target,
            Mirrors = [server.Mirror("missing"), server.Mirror("corrupt"), server.Mirror("good")],
            Progress = new SynchronousProgress<DownloadProgress>(reports.Add),
        };

        string dir = FashionMnistLocator.Locate(options: options);

        Assert.That(dir, Is.EqualTo(target));
        Assert.That(Directory.GetFiles(target).Select(Path.GetFileName), Is.EquivalentTo(FashionMnist.Files.Select(f => f.GzipName)), "only the four verified files, no temporary leftovers");
        Assert.That(FashionMnist.VerifyChecksums(target).All(s => s.IsValid), Is.True);
        Assert.That(server.Requests, Is.EqualTo(12), "each file: 404, then a corrupt copy rejected by checksum, then the good one");
        Assert.That(reports.Last(r => r.FileName == "train-images-idx3-ubyte.gz").BytesReceived, Is.EqualTo(new FileInfo(Path.Combine(target, "train-images-idx3-ubyte.gz")).Length));
        Assert.That(FashionMnist.LoadFrom(dir).Train.Count, Is.EqualTo(60000));
    }

    [Test]
    public void Locate_OnlyCorruptMirror_FailsWithChecksumErrorAndLeavesNoFile()
    {
        using var server = new LocalFileServer(ServedFiles());
        string target = Path.Combine(_temp, "data");
        var options = new FashionMnistLocatorOptions { SearchDirectories = [], DownloadDirectory = target, Mirrors = [server.Mirror("corrupt")] };

        FileNotFoundException? e = Assert.Throws<FileNotFoundException>(() => FashionMnistLocator.Locate(options: options));

        Assert.That(e!.Message, Does.Contain("decompressed SHA-256 is").And.Contain("expected c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"));
        Assert.That(Directory.GetFiles(target), Is.Empty);
    }

    [Test]
    public void VerifyChecksums_RealData_AllFourValid()
    {
        IReadOnlyList<FileChecksumStatus> statuses = FashionMnist.VerifyChecksums(TestData.FashionMnist.Directory);

        Assert.That(statuses.Select(s => s.ActualSha256), Is.EqualTo(FashionMnist.Files.Select(f => f.PayloadSha256)));
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void Options_TimeoutNotPositive_ThrowsNamingTimeout(int seconds)
    {
        TimeSpan timeout = TimeSpan.FromSeconds(seconds);

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new FashionMnistLocatorOptions { Timeout = timeout })!;

        Assert.That(e.ParamName, Is.EqualTo("Timeout"));
        Assert.That(e.ActualValue, Is.EqualTo(timeout));
        Assert.That(e.Message, Does.Contain("Timeout must be positive"));
        Assert.That(new FashionMnistLocatorOptions { Timeout = Timeout.InfiniteTimeSpan }.Timeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
    }

    [Test]
    public void Options_MirrorsNull_ThrowsNamingMirrors()
    {
        ArgumentNullException e = Assert.Throws<ArgumentNullException>(() => _ = new FashionMnistLocatorOptions { Mirrors = null! })!;

        Assert.That(e.ParamName, Is.EqualTo("Mirrors"));
    }

    [TestCase("data/", "'data/'")]
    [TestCase("ftp://host/data/", "'ftp://host/data/'")]
    [TestCase(null, "'null'")]
    public void Options_MirrorNotAnAbsoluteHttpUrl_ThrowsNamingMirrors(string? mirror, string shown)
    {
        Uri? uri = mirror is null ? null : new Uri(mirror, UriKind.RelativeOrAbsolute);

        ArgumentException e = Assert.Throws<ArgumentException>(() => _ = new FashionMnistLocatorOptions { Mirrors = [OfficialFirst(), uri!] })!;

        Assert.That(e.ParamName, Is.EqualTo("Mirrors"));
        Assert.That(e.Message, Does.Contain($"Mirror 1 ({shown}) must be an absolute http or https URL"));
    }

    [Test]
    public void Options_MirrorWithoutTrailingSlash_GetsOneSoItsLastSegmentIsKept()
    {
        var options = new FashionMnistLocatorOptions { Mirrors = [new Uri("http://h/data"), new Uri("https://h/a/b/?x=1")] };

        Assert.That(options.Mirrors.Select(m => m.AbsoluteUri), Is.EqualTo(new[] { "http://h/data/", "https://h/a/b/?x=1" }));
        Assert.That(new Uri(options.Mirrors[0], "train-images-idx3-ubyte.gz").AbsoluteUri, Is.EqualTo("http://h/data/train-images-idx3-ubyte.gz"));
    }

    [Test]
    public void Locate_MirrorWithoutTrailingSlash_DownloadsFromInsideIt()
    {
        using var server = new LocalFileServer(ServedFiles());
        string target = Path.Combine(_temp, "data");
        var options = new FashionMnistLocatorOptions { SearchDirectories = [], DownloadDirectory = target, Mirrors = [new Uri(server.BaseUri, "good")] };

        Assert.That(FashionMnistLocator.Locate(options: options), Is.EqualTo(target));
        Assert.That(server.Requests, Is.EqualTo(4), "one request per file, all under /good/");
    }

    [Test]
    public void Options_BlankDirectories_ThrowNamingTheOption()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new FashionMnistLocatorOptions { DownloadDirectory = " " })!.ParamName, Is.EqualTo("DownloadDirectory"));
        ArgumentException e = Assert.Throws<ArgumentException>(() => _ = new FashionMnistLocatorOptions { SearchDirectories = [_temp, null!] })!;
        Assert.That(e.ParamName, Is.EqualTo("SearchDirectories"));
        Assert.That(e.Message, Does.Contain("SearchDirectories[1] is null or blank"));
    }

    [Test]
    public void Locate_BlankExplicitDirectory_ThrowsNamingIt()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => FashionMnistLocator.Locate("", new FashionMnistLocatorOptions { AllowDownload = false }))!;

        Assert.That(e.ParamName, Is.EqualTo("explicitDirectory"));
        Assert.That(e.Message, Does.Contain("non-blank path"));
    }

    private static Dictionary<string, byte[]> ServedFiles() =>
        FashionMnist.Files.ToDictionary(f => f.GzipName, f => File.ReadAllBytes(FashionMnist.ResolveFile(TestData.FashionMnist.Directory, f)));

    private static Uri OfficialFirst() => FashionMnistLocatorOptions.OfficialMirrors[0];

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
