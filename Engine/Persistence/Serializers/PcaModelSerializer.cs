using FashionCore.Features.Pca;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="PcaModel"/>: options, sample count, mean, components and the variance arrays.</summary>
internal sealed class PcaModelSerializer : IModelSerializer
{
    public string Tag => "features.pca";

    public Type ModelType => typeof(PcaModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (PcaModel)model;
        writer.WriteBoolean(m.Options.Components.HasValue);
        writer.WriteInt32(m.Options.Components ?? 0);
        writer.WriteBoolean(m.Options.VarianceFraction.HasValue);
        writer.WriteDouble(m.Options.VarianceFraction ?? 0);
        writer.WriteBoolean(m.Options.Whiten);
        writer.WriteInt32(m.Options.MaxDegreeOfParallelism);
        writer.WriteInt32(m.SampleCount);
        writer.WriteDoubles(m.Mean);
        writer.WriteInt32(m.ComponentCount);
        double[] components = new double[m.ComponentCount * m.InputFeatureCount];
        m.Components.CopyTo(components);
        writer.WriteDoubles(components);
        writer.WriteDoubles(m.ExplainedVariance);
        writer.WriteDoubles(m.ExplainedVarianceRatio);
        writer.WriteDoubles(m.SingularValues);
    }

    // Files written before the option took −1 for "all cores" (the rest of the engine's spelling) hold 0 for it.
    private static int AllCoresAsMinusOne(int degree) => degree == 0 ? -1 : degree;

    public object Read(ModelReader reader)
    {
        bool hasComponents = reader.ReadBoolean();
        int components = reader.ReadInt32();
        bool hasFraction = reader.ReadBoolean();
        double fraction = reader.ReadDouble();
        var options = new PcaOptions
        {
            Components = hasComponents ? components : null,
            VarianceFraction = hasFraction ? fraction : null,
            Whiten = reader.ReadBoolean(),
            MaxDegreeOfParallelism = AllCoresAsMinusOne(reader.ReadInt32()),
        };
        options.Validate();
        int n = reader.ReadInt32();
        double[] mean = reader.ReadDoubles();
        int k = reader.ReadInt32();
        if (k < 1 || k > mean.Length)
        {
            reader.Fail($"component count {k} is outside 1..{mean.Length}");
        }

        double[] axes = reader.ReadDoubles(k * mean.Length, "components");
        double[] variance = reader.ReadDoubles(k, "explained variance");
        double[] ratio = reader.ReadDoubles(k, "explained variance ratio");
        double[] singular = reader.ReadDoubles(k, "singular values");
        if (n < 2)
        {
            reader.Fail($"sample count {n} is below 2");
        }

        // What a fit can produce: variances and singular values are non-negative, each ratio a share of the total — up
        // to rounding: on rank-1 data the top eigenvalue comes out an ulp above the trace (ratio 1.0000000000000002).
        reader.CheckFinite(mean, "mean");
        reader.CheckFinite(axes, "components");
        reader.CheckFinite(variance, "explained variance", min: 0);
        reader.CheckFinite(ratio, "explained variance ratio", min: 0, max: 1 + 1e-9);
        reader.CheckFinite(singular, "singular values", min: 0);

        return new PcaModel(options, n, mean, axes, variance, ratio, singular);
    }
}
