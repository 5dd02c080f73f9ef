using FashionCore.Models.Linear;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="LogisticRegressionModel"/>: options, classes, coefficients, intercepts and fit facts.</summary>
internal sealed class LogisticRegressionModelSerializer : IModelSerializer
{
    public string Tag => "models.logreg";

    public Type ModelType => typeof(LogisticRegressionModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (LogisticRegressionModel)model;
        LogisticRegressionOptions o = m.Options;
        writer.WriteInt32((int)o.Penalty);
        writer.WriteDouble(o.C);
        writer.WriteBoolean(o.FitIntercept);
        writer.WriteInt32((int)o.Solver);
        writer.WriteInt32((int)o.MultiClass);
        writer.WriteInt32(o.MaxIterations);
        writer.WriteDouble(o.Tolerance);
        writer.WriteBoolean(o.L1Ratio.HasValue);
        writer.WriteDouble(o.L1Ratio ?? 0);
        writer.WriteBoolean(o.RandomState.HasValue);
        writer.WriteInt64(o.RandomState ?? 0);
        writer.WriteInt32((int)o.SampleOrder);
        writer.WriteBoolean(m.IsMultinomial);
        writer.WriteInt32s(m.Classes);
        writer.WriteInt32(m.FeatureCount);
        double[] coef = new double[m.DecisionCount * m.FeatureCount];
        m.Coefficients.CopyTo(coef);
        writer.WriteDoubles(coef);
        writer.WriteDoubles(m.Intercept);
        writer.WriteInt32s(m.Iterations);
        writer.WriteInt32s([.. m.ConvergedPerProblem.ToArray().Select(c => c ? 1 : 0)]);
        writer.WriteDoubles(m.FinalChange);
    }

    public object Read(ModelReader reader)
    {
        var options = new LogisticRegressionOptions
        {
            Penalty = reader.ReadEnum<LogisticRegressionPenalty>(),
            C = reader.ReadDouble(),
            FitIntercept = reader.ReadBoolean(),
            Solver = reader.ReadEnum<LogisticRegressionSolver>(),
            MultiClass = reader.ReadEnum<LogisticRegressionMultiClass>(),
            MaxIterations = reader.ReadInt32(),
            Tolerance = reader.ReadDouble(),
        };
        bool hasRatio = reader.ReadBoolean();
        double ratio = reader.ReadDouble();
        bool hasSeed = reader.ReadBoolean();
        long seed = reader.ReadInt64();
        if (hasSeed && (seed < 0 || seed > uint.MaxValue))
        {
            reader.Fail($"random state {seed} is outside 0..{uint.MaxValue}");
        }

        // Version 1 had no sample order: it only wrote models drawn with replacement.
        LogisticRegressionSampleOrder order = reader.Version >= 2 ? reader.ReadEnum<LogisticRegressionSampleOrder>() : LogisticRegressionSampleOrder.WithReplacement;
        options = options with { L1Ratio = hasRatio ? ratio : null, RandomState = hasSeed ? (uint)seed : null, SampleOrder = order };
        options.Validate();
        bool multinomial = reader.ReadBoolean();
        int[] classes = reader.ReadInt32s();
        int d = reader.ReadInt32();
        if (classes.Length < 2 || d < 1)
        {
            reader.Fail($"{classes.Length} classes and {d} features: a model needs at least 2 classes and 1 feature");
        }

        double[] coef = reader.ReadDoubles();
        double[] intercept = reader.ReadDoubles();
        // One decision row per class, or a single row for a binary problem (sklearn's coef_ shape (1, d)). The model
        // constructor checks the rest (sorted distinct classes, finite weights, per-problem counts).
        int rows = classes.Length == 2 ? 1 : classes.Length;
        if (intercept.Length != rows || (long)rows * d != coef.Length)
        {
            reader.Fail($"{coef.Length} coefficients and {intercept.Length} intercepts do not fit {classes.Length} classes × {d} features");
        }

        // The scheme the options give for this many classes; a flag that disagrees would switch predict_proba between
        // σ(z) and σ(2z) for two classes without any other check noticing.
        bool resolved = options.ResolveMultiClass(classes.Length) == LogisticRegressionMultiClass.Multinomial;
        if (multinomial != resolved)
        {
            reader.Fail($"the multinomial flag ({multinomial}) disagrees with MultiClass={options.MultiClass} for {classes.Length} classes");
        }

        int[] iterations = reader.ReadInt32s();
        int[] converged = reader.ReadInt32s();
        double[] change = reader.ReadDoubles();
        if (converged.Length != iterations.Length || change.Length != iterations.Length || converged.Any(c => c is not (0 or 1)))
        {
            reader.Fail("per-problem iteration, convergence and change arrays disagree");
        }

        return new LogisticRegressionModel(options, multinomial, classes, d, coef, intercept, iterations, [.. converged.Select(c => c == 1)], change);
    }
}
