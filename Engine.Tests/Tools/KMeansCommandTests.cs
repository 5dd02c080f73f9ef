using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Scaling;
using FashionCore.Models.Clustering;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Tools;

/// <summary><c>fashion kmeans</c> against <c>KMeans</c> fitted directly on the same standardized class subset.</summary>
[Category("Dataset")]
public class KMeansCommandTests
{
    [Test]
    public void KMeans_Json_EqualsKMeansPerKWithSizesAndKnee()
    {
        const int Rows = 2000;
        JsonElement json = ToolJson.Run("kmeans", "--range", $"0:{Rows}", "--k", "1-4", "--n-init", "2", "--classes", "0-4", "--seed", "3");

        // As the study: scaler fitted on all the rows, then the rows of classes 0..4.
        ReadOnlyMemory2D<float> x = TrainCommandTests.Train(Rows);
        int[] y = TrainCommandTests.Labels(TestData.FashionMnist.Train, Rows);
        float[] z = new float[x.Height * x.Width];
        new StandardScaler().Fit(x).Transform(x.Span, new Span2D<float>(z, x.Height, x.Width));
        int[] rows = [.. Enumerable.Range(0, Rows).Where(i => y[i] <= 4)];
        float[] subset = [.. rows.SelectMany(r => z.AsSpan(r * 784, 784).ToArray())];
        var data = new ReadOnlyMemory2D<float>(subset, rows.Length, 784);

        Assert.That(json.GetProperty("rows").GetInt32(), Is.EqualTo(rows.Length));
        Assert.That(json.GetProperty("k").Ints(), Is.EqualTo(new[] { 1, 2, 3, 4 }));
        double[] inertia = new double[4];
        for (int i = 0; i < 4; i++)
        {
            KMeansModel model = new KMeans(new KMeansOptions { Clusters = i + 1, InitCount = 2, RandomState = 3 }).Fit(data);
            JsonElement result = json.GetProperty("results")[i];
            Assert.That(result.GetProperty("inertia").GetDouble(), Is.EqualTo(model.Inertia));
            Assert.That(result.GetProperty("n_iter").GetInt32(), Is.EqualTo(model.Iterations));
            int[] sizes = new int[i + 1];
            foreach (int label in model.Labels)
            {
                sizes[label]++;
            }

            Assert.That(result.GetProperty("sizes").Ints(), Is.EqualTo(sizes));
            Assert.That(result.GetProperty("adjusted_rand_index").GetDouble(), Is.EqualTo(ClusterAgreement.AdjustedRandIndex([.. rows.Select(r => y[r])], model.Labels)));
            inertia[i] = model.Inertia;
        }

        Assert.That(json.GetProperty("inertia").Doubles(), Is.EqualTo(inertia));
        int knee = KMeansElbow.FindKnee([1, 2, 3, 4], inertia);
        Assert.That(knee, Is.GreaterThanOrEqualTo(0), "a decreasing convex SSE curve has a knee");
        Assert.That(json.GetProperty("knee").GetInt32(), Is.EqualTo(knee + 1));
    }

    [TestCase("none", "5-9")]
    [TestCase("minmax", "0-9")]
    public void KMeans_OtherScalesAndAllClasses_EqualKMeansOnTheScaledSubset(string scale, string classes)
    {
        // The command scales only the selected rows, in place; all ten classes put every row in place (its own
        // position), raw pixels take no scaler: each must give the data a scaled copy of all rows would.
        const int Rows = 1000;
        JsonElement json = ToolJson.Run("kmeans", "--range", $"0:{Rows}", "--k", "2-3", "--n-init", "1", "--classes", classes, "--scale", scale, "--seed", "1");
        ReadOnlyMemory2D<float> x = TrainCommandTests.Train(Rows);
        int[] y = TrainCommandTests.Labels(TestData.FashionMnist.Train, Rows);
        float[] z = TestData.FashionMnist.Train.Slice(0, Rows).ToFloatPixels();
        if (scale == "minmax")
        {
            new MinMaxScaler().Fit(x).Transform(x.Span, new Span2D<float>(z, x.Height, x.Width));
        }

        int low = classes[0] - '0', high = classes[^1] - '0';
        int[] rows = [.. Enumerable.Range(0, Rows).Where(i => y[i] >= low && y[i] <= high)];
        float[] subset = [.. rows.SelectMany(r => z.AsSpan(r * 784, 784).ToArray())];
        var data = new ReadOnlyMemory2D<float>(subset, rows.Length, 784);
        Assert.That(json.GetProperty("rows").GetInt32(), Is.EqualTo(rows.Length));
        for (int i = 0; i < 2; i++)
        {
            KMeansModel model = new KMeans(new KMeansOptions { Clusters = i + 2, InitCount = 1, RandomState = 1 }).Fit(data);
            JsonElement result = json.GetProperty("results")[i];
            Assert.That(result.GetProperty("inertia").GetDouble(), Is.EqualTo(model.Inertia), $"k={i + 2}");
            Assert.That(result.GetProperty("n_iter").GetInt32(), Is.EqualTo(model.Iterations), $"k={i + 2}");
            Assert.That(result.GetProperty("adjusted_rand_index").GetDouble(), Is.EqualTo(ClusterAgreement.AdjustedRandIndex([.. rows.Select(r => y[r])], model.Labels)), $"k={i + 2}");
        }
    }

    [Test]
    public void KMeans_StudySubsetNInit1_MatchesSklearnElbowGolden()
    {
        JsonElement json = ToolJson.Run("kmeans", "--k", "1-4", "--n-init", "1");

        // sklearn 1.2.1 KMeans(k, n_init=1, random_state=0) on the float64 standardized 30 000-row subset
        // (Golden/kmeans/make_kmeans_golden.py). The tool clusters float32 standardized rows, so the inertia differs
        // by the float32 rounding of the input: measured at most 1.3e-10 relative for k = 1..10 (k = 1, the plain
        // total variance, is the largest); n_iter and the subset size are identical.
        JsonElement golden = GoldenJson.Load("kmeans/kmeans.json").GetProperty("elbow_n_init1_rs0");
        Assert.That(json.GetProperty("rows").GetInt32(), Is.EqualTo(30000));
        for (int i = 0; i < 4; i++)
        {
            JsonElement result = json.GetProperty("results")[i];
            double expected = golden[i].GetProperty("inertia").GetDouble();
            Assert.That(result.GetProperty("inertia").GetDouble(), Is.EqualTo(expected).Within(2e-10 * expected), $"k={i + 1}");
            Assert.That(result.GetProperty("n_iter").GetInt32(), Is.EqualTo(golden[i].GetProperty("n_iter").GetInt32()), $"k={i + 1}");
        }
    }

    [Test]
    public void KMeans_PlotAndScatter3d_WriteAPngAndAnOfflinePageOfEverySubsetRow()
    {
        string dir = Directory.CreateTempSubdirectory("fashion-kmeans-").FullName;
        try
        {
            string png = Path.Combine(dir, "elbow.png"), html = Path.Combine(dir, "scatter.html");
            JsonElement json = ToolJson.Run("kmeans", "--range", "0:1500", "--k", "2-5", "--n-init", "1", "--classes", "0-2", "--plot", png, "--scatter3d", html);

            Assert.That(File.ReadAllBytes(png).Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
            string page = File.ReadAllText(html);
            int rows = json.GetProperty("rows").GetInt32();
            Assert.That(page, Does.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("<script src"), "works offline");
            string points = page[(page.IndexOf("new Float32Array([", StringComparison.Ordinal) + 18)..];
            points = points[..points.IndexOf(']', StringComparison.Ordinal)];
            Assert.That(points.Split(','), Has.Length.EqualTo(rows * 3), "three coordinates per subset row");
            Assert.That(page, Does.Contain("k-means (k=3)"), "three classes: coloured by the k=3 clustering, as the study's k=5 on five classes");
            Assert.That(page, Does.Contain("T-shirt/top").And.Contain("Pullover").And.Not.Contain("Dress"));
            Assert.That(Directory.GetFiles(dir, "*.tmp"), Is.Empty, "no temporary files left behind");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("--plot", "elbow.svg", "must name a .png file")]
    [TestCase("--scatter3d", "scatter.png", "must name a .html file")]
    [TestCase("--plot", "/no/such/dir/elbow.png", "does not exist")]
    public void KMeans_BadPictureOption_FailsBeforeAnyWorkNamingTheOption(string option, string path, string message)
    {
        (int exit, string stdout, string stderr) = ToolRunner.Run("kmeans", "--range", "0:100", "--k", "1-2", option, path);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Does.Contain(option).And.Contain(message));
    }
}
