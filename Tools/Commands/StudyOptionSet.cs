using System.CommandLine;
using FashionCore.Features.Hog;
using FashionCore.Models.Linear;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary>
/// The options the feature-taking commands share (names fixed by the issue): <c>--scale</c>, HOG, PCA and logistic
/// regression options, and the common <c>--data --seed --threads --json --no-download</c>; <see cref="Read"/> turns
/// them into validated <see cref="StudySettings"/>, reporting a bad value as a one-line error naming the option.
/// </summary>
internal sealed class StudyOptionSet
{
    private static readonly Dictionary<string, string> s_logRegOptions = new(StringComparer.Ordinal)
    {
        [nameof(LogisticRegressionOptions.Penalty)] = "--penalty",
        [nameof(LogisticRegressionOptions.Solver)] = "--solver",
        [nameof(LogisticRegressionOptions.MultiClass)] = "--multi-class",
        [nameof(LogisticRegressionOptions.C)] = "--C",
        [nameof(LogisticRegressionOptions.MaxIterations)] = "--max-iter",
        [nameof(LogisticRegressionOptions.Tolerance)] = "--tol",
        [nameof(LogisticRegressionOptions.L1Ratio)] = "--l1-ratio",
        [nameof(LogisticRegressionOptions.SampleOrder)] = "--sample-order",
    };

    private static readonly Dictionary<string, string> s_hogOptions = new(StringComparer.Ordinal)
    {
        [nameof(HogOptions.Orientations)] = "--orientations",
        [nameof(HogOptions.PixelsPerCell)] = "--cell",
        [nameof(HogOptions.CellsPerBlock)] = "--block",
        [nameof(HogOptions.BlockNorm)] = "--block-norm",
    };

    private readonly bool _hog;
    private readonly bool _pca;
    private readonly bool _logReg;

    /// <summary>Creates the options; <paramref name="hog"/>, <paramref name="pca"/> and <paramref name="logReg"/> choose which groups the command takes.</summary>
    public StudyOptionSet(bool hog = true, bool pca = true, bool logReg = true)
    {
        _hog = hog;
        _pca = pca;
        _logReg = logReg;
    }

    public Option<string?> Data { get; } = CommonOptions.Data();

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<bool> NoDownload { get; } = CommonOptions.NoDownload();

    public Option<int> Seed { get; } = CommonOptions.Seed();

    public Option<int> Threads { get; } = CommonOptions.Threads();

    public Option<string?> Scale { get; } = new("--scale")
    {
        Description = "Pixel scaling before the features: none, x255, standard or minmax, fitted on the training rows (default: the study's — x255 for pixels, standard before PCA and k-means, raw pixels for HOG).",
    };

    public Option<int?> Orientations { get; } = ValueParsers.NullableInt("--orientations", "HOG orientation bins (default 8, the study's).");

    public Option<string?> Cell { get; } = new("--cell") { Description = "HOG pixels per cell, ROWSxCOLUMNS (default 8x8)." };

    public Option<string?> Block { get; } = new("--block") { Description = "HOG cells per block, ROWSxCOLUMNS (default 3x3)." };

    public Option<string?> BlockNorm { get; } = new("--block-norm") { Description = "HOG block normalisation: L1, L1-sqrt, L2 or L2-Hys (default L2-Hys)." };

    public Option<bool> TransformSqrt { get; } = new("--transform-sqrt") { Description = "HOG: square root of each pixel first (default off)." };

    public Option<int?> Components { get; } = ValueParsers.NullableInt("--components", "PCA components (default 40, the study's).");

    public Option<string?> Solver { get; } = new("--solver") { Description = "Logistic regression solver: saga, sag, newton-cg or lbfgs (default saga)." };

    public Option<string?> MultiClass { get; } = new("--multi-class") { Description = "auto, ovr or multinomial (default auto)." };

    public Option<string?> Penalty { get; } = new("--penalty") { Description = "l2, l1, elasticnet or none (default l2)." };

    public Option<double?> C { get; } = ValueParsers.NullableDouble("--C", "Inverse regularisation strength, > 0 (default 1).");

    public Option<double?> L1Ratio { get; } = ValueParsers.NullableDouble("--l1-ratio", "Elastic-net mixing in [0, 1] (with --penalty elasticnet).");

    public Option<int?> MaxIter { get; } = ValueParsers.NullableInt("--max-iter", "Maximum epochs (saga/sag) or iterations (default 100).");

    public Option<double?> Tol { get; } = ValueParsers.NullableDouble("--tol", "Stopping tolerance (default 1e-4).");

    public Option<string?> SampleOrder { get; } = new("--sample-order")
    {
        Description = "saga sample order: with-replacement (sklearn's draws, default) or shuffled (each epoch a fresh permutation: fewer epochs to the tolerance on HOG, not sklearn's model; rejected with sag, ignored by newton-cg and lbfgs).",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(Seed);
        command.Options.Add(Threads);
        command.Options.Add(Json);
        command.Options.Add(NoDownload);
        command.Options.Add(Scale);
        if (_hog)
        {
            command.Options.Add(Orientations);
            command.Options.Add(Cell);
            command.Options.Add(Block);
            command.Options.Add(BlockNorm);
            command.Options.Add(TransformSqrt);
        }

        if (_pca)
        {
            command.Options.Add(Components);
        }

        if (_logReg)
        {
            command.Options.Add(Solver);
            command.Options.Add(MultiClass);
            command.Options.Add(Penalty);
            command.Options.Add(C);
            command.Options.Add(L1Ratio);
            command.Options.Add(MaxIter);
            command.Options.Add(Tol);
            command.Options.Add(SampleOrder);
        }
    }

    /// <summary>The validated settings.</summary>
    /// <exception cref="OptionException">A value is out of range or invalid in combination; the message names the option.</exception>
    public StudySettings Read(ParseResult result)
    {
        uint seed = CommonOptions.CheckSeed(result.GetValue(Seed));
        int threads = CommonOptions.CheckThreads(result.GetValue(Threads));
        var settings = new StudySettings { Seed = seed, Threads = threads };
        if (result.GetValue(Scale) is string scale)
        {
            settings = settings with { Scale = (ScaleKind)StudyNames.Parse("--scale", scale, StudyNames.Scales) };
        }

        if (_hog)
        {
            settings = settings with { Hog = ReadHog(result) };
        }

        if (_pca && result.GetValue(Components) is int components)
        {
            if (components < 1 || components > 784)
            {
                throw new OptionException("--components", $"must be between 1 and 784 (the pixel count), got {components}.");
            }

            settings = settings with { Components = components };
        }

        if (_logReg)
        {
            settings = settings with { LogisticRegression = ReadLogisticRegression(result, settings.Seed) };
        }

        return settings;
    }

    private HogOptions ReadHog(ParseResult result)
    {
        HogOptions hog = StudySettings.StudyHog;
        if (result.GetValue(Orientations) is int orientations)
        {
            hog = hog with { Orientations = orientations };
        }

        if (result.GetValue(Cell) is string cell)
        {
            hog = hog with { PixelsPerCell = ValueParsers.Size("--cell", cell) };
        }

        if (result.GetValue(Block) is string block)
        {
            hog = hog with { CellsPerBlock = ValueParsers.Size("--block", block) };
        }

        if (result.GetValue(BlockNorm) is string norm)
        {
            hog = hog with { BlockNorm = (HogBlockNorm)StudyNames.Parse("--block-norm", norm, StudyNames.BlockNorms) };
        }

        hog = hog with { TransformSqrt = result.GetValue(TransformSqrt) };
        try
        {
            // Builds the 28×28 geometry too, so a cell or block larger than the image is reported here.
            _ = new HogModel(hog);
        }
        catch (ArgumentException e)
        {
            throw new OptionException(e.ParamName is string p && s_hogOptions.TryGetValue(p, out string? option) ? option : "--cell/--block", FirstLine(e));
        }

        return hog;
    }

    private LogisticRegressionOptions ReadLogisticRegression(ParseResult result, uint seed)
    {
        LogisticRegressionOptions options = new() { RandomState = seed };
        if (result.GetValue(Solver) is string solver)
        {
            options = options with { Solver = (LogisticRegressionSolver)StudyNames.Parse("--solver", solver, StudyNames.Solvers) };
        }

        if (result.GetValue(MultiClass) is string multiClass)
        {
            options = options with { MultiClass = (LogisticRegressionMultiClass)StudyNames.Parse("--multi-class", multiClass, StudyNames.MultiClasses) };
        }

        if (result.GetValue(Penalty) is string penalty)
        {
            options = options with { Penalty = (LogisticRegressionPenalty)StudyNames.Parse("--penalty", penalty, StudyNames.Penalties) };
        }

        if (result.GetValue(SampleOrder) is string order)
        {
            options = options with { SampleOrder = (LogisticRegressionSampleOrder)StudyNames.Parse("--sample-order", order, StudyNames.SampleOrders) };
        }

        options = options with
        {
            C = result.GetValue(C) ?? options.C,
            L1Ratio = result.GetValue(L1Ratio) ?? options.L1Ratio,
            MaxIterations = result.GetValue(MaxIter) ?? options.MaxIterations,
            Tolerance = result.GetValue(Tol) ?? options.Tolerance,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new OptionException(e.ParamName is string p && s_logRegOptions.TryGetValue(p, out string? option) ? option : "--solver", FirstLine(e));
        }

        return options;
    }

    /// <summary>
    /// sklearn's UserWarnings for logistic-regression options that a fit ignores (<see cref="LogisticRegressionOptions.IgnoredSettings"/>),
    /// one line each on stderr in the tool's option names (also with --json, whose stdout stays clean).
    /// </summary>
    internal static void WarnIgnored(LogisticRegressionOptions options)
    {
        foreach (string setting in options.IgnoredSettings())
        {
            string what = setting == nameof(LogisticRegressionOptions.L1Ratio)
                ? $"--l1-ratio is ignored with --penalty {StudyNames.Of(options.Penalty)}: it is used only with --penalty elasticnet"
                : "--C is ignored with --penalty none";
            Console.Error.WriteLine($"fashion: warning: {what} (sklearn warns likewise).");
        }
    }

    /// <summary>The engine's message without the "(Parameter 'x')" suffix and "Actual value was" line, so the user sees one line.</summary>
    internal static string FirstLine(ArgumentException e)
    {
        string message = e.Message.Split('\n')[0].TrimEnd();
        int suffix = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? message[..suffix] : message;
    }
}
