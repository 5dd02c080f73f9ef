using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Features.Scaling;

namespace FashionCore.Bench;

/// <summary>
/// In-process median seconds of the study's stages, with the same stage names as
/// <c>stages_sklearn.py</c> (the scikit-learn peer), printed as one JSON object so <c>compare.py</c> can pair them.
/// Usage: <c>FashionCore.Bench stages [REPS] [STAGE,STAGE…]</c>. Stages not implemented yet are omitted.
/// </summary>
public static class StageTimer
{
    public static void Run(string[] args)
    {
        int reps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        HashSet<string>? only = args.Length > 1 ? [.. args[1].Split(',')] : null;
        bool Want(string stage) => only is null || only.Contains(stage);
        var results = new Dictionary<string, double>();
        string dir = FashionMnistLocator.Locate(options: new FashionMnistLocatorOptions { AllowDownload = false });

        (double load, FashionMnistData data) = Time(reps, () => FashionMnist.LoadFrom(dir));
        if (Want("load"))
        {
            results["load"] = load;
        }

        if (Want("standardize"))
        {
            float[] pixels = data.Train.ToFloatPixels();
            float[] output = new float[pixels.Length];
            var x = new ReadOnlyMemory2D<float>(pixels, data.Train.Count, data.Train.PixelCount);
            (results["standardize"], _) = Time(reps, () =>
            {
                new StandardScaler().Fit(x).Transform(x.Span, new Span2D<float>(output, x.Height, x.Width));
                return 0;
            });
        }

        if (Want("hog_70k"))
        {
            byte[] all = [.. data.Train.Pixels.Span, .. data.Test.Pixels.Span];
            int count = data.Train.Count + data.Test.Count;
            var hog = new HogModel(new HogOptions { Orientations = 8 });
            float[] features = new float[count * hog.OutputFeatureCount];
            (results["hog_70k"], _) = Time(reps, () =>
            {
                hog.Transform(new ReadOnlySpan2D<byte>(all, count, data.Train.PixelCount), new Span2D<float>(features, count, hog.OutputFeatureCount));
                return 0;
            });
        }

        Console.WriteLine(JsonSerializer.Serialize(results));
    }

    private static (double MedianSeconds, T Result) Time<T>(int reps, Func<T> action)
    {
        double[] seconds = new double[Math.Max(1, reps)];
        T result = default!;
        for (int r = 0; r < seconds.Length; r++)
        {
            long start = Stopwatch.GetTimestamp();
            result = action();
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(seconds);
        return (seconds[seconds.Length / 2], result);
    }
}
