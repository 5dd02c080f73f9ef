using FashionCore.Data;
using FashionCore.Tests.Tools;

namespace FashionCore.Tests.Data;

/// <summary>A corrupt file surfaces as the documented <see cref="InvalidDataException"/>, even though both splits load in parallel.</summary>
public class FashionMnistCorruptFileTests
{
    [Test]
    public void LoadFrom_TruncatedTestImages_ThrowsInvalidDataExceptionNamingTheFile()
    {
        using var data = new CorruptDataDirectory();

        InvalidDataException? e = Assert.Throws<InvalidDataException>(() => FashionMnist.LoadFrom(data.Path));

        Assert.That(e!.Message, Does.Contain("t10k-images-idx3-ubyte.gz"));
    }

    [Test]
    public void LoadTrainFrom_TruncatedTestImages_LoadsTheTrainingSplit()
    {
        using var data = new CorruptDataDirectory();

        Assert.That(FashionMnist.LoadTrainFrom(data.Path).Count, Is.EqualTo(20));
    }
}
