using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FashionCore.Tests.Serve;

[Category("Dataset")]
public class ServeApiTests
{
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void CreateClient() => _client = new HttpClient { BaseAddress = ServerFixture.Address, Timeout = TimeSpan.FromSeconds(30) };

    [OneTimeTearDown]
    public void DisposeClient() => _client.Dispose();

    [Test]
    public void Addresses_EphemeralPort_IsLoopbackWithARealPort()
    {
        Uri address = ServerFixture.Address;
        Assert.That(address.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(address.Port, Is.GreaterThan(0));
    }

    [Test]
    public async Task Health_ReturnsOkModelNameAndTheTestAccuracyOfAllTenThousandImages()
    {
        int[] predicted = TestModel.PredictTest(0, 10000);
        ReadOnlySpan<byte> labels = TestData.FashionMnist.Test.Labels.Span;
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        using JsonDocument json = await GetJsonAsync("/api/health", HttpStatusCode.OK);

        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(json.RootElement.GetProperty("model").GetString(), Is.EqualTo(Path.GetFileName(TestModel.Path)));
        Assert.That(json.RootElement.GetProperty("test_accuracy").GetDouble(), Is.EqualTo(correct / 10000.0));
    }

    [Test]
    public async Task Model_DescribesFeaturesAndStepsOfThePipeline()
    {
        using JsonDocument json = await GetJsonAsync("/api/model", HttpStatusCode.OK);

        Assert.That(json.RootElement.GetProperty("features").GetString(), Is.EqualTo("x/255"));
        Assert.That(json.RootElement.GetProperty("steps")[1].GetString(), Does.StartWith("logistic regression (saga, multinomial"));
        Assert.That(json.RootElement.GetProperty("test_count").GetInt32(), Is.EqualTo(10000));
        Assert.That(json.RootElement.GetProperty("classes")[3].GetString(), Is.EqualTo("Dress"));
    }

    [Test]
    public async Task Predict_KnownTestImages_AnswersExactlyWhatFashionPredictPrints()
    {
        (int code, string stdout, string stderr) = Tests.Tools.ToolRunner.Run(
            "predict", "--model", TestModel.Path, "--test-index", "0-19", "--json", "--data", TestData.FashionMnist.Directory);
        Assert.That(code, Is.Zero, stderr);
        using JsonDocument expected = JsonDocument.Parse(stdout);

        for (int i = 0; i < 20; i++)
        {
            byte[] pixels = TestData.FashionMnist.Test.GetImage(i).ToArray();
            string body = JsonSerializer.Serialize(new { pixels = pixels.Select(b => (int)b) });

            using HttpResponseMessage response = await _client.PostAsync("/api/predict", new StringContent(body, Encoding.UTF8, "application/json"));

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            JsonElement want = expected.RootElement[i];
            Assert.That(json.RootElement.GetProperty("label").GetInt32(), Is.EqualTo(want.GetProperty("label").GetInt32()), $"test image {i}");
            Assert.That(json.RootElement.GetProperty("name").GetString(), Is.EqualTo(want.GetProperty("name").GetString()));
            Assert.That(
                json.RootElement.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()),
                Is.EqualTo(want.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle())));
        }
    }

    [Test]
    public async Task Predict_FractionalValuesAndCharsetParameter_AreAccepted()
    {
        string body = "{\"pixels\":[" + string.Join(",", Enumerable.Repeat("127.5", 784)) + "]}";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        using HttpResponseMessage response = await _client.PostAsync("/api/predict", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("probabilities").EnumerateArray().Sum(e => e.GetDouble()), Is.EqualTo(1.0).Within(1e-5));
    }

    private static IEnumerable<TestCaseData> BadBodies()
    {
        string Pixels(string values) => "{\"pixels\":[" + values + "]}";
        string Zeros(int n) => string.Join(",", Enumerable.Repeat("0", n));
        yield return new TestCaseData(Pixels(Zeros(783)), "application/json", "has 783 values").SetName("Predict_783Values_Returns400");
        yield return new TestCaseData(Pixels(Zeros(785)), "application/json", "has 785 values").SetName("Predict_785Values_Returns400");
        yield return new TestCaseData(Pixels(""), "application/json", "has 0 values").SetName("Predict_EmptyArray_Returns400");
        yield return new TestCaseData(Pixels(Zeros(783) + ",256"), "application/json", "pixels[783] = 256 is outside 0..255").SetName("Predict_Value256_Returns400");
        yield return new TestCaseData(Pixels("-1," + Zeros(783)), "application/json", "pixels[0] = -1 is outside 0..255").SetName("Predict_NegativeValue_Returns400");
        yield return new TestCaseData(Pixels(Zeros(10) + ",NaN," + Zeros(773)), "application/json", "not valid JSON").SetName("Predict_NaNLiteral_Returns400");
        yield return new TestCaseData(Pixels(Zeros(10) + ",\"NaN\"," + Zeros(773)), "application/json", "pixels[10] is not a finite number").SetName("Predict_NaNString_Returns400");
        yield return new TestCaseData(Pixels(Zeros(10) + ",null," + Zeros(773)), "application/json", "pixels[10] is not a finite number").SetName("Predict_NullValue_Returns400");
        yield return new TestCaseData(Pixels(Zeros(10) + ",1e400," + Zeros(773)), "application/json", "pixels[10]").SetName("Predict_OverflowingNumber_Returns400");
        yield return new TestCaseData("{\"pixels\":\"abc\"}", "application/json", "must be an array").SetName("Predict_PixelsNotAnArray_Returns400");
        yield return new TestCaseData("[1,2,3]", "application/json", "expected a JSON object").SetName("Predict_RootArray_Returns400");
        yield return new TestCaseData("{\"pix\":[]}", "application/json", "expected a JSON object").SetName("Predict_NoPixelsProperty_Returns400");
        yield return new TestCaseData("pixels=1,2,3", "application/json", "not valid JSON").SetName("Predict_NotJson_Returns400");
        yield return new TestCaseData("", "application/json", "not valid JSON").SetName("Predict_EmptyBody_Returns400");
        yield return new TestCaseData("{\"pixels\":[" + new string('[', 100), "application/json", "not valid JSON").SetName("Predict_DeepNesting_Returns400");
        yield return new TestCaseData(Pixels(Zeros(784)), "text/plain", "Content-Type must be application/json").SetName("Predict_TextPlain_Returns400");
        yield return new TestCaseData(Pixels(Zeros(784)), "application/x-www-form-urlencoded", "Content-Type must be application/json").SetName("Predict_FormContentType_Returns400");
        yield return new TestCaseData(Pixels(Zeros(784)), null, "Content-Type must be application/json").SetName("Predict_NoContentType_Returns400");
    }

    [TestCaseSource(nameof(BadBodies))]
    public async Task Predict_BadInput_Returns400WithJsonErrorAndTheServerKeepsServing(string body, string? contentType, string message)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using HttpResponseMessage response = await _client.PostAsync("/api/predict", content);

        await AssertJsonErrorAsync(response, HttpStatusCode.BadRequest, message);
        using JsonDocument health = await GetJsonAsync("/api/health", HttpStatusCode.OK);
    }

    [Test]
    public async Task Predict_BodyOverOneMegabyteWithContentLength_Returns413AndTheConnectionStaysUsable()
    {
        // Under the drain limit (8 MiB) the server reads the body before answering, so the 413 always arrives intact.
        byte[] body = Encoding.UTF8.GetBytes("{\"pixels\":[" + new string(' ', 1 << 20) + "0]}");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using HttpResponseMessage response = await _client.PostAsync("/api/predict", content);

        await AssertJsonErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than 1048576 bytes");
        Assert.That(response.Headers.ConnectionClose, Is.Not.True);
        using JsonDocument health = await GetJsonAsync("/api/health", HttpStatusCode.OK);
    }

    [Test]
    public async Task Predict_ChunkedBodyOverOneMegabyte_Returns413()
    {
        // No Content-Length: the server counts the streamed bytes.
        using var content = new StreamContent(new ChunkedOnlyStream(2 << 20));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using HttpResponseMessage response = await _client.SendAsync(request);

        await AssertJsonErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than");
    }

    [Test]
    public async Task Predict_DeclaredBodyOverTheDrainLimit_Returns413BeforeTheBodyIsSent()
    {
        // With Expect: 100-continue the client waits for the server before sending the body; the server answers 413 at
        // once (it never reads the body), so the 100 MB below are never produced.
        using var handler = new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) };
        using var client = new HttpClient(handler) { BaseAddress = ServerFixture.Address, Timeout = TimeSpan.FromSeconds(60) };
        var stream = new ChunkedOnlyStream(100L << 20);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = 100L << 20;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = content };
        request.Headers.ExpectContinue = true;

        using HttpResponseMessage response = await client.SendAsync(request);

        await AssertJsonErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "larger than 1048576 bytes");
        Assert.That(response.Headers.ConnectionClose, Is.True);
        Assert.That(stream.BytesRead, Is.Zero);
    }

    [Test]
    public async Task Samples_Twelve_AreDistinctTestImagesWithTheirLabelsAndPredictions()
    {
        using JsonDocument json = await GetJsonAsync("/api/samples?n=12", HttpStatusCode.OK);

        JsonElement[] samples = [.. json.RootElement.EnumerateArray()];
        Assert.That(samples, Has.Length.EqualTo(12));
        Assert.That(samples.Select(s => s.GetProperty("index").GetInt32()), Is.Unique);
        foreach (JsonElement s in samples)
        {
            int index = s.GetProperty("index").GetInt32();
            Assert.That(s.GetProperty("label").GetInt32(), Is.EqualTo(TestData.FashionMnist.Test.Labels.Span[index]));
            Assert.That(s.GetProperty("pixels").EnumerateArray().Select(e => (byte)e.GetInt32()), Is.EqualTo(TestData.FashionMnist.Test.GetImage(index).ToArray()));
            Assert.That(s.GetProperty("prediction").GetProperty("label").GetInt32(), Is.EqualTo(TestModel.PredictTest(index, 1)[0]));
        }
    }

    [TestCase("0")]
    [TestCase("101")]
    [TestCase("abc")]
    [TestCase("-3")]
    [TestCase("99999999999")]
    public async Task Samples_BadN_Returns400(string n)
    {
        using HttpResponseMessage response = await _client.GetAsync($"/api/samples?n={n}");

        await AssertJsonErrorAsync(response, HttpStatusCode.BadRequest, "n must be an integer from 1 to 100");
    }

    [Test]
    public async Task UnknownApiPath_Returns404Json()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/nothing");

        await AssertJsonErrorAsync(response, HttpStatusCode.NotFound, "no such endpoint");
    }

    [TestCase("/", "text/html", "id=\"gallery\"")]
    [TestCase("/index.html", "text/html", "id=\"file\"")]
    [TestCase("/app.js", "text/javascript", "/api/samples")]
    [TestCase("/convert.js", "text/javascript", "FOREGROUND_THRESHOLD = 13")]
    [TestCase("/style.css", "text/css", "#gallery")]
    public async Task Page_EmbeddedFiles_AreServedWithTypeAndASelfOnlyContentSecurityPolicy(string path, string type, string content)
    {
        using HttpResponseMessage response = await _client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(type));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(content).And.Not.Contain("http://").And.Not.Contain("https://"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'self'"));
    }

    private async Task<JsonDocument> GetJsonAsync(string path, HttpStatusCode status)
    {
        using HttpResponseMessage response = await _client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertJsonErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        using JsonDocument json = JsonDocument.Parse(text);
        Assert.That(json.RootElement.GetProperty("error").GetString(), Does.Contain(message));
        Assert.That(text, Does.Not.Contain("\\u0027"), "readable messages: quotes are not escaped");
    }

    /// <summary>A stream of '0' bytes of a given length whose length is unknown to HttpClient (forces chunked upload).</summary>
    private sealed class ChunkedOnlyStream(long length) : Stream
    {
        private readonly long _length = length;
        private long _left = length;

        public long BytesRead => _length - _left;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, _left);
            buffer.AsSpan(offset, n).Fill((byte)'0');
            _left -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
