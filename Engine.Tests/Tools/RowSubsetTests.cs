using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Tools.Commands;
using FashionCore.Tools.Study;

namespace FashionCore.Tests.Tools;

public class RowSubsetTests
{
    // 203 rows: three full 64-row blocks and a partial one; 37 columns: not a multiple of any vector width.
    private const int Height = 203;
    private const int Width = 37;

    private static readonly byte[] s_pixels = RandomBytes(Height * Width, seed: 5);

    private static ReadOnlyMemory2D<byte> Images => new(s_pixels, Height, Width);

    // Every other row, backwards, plus repeats: order and duplicates must be kept.
    private static int[] Rows => [.. Enumerable.Range(0, Height).Where(i => i % 2 == 0).Reverse(), 7, 7, 0, Height - 1];

    public static IEnumerable<TestCaseData> Transforms()
    {
        ReadOnlyMemory2D<float> x = new(WidenAll(), Height, Width);
        yield return new TestCaseData((object?)null).SetArgDisplayNames("none");
        yield return new TestCaseData(new StandardScaler().Fit(x)).SetArgDisplayNames("standard");
        yield return new TestCaseData(new MinMaxScaler().Fit(x)).SetArgDisplayNames("minmax");
        yield return new TestCaseData(new PixelScaler().Fit(x)).SetArgDisplayNames("x255");
    }

    [TestCaseSource(nameof(Transforms))]
    public void Widen_AnyThreadCount_EqualsWideningAndTransformingEachRowAlone(ITransformer? transform)
    {
        int[] rows = Rows;
        float[] expected = new float[rows.Length * Width];
        float[] row = new float[Width];
        for (int r = 0; r < rows.Length; r++)
        {
            TensorPrimitives.ConvertChecked(s_pixels.AsSpan(rows[r] * Width, Width), row);
            if (transform is null)
            {
                row.CopyTo(expected.AsSpan(r * Width, Width));
            }
            else
            {
                transform.Transform(new ReadOnlySpan2D<float>(row, 1, Width), new Span2D<float>(expected, r * Width, 1, Width, 0));
            }
        }

        float[] unlimited = RowSubset.Widen(Images, rows, transform);
        float[] single = ThreadLimit.Run(1, () => RowSubset.Widen(Images, rows, transform));
        float[] two = ThreadLimit.Run(2, () => RowSubset.Widen(Images, rows, transform));

        Assert.That(unlimited, Is.EqualTo(expected).AsCollection, "bit-identical to the row-by-row path");
        Assert.That(single, Is.EqualTo(expected).AsCollection);
        Assert.That(two, Is.EqualTo(expected).AsCollection);
    }

    [Test]
    public void Widen_NoRows_ReturnsAnEmptyArray()
    {
        Assert.That(RowSubset.Widen(Images, [], null), Is.Empty);
    }

    [TestCase(-1)]
    [TestCase(Height)]
    public void Widen_RowOutsideTheMatrix_ThrowsNamingRowsAndTheIndex(int bad)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RowSubset.Widen(Images, [0, bad, 1], null));

        Assert.That(e!.ParamName, Is.EqualTo("rows"));
        Assert.That(e.Message, Does.Contain($"rows[1] = {bad}").And.Contain($"{Height} rows"));
    }

    [Test]
    public void Widen_TransformOfOtherWidth_ThrowsNamingTransform()
    {
        ITransformer pca = new Pca(new PcaOptions { Components = 2 }).Fit(new ReadOnlyMemory2D<float>(WidenAll(), Height, Width));

        var e = Assert.Throws<ArgumentException>(() => RowSubset.Widen(Images, [0], pca));

        Assert.That(e!.ParamName, Is.EqualTo("transform"));
        Assert.That(e.Message, Does.Contain($"maps {Width} to 2 columns"));
    }

    [Test]
    public void Widen_NullRows_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => RowSubset.Widen(Images, null!, null));
    }

    [Test]
    public void Copy_AnyThreadCount_EqualsTheRowsInOrder()
    {
        float[] all = WidenAll();
        var x = new ReadOnlyMemory2D<float>(all, Height, Width);
        int[] rows = Rows;
        float[] expected = [.. rows.SelectMany(r => all.AsSpan(r * Width, Width).ToArray())];

        Assert.That(RowSubset.Copy(x, rows), Is.EqualTo(expected).AsCollection);
        Assert.That(ThreadLimit.Run(1, () => RowSubset.Copy(x, rows)), Is.EqualTo(expected).AsCollection);
        Assert.That(ThreadLimit.Run(2, () => RowSubset.Copy(x, rows)), Is.EqualTo(expected).AsCollection);
    }

    [Test]
    public void Copy_RowOutsideTheMatrix_ThrowsNamingRows()
    {
        var x = new ReadOnlyMemory2D<float>(WidenAll(), Height, Width);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RowSubset.Copy(x, [Height + 3]));

        Assert.That(e!.ParamName, Is.EqualTo("rows"));
    }

    private static float[] WidenAll()
    {
        float[] all = new float[s_pixels.Length];
        TensorPrimitives.ConvertChecked(s_pixels, all);
        return all;
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        byte[] bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
