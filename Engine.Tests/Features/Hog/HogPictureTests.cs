using System.Text.Json;
using FashionCore.Features.Hog;

namespace FashionCore.Tests.Features.Hog;

[Category("Dataset")]
public class HogPictureTests
{
    [Test]
    public void DrawHogImage_SkimageVisualize_BitExact()
    {
        using JsonDocument golden = HogGolden.Load("hog_image.json.gz");
        int pictures = 0;
        foreach (JsonElement picture in golden.RootElement.GetProperty("pictures").EnumerateArray())
        {
            HogOptions options = HogGolden.Options(picture.GetProperty("options"));
            int index = picture.GetProperty("index").GetInt32();
            double[] expected = HogGolden.Doubles(picture.GetProperty("hog_image"));
            var model = new HogModel(options);
            double[] actual = new double[784];
            model.DrawHogImage(HogGolden.Image(index), actual);

            Assert.That(actual, Is.EqualTo(expected), $"{options}, image {index}: {HogGolden.FirstDifference(expected, actual)}");
            pictures++;
        }

        Assert.That(pictures, Is.EqualTo(15));
    }

    [Test]
    public void DrawHogImage_OnePixelCells_ThrowsArgumentException()
    {
        var model = new HogModel(new HogOptions { PixelsPerCell = (1, 4), CellsPerBlock = (1, 1) });
        Assert.That(() => model.DrawHogImage(new byte[784], new double[784]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("PixelsPerCell"));
    }
}
