using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Metrics;
using FashionCore.Models.Linear;
using FashionCore.Persistence;
using FashionCore.Selection;
using FashionCore.Tools.Output;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary><c>fashion train</c>: fit the study's logistic regression on one feature set and evaluate it on the test set.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var set = new StudyOptionSet();
        Option<string> features = StudyCommandOptions.Features();
        Option<string?> range = StudyCommandOptions.TrainRange(testSetWhole: true);
        Option<string?> model = new("--model") { Description = "Save the fitted pipeline (raw pixels in, class out) to this model file." };
        var command = new Command("train", "Fit logistic regression on a feature set; print train/test accuracy, classification report, confusion matrix.");
        command.Options.Add(features);
        set.AddTo(command);
        command.Options.Add(range);
        command.Options.Add(model);
        command.SetAction(result => UserError.Run(() =>
        {
            FeatureKind kind = StudyCommandOptions.ParseFeatures(result.GetValue(features));
            StudySettings settings = set.Read(result);
            StudyOptionSet.WarnIgnored(settings.LogisticRegression);
            // Checked before the data is loaded and the model fitted, as features --out: not after minutes of work.
            string? modelPath = result.GetValue(model) is string path ? ValueParsers.OutputFile("--model", path) : null;
            bool json = result.GetValue(set.Json);
            FashionMnistData data = StudyData.Load(result.GetValue(set.Data), result.GetValue(set.NoDownload), json, settings.Threads);
            (int start, int end) = ValueParsers.Range("--range", result.GetValue(range), data.Train.Count);
            return Run(kind, settings, data, start, end, modelPath, json);
        }));
        return command;
    }

    private static int Run(FeatureKind kind, StudySettings settings, FashionMnistData data, int start, int end, string? modelPath, bool json)
    {
        var progress = new ConsoleProgress(json, settings.Threads);
        ReadOnlyMemory2D<float> xTrain = StudyData.Pixels(data.Train, start, end);
        int[] yTrain = StudyData.Labels(data.Train, start, end);
        ReadOnlyMemory2D<float> xTest = StudyData.Pixels(data.Test, 0, data.Test.Count);
        int[] yTest = StudyData.Labels(data.Test, 0, data.Test.Count);
        Pipeline pipeline = FeaturePipelines.Classifier(kind, settings);
        if (yTrain.Distinct().Take(2).Count() < 2)
        {
            // The engine's own error names its parameter 'y'; the user chose the rows with --range.
            throw new OptionException("--range", $"rows {start}:{end} hold only class {yTrain[0]}; logistic regression needs at least 2 classes.");
        }

        long started = Stopwatch.GetTimestamp();
        PipelineModel model = progress.Stage($"fitting logistic regression on {StudyNames.Of(kind)}", () => pipeline.Fit(xTrain, yTrain));
        double fitSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        int[] trainPredicted = new int[yTrain.Length];
        int[] testPredicted = new int[yTest.Length];
        progress.Stage("predicting", () =>
        {
            model.Predict(xTrain.Span, trainPredicted);
            model.Predict(xTest.Span, testPredicted);
            return 0;
        });
        double trainAccuracy = Accuracy.Score(yTrain, trainPredicted);
        double testAccuracy = Accuracy.Score(yTest, testPredicted);
        var report = ClassificationReport.Compute(yTest, testPredicted);
        var confusion = ConfusionMatrix.Compute(yTest, testPredicted);
        var logReg = (LogisticRegressionModel)model.Classifier;
        int iterations = Max(logReg.Iterations);
        if (!logReg.Converged)
        {
            Console.Error.WriteLine(
                $"fashion: warning: logistic regression did not converge in --max-iter={logReg.Options.MaxIterations} (n_iter={iterations}); raise --max-iter or scale the features (sklearn's ConvergenceWarning).");
        }

        if (modelPath is not null)
        {
            ModelFile.Save(modelPath, model);
        }

        if (json)
        {
            JsonOutput.Write(new JsonObject
            {
                ["features"] = StudyNames.Of(kind),
                ["scale"] = StudyNames.Of(settings.ScaleFor(kind)),
                ["train_rows"] = yTrain.Length,
                ["test_rows"] = yTest.Length,
                ["feature_count"] = logReg.FeatureCount,
                ["train_accuracy"] = trainAccuracy,
                ["test_accuracy"] = testAccuracy,
                ["fit_seconds"] = fitSeconds,
                ["n_iter"] = iterations,
                ["n_iter_per_problem"] = JsonOutput.Array(logReg.Iterations),
                ["converged"] = logReg.Converged,
                ["labels"] = JsonOutput.Array(confusion.Labels),
                ["report"] = report.ToText(),
                ["confusion_matrix"] = ConfusionRows(confusion),
                ["model"] = modelPath is null ? null : Path.GetFullPath(modelPath),
            });
            return 0;
        }

        Console.WriteLine($"features: {StudyCommandOptions.Describe(kind, settings)} → {logReg.FeatureCount} columns");
        Console.WriteLine($"model:    {Describe(logReg.Options)}");
        Console.WriteLine($"train accuracy {trainAccuracy:0.####} ({yTrain.Length} rows), test accuracy {testAccuracy:0.####} ({yTest.Length} rows)");
        Console.WriteLine($"fit {fitSeconds:0.###} s, n_iter {iterations}, {(logReg.Converged ? "converged" : "not converged")}");
        Console.WriteLine();
        Console.WriteLine("classification report (test set):");
        Console.WriteLine(report.ToText());
        Console.WriteLine("confusion matrix (test set; rows: true label, columns: predicted):");
        Console.Write(FormatConfusion(confusion));
        if (modelPath is not null)
        {
            Console.WriteLine();
            Console.WriteLine($"model saved to {Path.GetFullPath(modelPath)}");
        }

        return 0;
    }

    internal static string Describe(LogisticRegressionOptions o) =>
        $"LogisticRegression(solver={StudyNames.Of(o.Solver)}, multi_class={StudyNames.Of(o.MultiClass)}, penalty={StudyNames.Of(o.Penalty)}, C={o.C}, "
        + $"{(o.L1Ratio is double r ? $"l1_ratio={r}, " : "")}max_iter={o.MaxIterations}, tol={o.Tolerance}, random_state={o.RandomState}{(o.SampleOrder == LogisticRegressionSampleOrder.WithReplacement || o.Solver != LogisticRegressionSolver.Saga ? "" : $", sample_order={StudyNames.Of(o.SampleOrder)}")})";

    internal static JsonArray ConfusionRows(ConfusionMatrix confusion)
    {
        var rows = new JsonArray();
        for (int i = 0; i < confusion.Size; i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < confusion.Size; j++)
            {
                row.Add(confusion[i, j]);
            }

            rows.Add(row);
        }

        return rows;
    }

    internal static string FormatConfusion(ConfusionMatrix confusion)
    {
        var text = new StringBuilder();
        text.Append("      ");
        foreach (int label in confusion.Labels)
        {
            text.Append($"{label,6}");
        }

        text.Append('\n');
        for (int i = 0; i < confusion.Size; i++)
        {
            text.Append($"{confusion.Labels[i],6}");
            for (int j = 0; j < confusion.Size; j++)
            {
                text.Append($"{confusion[i, j],6}");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static int Max(ReadOnlySpan<int> values)
    {
        int max = 0;
        foreach (int v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }
}
