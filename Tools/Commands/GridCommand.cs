using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using CommunityToolkit.HighPerformance;
using FashionCore.Data;
using FashionCore.Models.Linear;
using FashionCore.Selection;
using FashionCore.Tools.Output;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary><c>fashion grid</c>: exhaustive grid search with stratified k-fold cross-validation (sklearn's <c>GridSearchCV</c> and its <c>cv_results_</c>).</summary>
internal static class GridCommand
{
    public static Command Create()
    {
        var set = new StudyOptionSet();
        Option<string> features = StudyCommandOptions.Features();
        Option<string?> range = StudyCommandOptions.TrainRange();
        Option<int> folds = CvCommand.Folds(3);
        Option<string[]> grid = new("--grid")
        {
            Description = "NAME=V1,V2,… (repeatable): an option of the pipeline and the values to try, e.g. C=10,100,0.1 or solver=saga,newton-cg; "
                + "sklearn names (max_iter, multi_class, n_components) and step paths (logreg.C, pca.n_components) both work.",
            Arity = ArgumentArity.OneOrMore,
            Required = true,
        };
        var command = new Command("grid", "Grid search over pipeline options with stratified k-fold cross-validation; prints the cv_results table.");
        command.Options.Add(features);
        set.AddTo(command);
        command.Options.Add(range);
        command.Options.Add(folds);
        command.Options.Add(grid);
        command.SetAction(result => UserError.Run(() =>
        {
            FeatureKind kind = StudyCommandOptions.ParseFeatures(result.GetValue(features));
            StudySettings settings = set.Read(result);
            int k = CvCommand.CheckFolds(result.GetValue(folds));
            Pipeline pipeline = FeaturePipelines.Classifier(kind, settings);
            (ParameterGrid parameters, Dictionary<string, string> spelled, IReadOnlyList<string> ignored) = ParseGrid(pipeline, result.GetValue(grid) ?? []);
            foreach (string warning in ignored)
            {
                Console.Error.WriteLine(warning);
            }

            bool json = result.GetValue(set.Json);
            FashionMnistData data = StudyData.Load(result.GetValue(set.Data), result.GetValue(set.NoDownload), json, settings.Threads);
            (int start, int end) = ValueParsers.Range("--range", result.GetValue(range), data.Train.Count);
            ReadOnlyMemory2D<float> x = StudyData.Pixels(data.Train, start, end);
            int[] y = StudyData.Labels(data.Train, start, end);
            var options = new CrossValidationOptions { Splitter = CvCommand.CheckSplits(new StratifiedKFold(k), y), MaxDegreeOfParallelism = settings.Threads, Refit = false };
            GridSearchResult<PipelineModel> search = new ConsoleProgress(json, settings.Threads).Bar(
                $"grid search: {parameters.Count} candidates × {k} folds", parameters.Count * k, p => GridSearch.Run(pipeline, parameters, x, y, options, p));
            CvCommand.WarnFitFailures(search.FitFailures, parameters.Count * k);
            CvCommand.WarnScoreFailures(search.ScoreFailures, parameters.Count * k);
            Print(kind, settings, y.Length, search, spelled, json);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Parses the <c>--grid</c> items. A name without a step (<c>C</c>, <c>max_iter</c>) is resolved to the one step
    /// that has such an option, trying the classifier first, so <c>C</c> means <c>logreg.C</c>. Returns the grid over
    /// the resolved paths and, per path, the name as the user spelled it (used in the output). Each value must convert
    /// to its option's type, and each whole candidate must build: the first that does not is reported, named by its values.
    /// The built candidates also give sklearn's UserWarnings for logistic-regression options their fits ignore
    /// (l1_ratio without penalty=elasticnet, C with penalty=none; <see cref="LogisticRegressionOptions.IgnoredSettings"/>):
    /// one line per option, with how many candidates ignore it and the first of them (sklearn warns at every such fit).
    /// </summary>
    internal static (ParameterGrid Grid, Dictionary<string, string> Spelled, IReadOnlyList<string> IgnoredWarnings) ParseGrid(
        Pipeline pipeline, IReadOnlyList<string> items)
    {
        var values = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        var spelled = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string item in items)
        {
            int equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == item.Length - 1)
            {
                throw new OptionException("--grid", $"expected NAME=V1,V2,… (e.g. C=10,100,0.1), got '{item}'.");
            }

            string name = item[..equals].Trim();
            string path = Resolve(pipeline, name);
            // The option's present value tells its type (random_state is a uint, pixels_per_cell a (rows, columns) pair);
            // without it a value is parsed as it reads.
            Type? type = EstimatorOptions.Get(pipeline, path)?.GetType();
            object?[] candidates = [.. item[(equals + 1)..].Split(',').Select(v => ValueParsers.GridValue(name, v.Trim(), type))];
            foreach (object? value in candidates)
            {
                try
                {
                    EstimatorOptions.Validate(pipeline, path, value);
                }
                catch (ArgumentException e)
                {
                    throw new OptionException("--grid", $"{name}={value}: {StudyOptionSet.FirstLine(e)}");
                }
            }

            if (!values.TryAdd(path, candidates))
            {
                throw new OptionException("--grid", $"'{name}' is given twice.");
            }

            spelled[path] = name;
        }

        // Each candidate built whole, with all of its values (a value alone may clash with the base options but not
        // within its candidate: --solver sag --grid solver=saga --grid sample_order=shuffled), so out-of-range values
        // and invalid combinations fail here, naming the candidate, before any data is loaded.
        var grid = new ParameterGrid(values);
        var ignored = new Dictionary<string, (int Count, string First)>(StringComparer.Ordinal);
        foreach (ParameterSet candidate in grid)
        {
            Pipeline built;
            try
            {
                built = EstimatorOptions.With(pipeline, candidate);
            }
            catch (ArgumentException e)
            {
                throw new OptionException("--grid", $"{Named(candidate, spelled)}: {StudyOptionSet.FirstLine(e)}");
            }

            foreach (string setting in built.Classifier is LogisticRegression logReg ? logReg.Options.IgnoredSettings() : [])
            {
                ignored[setting] = ignored.TryGetValue(setting, out var seen) ? (seen.Count + 1, seen.First) : (1, Named(candidate, spelled));
            }
        }

        return (grid, spelled, [.. ignored.Select(w =>
            $"fashion: warning: {EstimatorOptions.SklearnName(w.Key)} is ignored in {w.Value.Count} of {grid.Count} candidates, "
            + (w.Key == nameof(LogisticRegressionOptions.L1Ratio) ? "those whose penalty is not elasticnet" : "those with penalty=none and C ≠ 1")
            + $" (the first: {w.Value.First}; sklearn warns at each of their fits).")]);
    }

    // A candidate as the user wrote its values: "penalty=l2, C=10".
    private static string Named(ParameterSet candidate, Dictionary<string, string> spelled) =>
        string.Join(", ", candidate.Select(kv => $"{spelled[kv.Key]}={kv.Value}"));

    private static string Resolve(Pipeline pipeline, string name)
    {
        if (name.Contains('.', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal))
        {
            try
            {
                _ = EstimatorOptions.Get(pipeline, name);
                return name;
            }
            catch (ArgumentException)
            {
                throw new OptionException("--grid", $"the pipeline has no option '{name}'; options: {string.Join(", ", SklearnNames(pipeline))}.");
            }
        }

        // Steps that own options, classifier first: "logreg", then the transforms' paths ("pca", "union.pca.pca", …).
        IEnumerable<string> steps = EstimatorOptions.Names(pipeline)
            .Select(p => p[..p.LastIndexOf('.')])
            .Distinct(StringComparer.Ordinal)
            .OrderBy(s => s == pipeline.ClassifierName ? 0 : 1);
        List<string> found = [];
        foreach (string step in steps)
        {
            try
            {
                _ = EstimatorOptions.Get(pipeline, $"{step}.{name}");
                found.Add($"{step}.{name}");
            }
            catch (ArgumentException)
            {
                // Not an option of this step.
            }
        }

        return found.Count > 0
            ? found[0]
            : throw new OptionException("--grid", $"no step of the pipeline has an option '{name}'; options: {string.Join(", ", SklearnNames(pipeline))}.");
    }

    /// <summary>The pipeline's option paths with each option in sklearn's spelling (<c>logreg.max_iter</c>, <c>union.hog.pixels_per_cell</c>): the README promises sklearn's names.</summary>
    internal static IEnumerable<string> SklearnNames(Pipeline pipeline) =>
        EstimatorOptions.Names(pipeline).Select(path =>
        {
            int dot = path.LastIndexOf('.');
            return path[..(dot + 1)] + EstimatorOptions.SklearnName(path[(dot + 1)..]);
        });

    private static void Print(FeatureKind kind, StudySettings settings, int rows, GridSearchResult<PipelineModel> search, Dictionary<string, string> spelled, bool json)
    {
        CvResults cv = search.CvResults;
        if (json)
        {
            var parameters = new JsonArray();
            foreach (ParameterSet set in cv.Parameters)
            {
                parameters.Add(Params(set, spelled));
            }

            var payload = new JsonObject
            {
                ["features"] = StudyNames.Of(kind),
                ["scale"] = StudyNames.Of(settings.ScaleFor(kind)),
                ["rows"] = rows,
                ["folds"] = cv.SplitCount,
                ["params"] = parameters,
                ["mean_fit_time"] = JsonOutput.Array(cv.MeanFitTime),
                ["std_fit_time"] = JsonOutput.Array(cv.StdFitTime),
                ["mean_score_time"] = JsonOutput.Array(cv.MeanScoreTime),
            };
            for (int split = 0; split < cv.SplitCount; split++)
            {
                payload[$"split{split}_test_score"] = JsonOutput.Array([.. Enumerable.Range(0, cv.CandidateCount).Select(c => cv.SplitTestScore(split, c))]);
            }

            payload["mean_test_score"] = JsonOutput.Array(cv.MeanTestScore);
            payload["std_test_score"] = JsonOutput.Array(cv.StdTestScore);
            payload["rank_test_score"] = JsonOutput.Array(cv.RankTestScore);
            payload["best_index"] = search.BestIndex;
            payload["best_params"] = Params(search.BestParameters, spelled);
            payload["best_score"] = search.BestScore;
            JsonOutput.Write(payload);
            return;
        }

        Console.WriteLine($"features: {StudyCommandOptions.Describe(kind, settings)}");
        Console.WriteLine($"model:    {TrainCommand.Describe(settings.LogisticRegression)}");
        Console.WriteLine($"grid search, {cv.SplitCount}-fold stratified cross-validation on {rows} training rows (accuracy):");
        Console.Write(Table(cv, spelled));
        Console.WriteLine($"best params: {Text(search.BestParameters, spelled)}");
        Console.WriteLine($"best score:  {search.BestScore}");
    }

    private static JsonObject Params(ParameterSet set, Dictionary<string, string> spelled)
    {
        var o = new JsonObject();
        foreach (KeyValuePair<string, object?> pair in set)
        {
            o[spelled[pair.Key]] = JsonOutput.Value(pair.Value);
        }

        return o;
    }

    private static string Text(ParameterSet set, Dictionary<string, string> spelled) =>
        "{" + string.Join(", ", set.Select(p => $"'{spelled[p.Key]}': {(p.Value is string s ? $"'{s}'" : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture))}")) + "}";

    private static string Table(CvResults cv, Dictionary<string, string> spelled)
    {
        string[] texts = [.. cv.Parameters.Select(p => Text(p, spelled))];
        int width = Math.Max("params".Length, texts.Max(t => t.Length));
        var table = new StringBuilder();
        table.Append($"  {"mean_fit_time",13}  {"params".PadRight(width)}");
        for (int split = 0; split < cv.SplitCount; split++)
        {
            table.Append($"  {$"split{split}_test_score",17}");
        }

        table.Append($"  {"mean_test_score",15}  {"std_test_score",14}  {"rank_test_score",15}\n");
        for (int c = 0; c < cv.CandidateCount; c++)
        {
            table.Append($"  {cv.MeanFitTime[c],13:0.####}  {texts[c].PadRight(width)}");
            for (int split = 0; split < cv.SplitCount; split++)
            {
                table.Append($"  {cv.SplitTestScore(split, c),17:0.######}");
            }

            table.Append($"  {cv.MeanTestScore[c],15:0.######}  {cv.StdTestScore[c],14:0.######}  {cv.RankTestScore[c],15}\n");
        }

        return table.ToString();
    }
}
