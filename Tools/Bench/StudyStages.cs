using System.Diagnostics;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Features.Hog;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;
using FashionCore.Models.Clustering;
using FashionCore.Models.Linear;
using FashionCore.Numerics;
using FashionCore.Selection;

namespace FashionCore.Tools.Bench;

/// <summary>
/// The study's stages timed in-process (median seconds of <c>reps</c> repetitions), with the stage names and the work
/// of the scikit-learn peer script <c>stages_sklearn.py</c>, so the two can be put side by side (<c>Bench/compare.py</c>).
/// </summary>
/// <remarks>
/// Peer stages: <c>load</c>, <c>hog_70k</c>, <c>standardize</c>, <c>pca40_fit</c>, <c>saga3_pixels</c> (+
/// <c>saga3_pixels_test_acc</c>), <c>kmeans5</c> (+ <c>kmeans5_inertia</c>), <c>predict_10k</c>. Extra stages, run only
/// when asked for: <c>pca40_fit_from_raw</c> (same model from raw pixels and the scaler), <c>study_grids</c> (the
/// study's two 6-candidate × 3-fold grids, as <c>study_grid_solver</c> and <c>study_grid_multiclass</c>) and
/// <c>handover</c> (seconds per one-way hand-over of a 21-line message between two threads, <see cref="HandOverProbe"/>,
/// the median of <c>reps</c> batches of 20 000 round trips, measured just before <c>saga3_pixels</c>: the VM's placement
/// of its vCPUs, which the two-thread SAGA fit depends on). <c>hog_saga100</c> and <c>pca40_saga100</c> (each + <c>_test_acc</c>
/// and <c>_n_iter</c>) time the study's SAGA fits on dense features, LogisticRegression(solver='saga', random_state=0)
/// with the default max_iter=100 and tol=1e-4, on HOG (8 orientations) of the raw pixels and on PCA(40) of the
/// standardized pixels; their peer is <c>Bench/peer/dense_saga_sklearn.py</c> (the features are computed once,
/// outside the timing, on both sides). <c>hog_saga_shuffled</c> (+ <c>_test_acc</c>, <c>_n_iter</c>) is the HOG fit
/// with <see cref="LogisticRegressionSampleOrder.Shuffled"/> (no peer: sklearn has no such order). <c>saga3_pixels_u8</c>
/// (+ <c>_test_acc</c>) is <c>saga3_pixels</c>' fit from the raw pixels (bytes) and the scale 1/255, the features
/// pixels·(1/255) (<see cref="LogisticRegression.Fit(ReadOnlyMemory2D{byte}, double, ReadOnlyMemory{int}, CancellationToken)"/>);
/// <c>Bench/compare.py</c> sets it against the peer's <c>saga3_pixels</c>.
/// </remarks>
internal static class StudyStages
{
    /// <summary>The peer's stages, in its order (the default selection).</summary>
    public static readonly IReadOnlyList<string> PeerStages = ["load", "hog_70k", "standardize", "pca40_fit", "saga3_pixels", "kmeans5", "predict_10k"];

    /// <summary>Every stage name accepted.</summary>
    public static readonly IReadOnlyList<string> AllStages = [.. PeerStages, "pca40_fit_from_raw", "study_grids", "handover", "hog_saga100", "pca40_saga100", "hog_saga_shuffled", "saga3_pixels_u8"];

    /// <summary>Runs the selected stages on the data in <paramref name="directory"/>; returns stage → median seconds (and the quality figures).</summary>
    /// <param name="directory">The data directory.</param>
    /// <param name="reps">Repetitions per stage (≥ 1); the first includes JIT compilation, as a one-shot CLI run would.</param>
    /// <param name="stages">The stages to run.</param>
    /// <param name="threads">Worker threads for HOG and PCA.</param>
    /// <param name="onStage">Called with each stage name before it runs (for progress display).</param>
    public static Dictionary<string, double> Run(string directory, int reps, IReadOnlySet<string> stages, int threads, Action<string>? onStage = null)
    {
        bool Want(string stage)
        {
            bool wanted = stages.Contains(stage);
            if (wanted)
            {
                onStage?.Invoke(stage);
            }

            return wanted;
        }

        var results = new Dictionary<string, double>(StringComparer.Ordinal);
        (double load, FashionMnistData data) = Time(reps, () => FashionMnist.LoadFrom(directory));
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
            (results["pca40_fit"], _) = Time(reps, () => new Pca(new PcaOptions { Components = 40, MaxDegreeOfParallelism = threads }).Fit(z));
        }

        if (Want("pca40_fit_from_raw"))
        {
            // The same model from the raw pixels and the scaler (exact integer covariance).
            (results["pca40_fit_from_raw"], _) = Time(reps, () => new Pca(new PcaOptions { Components = 40, MaxDegreeOfParallelism = threads }).FitStandardized(x, scaler));
        }

        if (Want("hog_70k"))
        {
            byte[] all = [.. data.Train.Pixels.Span, .. data.Test.Pixels.Span];
            int count = data.Train.Count + data.Test.Count;
            var hog = new HogModel(new HogOptions { Orientations = 8 });
            float[] features = new float[count * hog.OutputFeatureCount];
            (results["hog_70k"], _) = Time(reps, () =>
            {
                hog.Transform(new ReadOnlySpan2D<byte>(all, count, data.Train.PixelCount), new Span2D<float>(features, count, hog.OutputFeatureCount), threads);
                return 0;
            });
        }

        bool hogSaga = Want("hog_saga100");
        bool hogShuffled = Want("hog_saga_shuffled");
        if (hogSaga || hogShuffled)
        {
            var hog = new HogModel(new HogOptions { Orientations = 8 });
            Memory2D<float> train = FreshArray.AllocateMatrix<float>(data.Train.Count, hog.OutputFeatureCount);
            Memory2D<float> test = FreshArray.AllocateMatrix<float>(data.Test.Count, hog.OutputFeatureCount);
            hog.Transform(data.Train.Images.Span, train.Span, threads);
            hog.Transform(data.Test.Images.Span, test.Span, threads);
            if (hogSaga)
            {
                TimeDenseFit("hog_saga100", reps, train, test, data, results);
            }

            if (hogShuffled)
            {
                TimeDenseFit("hog_saga_shuffled", reps, train, test, data, results, LogisticRegressionSampleOrder.Shuffled);
            }
        }

        if (Want("pca40_saga100"))
        {
            PcaModel pca = new Pca(new PcaOptions { Components = 40, MaxDegreeOfParallelism = threads }).Fit(z);
            Memory2D<float> train = FreshArray.AllocateMatrix<float>(data.Train.Count, 40);
            Memory2D<float> test = FreshArray.AllocateMatrix<float>(data.Test.Count, 40);
            pca.Transform(z.Span, train.Span);
            float[] testPixels = data.Test.ToFloatPixels();
            float[] testStandardized = new float[testPixels.Length];
            scaler.Transform(new ReadOnlySpan2D<float>(testPixels, data.Test.Count, data.Test.PixelCount), new Span2D<float>(testStandardized, data.Test.Count, data.Test.PixelCount));
            pca.Transform(new ReadOnlySpan2D<float>(testStandardized, data.Test.Count, data.Test.PixelCount), test.Span);
            TimeDenseFit("pca40_saga100", reps, train, test, data, results);
        }

        if (Want("kmeans5"))
        {
            // The peer's subset: standardized train rows (scaler fitted on all 60 000) with labels 0..4.
            int[] rows = [.. Enumerable.Range(0, data.Train.Count).Where(i => data.Train.Labels.Span[i] <= 4)];
            Memory2D<float> subset = FreshArray.AllocateMatrix<float>(rows.Length, x.Width);
            for (int k = 0; k < rows.Length; k++)
            {
                z.Span.GetRowSpan(rows[k]).CopyTo(subset.Span.GetRowSpan(k));
            }

            var kmeans = new KMeans(new KMeansOptions { Clusters = 5, InitCount = 1, RandomState = 0 });
            (double seconds, KMeansModel clusters) = Time(reps, () => kmeans.Fit(subset));
            results["kmeans5"] = seconds;
            results["kmeans5_inertia"] = clusters.Inertia;
        }

        if (Want("handover"))
        {
            results["handover"] = HandOverProbe.Measure(batches: reps);
        }

        bool saga = stages.Contains("saga3_pixels");
        bool predict = stages.Contains("predict_10k");
        if (saga || predict)
        {
            onStage?.Invoke(saga ? "saga3_pixels" : "predict_10k");
            // Allocated as numpy allocates the peer's matrices (huge pages advised; see FreshArray), rows cache-line aligned.
            Memory2D<float> train255 = FreshArray.AllocateMatrix<float>(data.Train.Count, data.Train.PixelCount);
            Memory2D<float> test255 = FreshArray.AllocateMatrix<float>(data.Test.Count, data.Test.PixelCount);
            PixelScaler.Scale(data.Train.Images.Span, train255.Span);
            PixelScaler.Scale(data.Test.Images.Span, test255.Span);
            ReadOnlyMemory2D<float> trainX = train255;
            ReadOnlyMemory2D<float> testX = test255;
            int[] yTrain = data.Train.GetLabelsInt32();
            var logReg = new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 3, RandomState = 0 });
            (double sagaSeconds, LogisticRegressionModel model) = Time(saga ? reps : 1, () => logReg.Fit(trainX, yTrain));
            if (saga)
            {
                results["saga3_pixels"] = sagaSeconds;
                results["saga3_pixels_test_acc"] = model.Score(testX.Span, data.Test.GetLabelsInt32());
            }

            if (predict)
            {
                onStage?.Invoke("predict_10k");
                float[] probabilities = new float[data.Test.Count * model.Classes.Length];
                (results["predict_10k"], _) = Time(reps, () =>
                {
                    model.PredictProbabilities(testX.Span, new Span2D<float>(probabilities, data.Test.Count, model.Classes.Length));
                    return 0;
                });
            }
        }

        if (Want("saga3_pixels_u8"))
        {
            // The raw pixels in a matrix allocated as saga3_pixels' (huge pages advised, first row 64-byte aligned).
            Memory2D<byte> train = FreshArray.AllocateMatrix<byte>(data.Train.Count, data.Train.PixelCount);
            data.Train.Images.Span.CopyTo(train.Span);
            ReadOnlyMemory2D<byte> trainX = train;
            int[] yTrain = data.Train.GetLabelsInt32();
            var logReg = new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, MaxIterations = 3, RandomState = 0 });
            (results["saga3_pixels_u8"], LogisticRegressionModel model) = Time(reps, () => logReg.Fit(trainX, 1.0 / 255, yTrain));
            float[] test = new float[data.Test.Count * data.Test.PixelCount];
            PixelScaler.Scale(data.Test.Images.Span, new Span2D<float>(test, data.Test.Count, data.Test.PixelCount));
            results["saga3_pixels_u8_test_acc"] = model.Score(new ReadOnlySpan2D<float>(test, data.Test.Count, data.Test.PixelCount), data.Test.GetLabelsInt32());
        }

        if (Want("study_grids"))
        {
            // Not a peer stage: the study's two 6-candidate × 3-fold grids (x/255 → LogisticRegression(max_iter=1)).
            int[] y = data.Train.GetLabelsInt32();
            var splitter = new CrossValidationOptions { Splitter = new StratifiedKFold(3), MaxDegreeOfParallelism = threads };
            var logReg = new LogisticRegression(new LogisticRegressionOptions { MaxIterations = 1, RandomState = 0 });
            var pipeline = new Pipeline([new("pixels", new PixelScaler())], "logreg", logReg);
            var solverGrid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>> { ["logreg.C"] = [10.0, 100.0, 0.1], ["logreg.solver"] = ["saga", "newton-cg"] });
            var multiClassGrid = new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>> { ["logreg.C"] = [10.0, 100.0, 0.1], ["logreg.multi_class"] = ["ovr", "multinomial"] });
            (results["study_grid_solver"], _) = Time(reps, () => GridSearch.Run(pipeline, solverGrid, x, y, splitter));
            (results["study_grid_multiclass"], _) = Time(reps, () => GridSearch.Run(pipeline, multiClassGrid, x, y, splitter));
        }

        return results;
    }

    // The study's SAGA fit on dense features (default max_iter=100, tol=1e-4), the features computed beforehand.
    private static void TimeDenseFit(
        string stage, int reps, ReadOnlyMemory2D<float> train, ReadOnlyMemory2D<float> test, FashionMnistData data, Dictionary<string, double> results,
        LogisticRegressionSampleOrder order = LogisticRegressionSampleOrder.WithReplacement)
    {
        int[] labels = data.Train.GetLabelsInt32();
        var logReg = new LogisticRegression(new LogisticRegressionOptions { Solver = LogisticRegressionSolver.Saga, RandomState = 0, SampleOrder = order });
        (double seconds, LogisticRegressionModel model) = Time(reps, () => logReg.Fit(train, labels));
        results[stage] = seconds;
        results[stage + "_test_acc"] = model.Score(test.Span, data.Test.GetLabelsInt32());
        results[stage + "_n_iter"] = model.Iterations[0];
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
