using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Models.Clustering;
using FashionCore.Models.Linear;
using FashionCore.Selection;

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

        float[] pixels = data.Train.ToFloatPixels();
        float[] standardized = new float[pixels.Length];
        var x = new ReadOnlyMemory2D<float>(pixels, data.Train.Count, data.Train.PixelCount);
        var z = new Memory2D<float>(standardized, x.Height, x.Width);
        (double standardize, StandardScalerModel scaler) = Time(reps, () =>
        {
            StandardScalerModel model = new StandardScaler().Fit(x);
            model.Transform(x.Span, z.Span);
            return model;
        });
        if (Want("standardize"))
        {
            results["standardize"] = standardize;
        }

        if (Want("pca40_fit"))
        {
            // Like for like: the peer fits PCA(40) on the standardized matrix, so do we.
            (results["pca40_fit"], _) = Time(reps, () => new Pca(new PcaOptions { Components = 40 }).Fit(z));
            // The same model from the raw pixels and the scaler (exact integer covariance), for reference.
            (results["pca40_fit_from_raw"], _) = Time(reps, () => new Pca(new PcaOptions { Components = 40 }).FitStandardized(x, scaler));
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

        if (Want("kmeans5"))
        {
            // The peer's subset: standardized train rows (scaler fitted on all 60 000) with labels 0..4.
            int[] rows = [.. Enumerable.Range(0, data.Train.Count).Where(i => data.Train.Labels.Span[i] <= 4)];
            float[] subset = new float[rows.Length * x.Width];
            for (int k = 0; k < rows.Length; k++)
            {
                z.Span.GetRowSpan(rows[k]).CopyTo(subset.AsSpan(k * x.Width, x.Width));
            }

            var kmeans = new KMeans(new KMeansOptions { Clusters = 5, InitCount = 1, RandomState = 0 });
            (double seconds, KMeansModel clusters) = Time(reps, () => kmeans.Fit(new ReadOnlyMemory2D<float>(subset, rows.Length, x.Width)));
            results["kmeans5"] = seconds;
            results["kmeans5_inertia"] = clusters.Inertia;
        }

        if (Want("saga3_pixels") || Want("predict_10k"))
        {
            float[] train255 = new float[pixels.Length];
            float[] test255 = new float[data.Test.Count * data.Test.PixelCount];
            PixelScaler.Scale(data.Train.Images.Span, new Span2D<float>(train255, data.Train.Count, data.Train.PixelCount));
            PixelScaler.Scale(data.Test.Images.Span, new Span2D<float>(test255, data.Test.Count, data.Test.PixelCount));
            var trainX = new ReadOnlyMemory2D<float>(train255, data.Train.Count, data.Train.PixelCount);
            var testX = new ReadOnlyMemory2D<float>(test255, data.Test.Count, data.Test.PixelCount);
            int[] yTrain = data.Train.GetLabelsInt32();
            var saga = new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 3, RandomState = 0 });
            (double sagaSeconds, LogisticRegressionModel model) = Time(reps, () => saga.Fit(trainX, yTrain));
            if (Want("saga3_pixels"))
            {
                results["saga3_pixels"] = sagaSeconds;
                results["saga3_pixels_test_acc"] = model.Score(testX.Span, data.Test.GetLabelsInt32());
            }

            if (Want("predict_10k"))
            {
                float[] probabilities = new float[data.Test.Count * model.Classes.Length];
                (results["predict_10k"], _) = Time(reps, () =>
                {
                    model.PredictProbabilities(testX.Span, new Span2D<float>(probabilities, data.Test.Count, model.Classes.Length));
                    return 0;
                });
            }
        }

        if (Want("study_grids"))
        {
            // Not a peer stage: the study's two 6-candidate × 3-fold grids (x/255 → LogisticRegression(max_iter=1)).
            int[] y = data.Train.GetLabelsInt32();
            var splitter = new CrossValidationOptions { Splitter = new StratifiedKFold(3) };
            var logreg = new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 1, RandomState = 0 });
            var pipeline = new Pipeline([new("pixels", new PixelScaler())], "logreg", logreg);
            var solverGrid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>> { ["logreg.C"] = [10.0, 100.0, 0.1], ["logreg.solver"] = ["saga", "newton-cg"] });
            var multiClassGrid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>> { ["logreg.C"] = [10.0, 100.0, 0.1], ["logreg.multi_class"] = ["ovr", "multinomial"] });
            (results["study_grid_solver"], _) = Time(reps, () => GridSearch.Run(pipeline, solverGrid, x, y, splitter));
            (results["study_grid_multiclass"], _) = Time(reps, () => GridSearch.Run(pipeline, multiClassGrid, x, y, splitter));
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
