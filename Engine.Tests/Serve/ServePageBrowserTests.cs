using FashionCore.Tools.Imaging;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace FashionCore.Tests.Serve;

/// <summary>
/// The page end to end in headless Chromium (Debian's <c>chromium</c> and <c>chromium-driver</c>, installed by
/// <c>.ci/run</c>; nothing is downloaded). Without them the test fails and says what to install.
/// </summary>
[Category("Dataset")]
[Category("Browser")]
public class ServePageBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("fashioncore-e2e-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Page_GalleryNewSampleAndFilePickerUploads_ShowPredictionsAndErrors()
    {
        if (!File.Exists(Chromium) || !File.Exists(ChromeDriver))
        {
            Assert.Fail($"{Chromium} or {ChromeDriver} is missing: apt-get install -y chromium chromium-driver (.ci/run installs them).");
        }

        // Test image 0 (an ankle boot) drawn 10× larger as dark on light: the page must convert it back like the tool.
        const int Index = 0;
        string png = TestImages.WriteInvertedPng(Index, 10, _directory);
        byte[] expectedPixels = ImageDecoder.LoadFashionImage(png);
        string expectedName = ServerFixture.Model.Predict(new CommunityToolkit.HighPerformance.ReadOnlySpan2D<byte>(expectedPixels, 1, 784))[0].Name;

        using ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1500");
        using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(30));

        driver.Navigate().GoToUrl(ServerFixture.Address);

        wait.Until(d => d.FindElements(By.CssSelector("#gallery .card")).Count == 12);
        IWebElement first = driver.FindElements(By.CssSelector("#gallery .card"))[0];
        Assert.That(first.Text, Does.Contain("true: ").And.Contain("predicted: ").And.Contain("%"));
        Assert.That(driver.FindElement(By.Id("model-name")).Text, Is.EqualTo(Path.GetFileName(TestModel.Path)));
        Assert.That(driver.FindElement(By.Id("model-features")).Text, Is.EqualTo("x/255"));
        Assert.That(driver.FindElement(By.Id("model-accuracy")).Text, Does.Contain($"{100 * ServerFixture.Server.TestAccuracy:0.00} %"));

        string before = first.GetAttribute("data-index")!;
        driver.FindElement(By.Id("new-sample")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#gallery .card")).Count == 12
            && d.FindElements(By.CssSelector("#gallery .card"))[0].GetAttribute("data-index") != before);

        driver.FindElement(By.Id("file")).SendKeys(png);

        IWebElement label = driver.FindElement(By.Id("upload-label"));
        wait.Until(_ => label.Displayed && label.Text.Length > 0);
        Assert.That(label.Text, Is.EqualTo(expectedName));
        Assert.That(driver.FindElement(By.Id("upload-bars")).Text, Does.Contain("Ankle boot"));

        // The page's JavaScript conversion gives exactly the tool's C# conversion of the same file.
        var converted = (IReadOnlyCollection<object>)((IJavaScriptExecutor)driver).ExecuteScript("return window.lastConverted;")!;
        Assert.That(converted.Select(Convert.ToByte), Is.EqualTo(expectedPixels));

        string screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "serve-page.png");
        driver.GetScreenshot().SaveAsFile(screenshot);
        TestContext.AddTestAttachment(screenshot, "fashion serve page after an upload");

        // A camera-style JPEG stored sideways with EXIF orientation 6: the browser turns it upright, as the tool does.
        // Chromium's and SkiaSharp's JPEG decoders may round the IDCT differently, so pixels are compared with the
        // JPEG round trip's bound (mean < 0.3 gray levels, FashionImageConverterTests) instead of exactly.
        byte[] display = TestImages.RenderRgba(TestData.FashionMnist.Test.GetImage(Index), 8, invert: true, (255, 255, 255));
        byte[] stored = TestImages.RotateCounterClockwise(display, 224, 224);
        string jpeg = Path.Combine(_directory, "sideways.jpg");
        File.WriteAllBytes(jpeg, TestImages.WithExifOrientation(TestImages.Encode(stored, 224, 224, SkiaSharp.SKEncodedImageFormat.Jpeg, quality: 95), 6));
        byte[] toolPixels = ImageDecoder.LoadFashionImage(jpeg);
        ((IJavaScriptExecutor)driver).ExecuteScript("window.lastConverted = null;");
        driver.FindElement(By.Id("file")).SendKeys(jpeg);
        wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript("return window.lastConverted;") is not null && label.Displayed);
        var pagePixels = (IReadOnlyCollection<object>)((IJavaScriptExecutor)driver).ExecuteScript("return window.lastConverted;")!;
        double meanAbs = pagePixels.Select(Convert.ToInt32).Zip(toolPixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.That(meanAbs, Is.LessThan(0.3));
        Assert.That(label.Text, Is.EqualTo(ServerFixture.Model.Predict(new CommunityToolkit.HighPerformance.ReadOnlySpan2D<byte>(toolPixels, 1, 784))[0].Name));

        // Drag and drop: a drop event carrying the PNG as a File reaches the same conversion and prediction.
        ((IJavaScriptExecutor)driver).ExecuteScript(
            """
            window.lastConverted = null;
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "dropped.png", { type: "image/png" }));
            document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            """,
            Convert.ToBase64String(File.ReadAllBytes(png)));
        wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript("return window.lastConverted;") is not null && label.Displayed);
        var dropped = (IReadOnlyCollection<object>)((IJavaScriptExecutor)driver).ExecuteScript("return window.lastConverted;")!;
        Assert.That(dropped.Select(Convert.ToByte), Is.EqualTo(expectedPixels));
        Assert.That(label.Text, Is.EqualTo(expectedName));

        // A flat picture: the page shows the rule's error instead of a prediction.
        byte[] grey = new byte[64 * 48 * 4];
        Array.Fill(grey, (byte)200);
        string greyPng = Path.Combine(_directory, "grey.png");
        File.WriteAllBytes(greyPng, TestImages.Encode(grey, 64, 48, SkiaSharp.SKEncodedImageFormat.Png));
        driver.FindElement(By.Id("file")).SendKeys(greyPng);
        IWebElement error = driver.FindElement(By.Id("upload-error"));
        wait.Until(_ => error.Displayed);
        Assert.That(error.Text, Does.StartWith("no object found: the 64×48 image is a single flat colour"));
        Assert.That(driver.FindElement(By.Id("upload-result")).Displayed, Is.False);
    }
}
