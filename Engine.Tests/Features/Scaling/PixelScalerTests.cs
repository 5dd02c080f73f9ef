using CommunityToolkit.HighPerformance;
using FashionCore.Features.Scaling;

namespace FashionCore.Tests.Features.Scaling;

public class PixelScalerTests
{
    [Test]
    public void Scale_EveryByteValueAtEveryTailLength_IsTrueDivisionBy255()
    {
        byte[] all = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];
        for (int length = 0; length <= 256; length++)
        {
            float[] destination = new float[length + 1];
            destination[length] = -7f; // canary: must stay untouched
            PixelScaler.Scale(all.AsSpan(0, length), destination);
            for (int i = 0; i < length; i++)
            {
                Assert.That(destination[i], Is.EqualTo(all[i] / 255f), $"length {length}, byte {i}");
            }

            Assert.That(destination[length], Is.EqualTo(-7f));
        }
    }

    [Test]
    public void Transform_FloatPixels_MatchesByteScaling()
    {
        byte[] pixels = [.. Enumerable.Range(0, 3 * 784).Select(i => (byte)(i * 31 % 256))];
        float[] fromBytes = new float[pixels.Length];
        PixelScaler.Scale(new ReadOnlySpan2D<byte>(pixels, 3, 784), new Span2D<float>(fromBytes, 3, 784));
        float[] raw = [.. pixels.Select(b => (float)b)];
        PixelScalerModel model = new PixelScaler().Fit(new ReadOnlyMemory2D<float>(raw, 3, 784));
        float[] fromFloats = new float[raw.Length];
        model.Transform(new ReadOnlySpan2D<float>(raw, 3, 784), new Span2D<float>(fromFloats, 3, 784));
        Assert.That(fromFloats, Is.EqualTo(fromBytes));
    }

    [Test]
    public void Constructor_FeatureCountBelowOne_ThrowsNamingIt()
    {
        ArgumentOutOfRangeException? e = Assert.Throws<ArgumentOutOfRangeException>(() => new PixelScalerModel(-5));
        Assert.That(e!.ParamName, Is.EqualTo("featureCount"));
        Assert.That(e.Message, Does.Contain("at least 1"));
        ArgumentException? fit = Assert.Throws<ArgumentException>(() => new PixelScaler().Fit(new ReadOnlyMemory2D<float>(Array.Empty<float>(), 3, 0)));
        Assert.That(fit!.ParamName, Is.EqualTo("x"));
        Assert.That(fit.Message, Does.Contain("at least one column"));
    }

    [Test]
    public void Scale_ShortDestination_Throws()
    {
        ArgumentException? e = Assert.Throws<ArgumentException>(() => PixelScaler.Scale(new byte[10], new float[9]));
        Assert.That(e!.ParamName, Is.EqualTo("destination"));
    }

    [Test]
    public void Scale_AfterWarmUp_AllocatesNothing()
    {
        byte[] pixels = new byte[1000 * 784];
        float[] destination = new float[pixels.Length];
        PixelScaler.Scale(new ReadOnlySpan2D<byte>(pixels, 1000, 784), new Span2D<float>(destination, 1000, 784));
        long before = GC.GetAllocatedBytesForCurrentThread();
        PixelScaler.Scale(new ReadOnlySpan2D<byte>(pixels, 1000, 784), new Span2D<float>(destination, 1000, 784));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
