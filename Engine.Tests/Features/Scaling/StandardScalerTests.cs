using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Scaling;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Features.Scaling;

public class StandardScalerTests
{
    private static readonly Lazy<float[]> s_train = new(() => TestData.FashionMnist.Train.ToFloatPixels());
    private static readonly Lazy<float[]> s_test = new(() => TestData.FashionMnist.Test.ToFloatPixels());
    private static readonly Lazy<StandardScalerModel> s_model = new(() => new StandardScaler().Fit(new ReadOnlyMemory2D<float>(s_train.Value, 60000, 784)));

    [Test]
    [Category("Dataset")]
    public void Fit_RealTrainPixels_StatisticsEqualSklearnBitForBit()
    {
        JsonElement golden = GoldenJson.Load("scaling/scaling.json").GetProperty("standard");
        StandardScalerModel model = s_model.Value;

        // Integer pixels: the sums are exact and the shifted moments are accumulated row by row like numpy's axis-0
        // reduction, so equality is exact, not approximate.
        Assert.That(model.Mean.ToArray(), Is.EqualTo(golden.GetProperty("mean").Doubles()));
        Assert.That(model.Variance.ToArray(), Is.EqualTo(golden.GetProperty("var").Doubles()));
        Assert.That(model.Scale.ToArray(), Is.EqualTo(golden.GetProperty("scale").Doubles()));
        Assert.That(model.SampleCount, Is.EqualTo(60000));
    }

    [Test]
    [Category("Dataset")]
    public void Transform_RealRows_EqualSklearnInDoubleAndRoundedInFloat()
    {
        JsonElement golden = GoldenJson.Load("scaling/scaling.json").GetProperty("standard");
        StandardScalerModel model = s_model.Value;
        AssertRows(model, s_train.Value, golden.GetProperty("train_rows").Ints(), golden.GetProperty("train_transformed").Doubles());
        AssertRows(model, s_test.Value, golden.GetProperty("test_rows").Ints(), golden.GetProperty("test_transformed").Doubles());
    }

    [Test]
    public void Fit_ConstantColumn_GetsScaleOneAndTransformsToZero()
    {
        float[] x = [5f, 1f, 5f, 2f, 5f, 3f, 5f, 4f];
        StandardScalerModel model = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(x, 4, 2));

        Assert.That(model.Variance[0], Is.Zero);
        Assert.That(model.Scale[0], Is.EqualTo(1.0));
        Assert.That(model.Mean[1], Is.EqualTo(2.5));
        Assert.That(model.Variance[1], Is.EqualTo(1.25));
        float[] z = new float[8];
        model.Transform(new ReadOnlySpan2D<float>(x, 4, 2), new Span2D<float>(z, 4, 2));
        Assert.That(z[0], Is.Zero);
        Assert.That(z[1], Is.EqualTo((float)((1 - 2.5) / Math.Sqrt(1.25))));
    }

    [Test]
    [Category("Dataset")]
    public void Fit_RealTrainPixelBytes_IdenticalToFloatFitAndSklearn()
    {
        JsonElement golden = GoldenJson.Load("scaling/scaling.json").GetProperty("standard");
        StandardScalerModel model = new StandardScaler().Fit(TestData.FashionMnist.Train.Images);

        // Bytes are exact in float and double and the accumulation order is the float fit's: equality is exact.
        Assert.That(model.Mean.ToArray(), Is.EqualTo(s_model.Value.Mean.ToArray()));
        Assert.That(model.Variance.ToArray(), Is.EqualTo(s_model.Value.Variance.ToArray()));
        Assert.That(model.Scale.ToArray(), Is.EqualTo(golden.GetProperty("scale").Doubles()));
        Assert.That(model.SampleCount, Is.EqualTo(60000));
    }

    [Test]
    public void Fit_Bytes_IdenticalToFloatFitOfTheSameValues()
    {
        // 203 columns: three full 64-column blocks and a short one; a constant column exercises the scale-1 rule.
        var random = new Random(11);
        byte[] x = [.. Enumerable.Range(0, 301 * 203).Select(i => i % 203 == 7 ? (byte)42 : (byte)random.Next(256))];
        float[] widened = [.. x.Select(b => (float)b)];
        StandardScalerModel fromBytes = new StandardScaler().Fit(new ReadOnlyMemory2D<byte>(x, 301, 203));
        StandardScalerModel fromFloats = new StandardScaler().Fit(new ReadOnlySpan2D<float>(widened, 301, 203));

        Assert.That(fromBytes.Mean.ToArray(), Is.EqualTo(fromFloats.Mean.ToArray()));
        Assert.That(fromBytes.Variance.ToArray(), Is.EqualTo(fromFloats.Variance.ToArray()));
        Assert.That(fromBytes.Scale.ToArray(), Is.EqualTo(fromFloats.Scale.ToArray()));
        Assert.That(fromBytes.Scale[7], Is.EqualTo(1.0));
        Assert.Throws<ArgumentException>(() => new StandardScaler().Fit(new ReadOnlyMemory2D<byte>(x, 0, 203)));
    }

    [Test]
    public void Fit_ParallelColumnBlocks_IdenticalToSequentialSpanFit()
    {
        var random = new Random(5);
        float[] x = [.. Enumerable.Range(0, 501 * 203).Select(_ => (float)((random.NextDouble() * 1e3) - 300))];
        StandardScalerModel parallel = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(x, 501, 203));
        StandardScalerModel sequential = new StandardScaler().Fit(new ReadOnlySpan2D<float>(x, 501, 203));

        Assert.That(parallel.Mean.ToArray(), Is.EqualTo(sequential.Mean.ToArray()));
        Assert.That(parallel.Variance.ToArray(), Is.EqualTo(sequential.Variance.ToArray()));
    }

    [Test]
    public void Fit_OptionsOff_TransformIsIdentityOrCentringOnly()
    {
        float[] x = [1f, 10f, 3f, 30f];
        StandardScalerModel centreOnly = new StandardScaler(new StandardScalerOptions { WithStd = false }).Fit(new ReadOnlyMemory2D<float>(x, 2, 2));
        float[] z = new float[4];
        centreOnly.Transform(new ReadOnlySpan2D<float>(x, 2, 2), new Span2D<float>(z, 2, 2));
        Assert.That(z, Is.EqualTo(new[] { -1f, -10f, 1f, 10f }));

        StandardScalerModel scaleOnly = new StandardScaler(new StandardScalerOptions { WithMean = false }).Fit(new ReadOnlyMemory2D<float>(x, 2, 2));
        scaleOnly.Transform(new ReadOnlySpan2D<float>(x, 2, 2), new Span2D<float>(z, 2, 2));
        Assert.That(z, Is.EqualTo(new[] { 1f, 1f, 3f, 3f }));
    }

    [Test]
    public void Transform_InPlace_GivesSameResultAsSeparateBuffers()
    {
        float[] x = [.. Enumerable.Range(0, 37 * 3).Select(i => (float)((i * 7919) % 255))];
        StandardScalerModel model = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(x, 37, 3));
        float[] separate = new float[x.Length];
        model.Transform(new ReadOnlySpan2D<float>(x, 37, 3), new Span2D<float>(separate, 37, 3));
        model.Transform(new ReadOnlySpan2D<float>(x, 37, 3), new Span2D<float>(x, 37, 3));
        Assert.That(x, Is.EqualTo(separate));
    }

    [Test]
    public void Transform_AfterWarmUp_AllocatesNothing()
    {
        float[] x = [.. Enumerable.Range(0, 100 * 784).Select(i => (float)(i % 251))];
        StandardScalerModel model = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(x, 100, 784));
        float[] z = new float[x.Length];
        double[] zd = new double[x.Length];
        model.Transform(new ReadOnlySpan2D<float>(x, 100, 784), new Span2D<float>(z, 100, 784));
        model.Transform(new ReadOnlySpan2D<float>(x, 100, 784), new Span2D<double>(zd, 100, 784));

        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Transform(new ReadOnlySpan2D<float>(x, 100, 784), new Span2D<float>(z, 100, 784));
        model.Transform(new ReadOnlySpan2D<float>(x, 100, 784), new Span2D<double>(zd, 100, 784));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void Fit_NaNOrEmpty_ThrowsNamingTheProblem()
    {
        float[] x = [1f, 2f, float.NaN, 4f];
        ArgumentException? e = Assert.Throws<ArgumentException>(() => new StandardScaler().Fit(new ReadOnlyMemory2D<float>(x, 2, 2)));
        Assert.That(e!.Message, Does.Contain("NaN").And.Contain("row 1, column 0"));
        Assert.Throws<ArgumentException>(() => new StandardScaler().Fit(new ReadOnlyMemory2D<float>(x, 0, 2)));
    }

    [Test]
    public void Constructor_NonFiniteMeanOrBadVariance_ThrowsNamingTheArray()
    {
        ArgumentException? e = Assert.Throws<ArgumentException>(() => new StandardScalerModel(new StandardScalerOptions(), 3, [double.NaN], [0], [1]));
        Assert.That(e!.ParamName, Is.EqualTo("mean"));
        Assert.That(e.Message, Does.Contain("mean[0] = NaN"));
        e = Assert.Throws<ArgumentException>(() => new StandardScalerModel(new StandardScalerOptions(), 3, [0], [double.PositiveInfinity], [1]));
        Assert.That(e!.ParamName, Is.EqualTo("variance"));
        e = Assert.Throws<ArgumentException>(() => new StandardScalerModel(new StandardScalerOptions(), 3, [0], [-1], [1]));
        Assert.That(e!.ParamName, Is.EqualTo("variance"));
        Assert.That(e.Message, Does.Contain("variance[0] = -1 must be finite and at least 0"));
    }

    [Test]
    public void Constructor_CallerChangesItsArraysAfterwards_ModelKeepsItsOwnStatistics()
    {
        double[] mean = [1, 2];
        double[] variance = [4, 9];
        double[] scale = [2, 3];
        StandardScalerModel model = new(new StandardScalerOptions(), 3, mean, variance, scale);
        mean[0] = double.NaN;
        variance[1] = -1;
        scale[1] = 0;

        float[] output = new float[2];
        model.Transform(new ReadOnlySpan2D<float>([5f, 8f], 1, 2), new Span2D<float>(output, 1, 2));

        Assert.That(output, Is.EqualTo(new[] { 2f, 2f }));
        Assert.That(model.Mean.ToArray(), Is.EqualTo(new double[] { 1, 2 }));
        Assert.That(model.Scale.ToArray(), Is.EqualTo(new double[] { 2, 3 }));
    }

    [Test]
    public void Fit_RowsWithoutColumns_ThrowsNamingX()
    {
        var x = new ReadOnlyMemory2D<float>(Array.Empty<float>(), 3, 0);
        ArgumentException? e = Assert.Throws<ArgumentException>(() => new StandardScaler().Fit(x));
        Assert.That(e!.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at least one column"));
        e = Assert.Throws<ArgumentException>(() => new StandardScaler().Fit(x.Span));
        Assert.That(e!.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at least one column"));
        e = Assert.Throws<ArgumentException>(() => new StandardScaler().Fit(new ReadOnlyMemory2D<byte>(Array.Empty<byte>(), 3, 0)));
        Assert.That(e!.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at least one column"));
    }

    [Test]
    public void Transform_WrongShape_ThrowsNamingTheParameter()
    {
        StandardScalerModel model = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(new float[6], 2, 3));
        ArgumentException? e = Assert.Throws<ArgumentException>(() => model.Transform(new ReadOnlySpan2D<float>(new float[4], 2, 2), new Span2D<float>(new float[6], 2, 3)));
        Assert.That(e!.ParamName, Is.EqualTo("x"));
        e = Assert.Throws<ArgumentException>(() => model.Transform(new ReadOnlySpan2D<float>(new float[6], 2, 3), new Span2D<float>(new float[3], 1, 3)));
        Assert.That(e!.ParamName, Is.EqualTo("destination"));
    }

    private static void AssertRows(StandardScalerModel model, float[] data, int[] rows, double[] expected)
    {
        double[] actual = new double[784];
        float[] actualFloat = new float[784];
        for (int k = 0; k < rows.Length; k++)
        {
            var row = new ReadOnlySpan2D<float>(data, rows[k] * 784, 1, 784, 0);
            model.Transform(row, new Span2D<double>(actual, 1, 784));
            model.Transform(row, new Span2D<float>(actualFloat, 1, 784));
            double[] want = expected.AsSpan(k * 784, 784).ToArray();
            Assert.That(actual, Is.EqualTo(want), $"row {rows[k]} (double)");
            Assert.That(actualFloat, Is.EqualTo(want.Select(v => (float)v).ToArray()), $"row {rows[k]} (float)");
        }
    }
}
