using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Scaling;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Features.Scaling;

public class MinMaxScalerTests
{
    [Test]
    [Category("Dataset")]
    public void Fit_RealTrainPixels_EqualsSklearnAndIsNotDivisionBy255()
    {
        JsonElement golden = GoldenJson.Load("scaling/scaling.json");
        JsonElement mm = golden.GetProperty("minmax");
        float[] train = TestData.FashionMnist.Train.ToFloatPixels();
        MinMaxScalerModel model = new MinMaxScaler().Fit(new ReadOnlyMemory2D<float>(train, 60000, 784));

        Assert.That(model.DataMin.ToArray(), Is.EqualTo(mm.GetProperty("data_min").Doubles()));
        Assert.That(model.DataMax.ToArray(), Is.EqualTo(mm.GetProperty("data_max").Doubles()));
        Assert.That(model.Scale.ToArray(), Is.EqualTo(mm.GetProperty("scale").Doubles()));
        Assert.That(model.Offset.ToArray(), Is.EqualTo(mm.GetProperty("min").Doubles()));
        Assert.That(model.DataMax.ToArray().Count(v => v < 255), Is.EqualTo(golden.GetProperty("columns_with_max_below_255").GetInt32()).And.EqualTo(54));

        float[] test = TestData.FashionMnist.Test.ToFloatPixels();
        int[] rows = mm.GetProperty("test_rows").Ints();
        double[] expected = mm.GetProperty("test_transformed").Doubles();
        double[] actual = new double[784];
        for (int k = 0; k < rows.Length; k++)
        {
            model.Transform(new ReadOnlySpan2D<float>(test, rows[k] * 784, 1, 784, 0), new Span2D<double>(actual, 1, 784));
            Assert.That(actual, Is.EqualTo(expected.AsSpan(k * 784, 784).ToArray()), $"test row {rows[k]}");
        }
    }

    [Test]
    public void Transform_CustomRangeAndConstantColumn_FollowsSklearnFormula()
    {
        float[] x = [0f, 7f, 10f, 7f, 5f, 7f];
        MinMaxScalerModel model = new MinMaxScaler(new MinMaxScalerOptions { RangeMin = -1, RangeMax = 1 }).Fit(new ReadOnlyMemory2D<float>(x, 3, 2));
        float[] z = new float[6];
        model.Transform(new ReadOnlySpan2D<float>(x, 3, 2), new Span2D<float>(z, 3, 2));

        // Column 0: 0..10 -> -1..1. Column 1 is constant: range counts as 1, so x·2 + (−1 − 7·2) = −1.
        Assert.That(z, Is.EqualTo(new[] { -1f, -1f, 1f, -1f, 0f, -1f }));
    }

    [Test]
    public void Transform_ValuesOutsideTrainingRange_AreNotClipped()
    {
        MinMaxScalerModel model = new MinMaxScaler().Fit(new ReadOnlyMemory2D<float>(new[] { 0f, 100f }, 2, 1));
        float[] z = new float[1];
        model.Transform(new ReadOnlySpan2D<float>(new[] { 150f }, 1, 1), new Span2D<float>(z, 1, 1));
        Assert.That(z[0], Is.EqualTo(1.5f));
    }

    [Test]
    public void Options_EmptyRange_ThrowsNamingTheOption()
    {
        ArgumentOutOfRangeException? e = Assert.Throws<ArgumentOutOfRangeException>(() => new MinMaxScaler(new MinMaxScalerOptions { RangeMin = 1, RangeMax = 1 }));
        Assert.That(e!.ParamName, Is.EqualTo("RangeMin"));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MinMaxScalerOptions { RangeMax = double.NaN });
        Assert.That(e!.ParamName, Is.EqualTo("RangeMax"));
    }

    [Test]
    public void Options_RangeWidthOverflows_ThrowsNamingRangeMax()
    {
        ArgumentOutOfRangeException? e = Assert.Throws<ArgumentOutOfRangeException>(() => new MinMaxScaler(new MinMaxScalerOptions { RangeMin = -1e308, RangeMax = 1e308 }));
        Assert.That(e!.ParamName, Is.EqualTo("RangeMax"));
        Assert.That(e.Message, Does.Contain("must be finite"));
    }

    [Test]
    public void Fit_ScaleOverflowsDouble_ThrowsNamingXAndColumn()
    {
        // Width 1e308 over a column range of 1e-10: the scale 1e318 is beyond double.
        float[] x = [0f, 1f, 1e-10f, 1f];
        var scaler = new MinMaxScaler(new MinMaxScalerOptions { RangeMin = 0, RangeMax = 1e308 });
        ArgumentException? e = Assert.Throws<ArgumentException>(() => scaler.Fit(new ReadOnlyMemory2D<float>(x, 2, 2)));
        Assert.That(e!.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("column 0"));
    }

    [Test]
    public void Constructor_CallerChangesItsArraysAfterwards_ModelKeepsItsOwnStatistics()
    {
        double[] dataMin = [0, 2];
        double[] dataMax = [4, 6];
        double[] scale = [0.25, 0.25];
        double[] offset = [0, -0.5];
        MinMaxScalerModel model = new(new MinMaxScalerOptions(), dataMin, dataMax, scale, offset);
        dataMin[0] = double.NaN;
        scale[0] = -3;
        offset[1] = double.PositiveInfinity;

        float[] output = new float[2];
        model.Transform(new ReadOnlySpan2D<float>([2f, 4f], 1, 2), new Span2D<float>(output, 1, 2));

        Assert.That(output, Is.EqualTo(new[] { 0.5f, 0.5f }));
        Assert.That(model.DataMin.ToArray(), Is.EqualTo(new double[] { 0, 2 }));
        Assert.That(model.Scale.ToArray(), Is.EqualTo(new double[] { 0.25, 0.25 }));
    }

    [Test]
    public void Constructor_InvalidOptionsOrStatistics_ThrowsNamingTheArgument()
    {
        ArgumentOutOfRangeException? range = Assert.Throws<ArgumentOutOfRangeException>(
            () => new MinMaxScalerModel(new MinMaxScalerOptions { RangeMin = 5, RangeMax = 1 }, [0], [1], [1], [0]));
        Assert.That(range!.ParamName, Is.EqualTo("RangeMin"));
        ArgumentException? e = Assert.Throws<ArgumentException>(() => new MinMaxScalerModel(new MinMaxScalerOptions(), [0], [1], [double.NaN], [0]));
        Assert.That(e!.ParamName, Is.EqualTo("scale"));
        Assert.That(e.Message, Does.Contain("scale[0] = NaN"));
        e = Assert.Throws<ArgumentException>(() => new MinMaxScalerModel(new MinMaxScalerOptions(), [0], [1], [1], [double.PositiveInfinity]));
        Assert.That(e!.ParamName, Is.EqualTo("offset"));
        e = Assert.Throws<ArgumentException>(() => new MinMaxScalerModel(new MinMaxScalerOptions(), [2], [1], [1], [0]));
        Assert.That(e!.ParamName, Is.EqualTo("dataMin"));
        Assert.That(e.Message, Does.Contain("dataMin ≤ dataMax"));
    }

    [Test]
    public void Fit_RowsWithoutColumns_ThrowsNamingX()
    {
        ArgumentException? e = Assert.Throws<ArgumentException>(() => new MinMaxScaler().Fit(new ReadOnlyMemory2D<float>(Array.Empty<float>(), 3, 0)));
        Assert.That(e!.ParamName, Is.EqualTo("x"));
        Assert.That(e.Message, Does.Contain("at least one column"));
    }

    [Test]
    public void Transform_AfterWarmUp_AllocatesNothing()
    {
        float[] x = [.. Enumerable.Range(0, 50 * 784).Select(i => (float)(i % 253))];
        MinMaxScalerModel model = new MinMaxScaler().Fit(new ReadOnlyMemory2D<float>(x, 50, 784));
        float[] z = new float[x.Length];
        model.Transform(new ReadOnlySpan2D<float>(x, 50, 784), new Span2D<float>(z, 50, 784));
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Transform(new ReadOnlySpan2D<float>(x, 50, 784), new Span2D<float>(z, 50, 784));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
