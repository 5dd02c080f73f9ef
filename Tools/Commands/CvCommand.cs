using System.CommandLine;
using System.Text.Json.Nodes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Selection;
using FashionCore.Tools.Output;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary><c>fashion cv</c>: stratified k-fold cross-validation of the study's logistic regression on one feature set (sklearn's <c>cross_val_score</c>).</summary>
internal static class CvCommand
{
    public static Command Create()
    {
        var set = new StudyOptionSet();
        Option<string> features = StudyCommandOptions.Features();
        Option<string?> range = StudyCommandOptions.TrainRange();
        Option<int> folds = Folds(5);
        var command = new Command("cv", "Stratified k-fold cross-validation accuracy on the training set (per-fold scores, mean, std).");
        command.Options.Add(features);
        set.AddTo(command);
        command.Options.Add(range);
        command.Options.Add(folds);
        command.SetAction(result => UserError.Run(() =>
        {
            FeatureKind kind = StudyCommandOptions.ParseFeatures(result.GetValue(features));
            StudySettings settings = set.Read(result);
            StudyOptionSet.WarnIgnored(settings.LogisticRegression);
            int k = CheckFolds(result.GetValue(folds));
            bool json = result.GetValue(set.Json);
            FashionMnistData data = StudyData.Load(result.GetValue(set.Data), result.GetValue(set.NoDownload), json, settings.Threads);
            (int start, int end) = ValueParsers.Range("--range", result.GetValue(range), data.Train.Count);
            ReadOnlyMemory2D<float> x = StudyData.Pixels(data.Train, start, end);
            int[] y = StudyData.Labels(data.Train, start, end);
            var options = new CrossValidationOptions { Splitter = CheckSplits(new StratifiedKFold(k), y), MaxDegreeOfParallelism = settings.Threads };
            Pipeline pipeline = FeaturePipelines.Classifier(kind, settings);
            CrossValidationResult cv = new ConsoleProgress(json, settings.Threads).Bar(
                $"{k}-fold cross-validation on {StudyNames.Of(kind)}", k, p => CrossValidation.Evaluate(pipeline, x, y, options, p));
            WarnFitFailures(cv.FitFailures, k);
            WarnScoreFailures(cv.ScoreFailures, k);
            Print(kind, settings, k, y.Length, cv, json);
            return 0;
        }));
        return command;
    }

    internal static Option<int> Folds(int defaultFolds) =>
        ValueParsers.Int("--folds", $"Number of stratified folds, >= 2 (default {defaultFolds}).", defaultFolds);

    /// <summary>sklearn's FitFailedWarning: failed fits were scored NaN; one line on stderr (also with --json, whose stdout stays clean).</summary>
    internal static void WarnFitFailures(IReadOnlyList<FitFailure> failures, int fits) =>
        WarnFailures(failures, $"{failures.Count} of {fits} fits failed and were scored NaN");

    /// <summary>sklearn's "Scoring failed" warning: fitted models whose scoring threw were scored NaN; one line on stderr.</summary>
    internal static void WarnScoreFailures(IReadOnlyList<FitFailure> failures, int fits) =>
        WarnFailures(failures, $"the scoring of {failures.Count} of {fits} fits failed and was set to NaN");

    // One line naming what failed and the first failure; nothing when none did.
    private static void WarnFailures(IReadOnlyList<FitFailure> failures, string what)
    {
        if (failures.Count > 0)
        {
            FitFailure first = failures[0];
            Console.Error.WriteLine(
                $"fashion: warning: {what} (sklearn's error_score=nan); the first (candidate {first.Candidate}, fold {first.Fold}): {first.Exception.Message}");
        }
    }

    /// <summary>
    /// <paramref name="splitter"/>, once it has split <paramref name="y"/> without error. Too many folds for the rows is
    /// the user's choice of --folds and --range, so the engine's error (sklearn's wording, naming its parameter 'y') is
    /// reported with those names.
    /// </summary>
    /// <exception cref="OptionException">The rows cannot be split into that many stratified folds.</exception>
    internal static StratifiedKFold CheckSplits(StratifiedKFold splitter, int[] y)
    {
        try
        {
            _ = splitter.Split(y);
            return splitter;
        }
        catch (ArgumentException e)
        {
            throw new OptionException("--folds", $"{StudyOptionSet.FirstLine(e).TrimEnd('.')} (--range selects {y.Length} training rows).");
        }
    }

    internal static int CheckFolds(int folds) =>
        folds >= 2 ? folds : throw new OptionException("--folds", $"must be at least 2, got {folds}.");

    private static void Print(FeatureKind kind, StudySettings settings, int folds, int rows, CrossValidationResult cv, bool json)
    {
        if (json)
        {
            var payload = new JsonObject
            {
                ["features"] = StudyNames.Of(kind),
                ["scale"] = StudyNames.Of(settings.ScaleFor(kind)),
                ["rows"] = rows,
                ["folds"] = folds,
                ["params"] = new JsonObject(),
                ["test_scores"] = JsonOutput.Array(cv.TestScores),
                ["fit_times"] = JsonOutput.Array(cv.FitTimes),
            };
            for (int i = 0; i < cv.TestScores.Length; i++)
            {
                payload[$"split{i}_test_score"] = cv.TestScores[i];
            }

            payload["mean_test_score"] = cv.MeanScore;
            payload["std_test_score"] = cv.StdScore;
            payload["mean_fit_time"] = Mean(cv.FitTimes);
            payload["mean_score_time"] = Mean(cv.ScoreTimes);
            JsonOutput.Write(payload);
            return;
        }

        Console.WriteLine($"features: {StudyCommandOptions.Describe(kind, settings)}");
        Console.WriteLine($"model:    {TrainCommand.Describe(settings.LogisticRegression)}");
        Console.WriteLine($"{folds}-fold stratified cross-validation on {rows} training rows (accuracy):");
        Console.WriteLine($"  {"fold",4}  {"test_score",10}  {"fit_time",8}");
        for (int i = 0; i < cv.TestScores.Length; i++)
        {
            Console.WriteLine($"  {i,4}  {cv.TestScores[i],10:0.######}  {cv.FitTimes[i],7:0.###}s");
        }

        Console.WriteLine($"mean {cv.MeanScore:0.######}, std {cv.StdScore:0.######}");
    }

    internal static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return values.IsEmpty ? 0 : sum / values.Length;
    }
}
