using FashionCore.Features.Scaling;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="StandardScalerModel"/>: options, sample count, mean, variance, scale.</summary>
internal sealed class StandardScalerModelSerializer : IModelSerializer
{
    public string Tag => "scaling.standard";

    public Type ModelType => typeof(StandardScalerModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (StandardScalerModel)model;
        writer.WriteBoolean(m.Options.WithMean);
        writer.WriteBoolean(m.Options.WithStd);
        writer.WriteInt32(m.SampleCount);
        writer.WriteDoubles(m.Mean);
        writer.WriteDoubles(m.Variance);
        writer.WriteDoubles(m.Scale);
    }

    public object Read(ModelReader reader)
    {
        var options = new StandardScalerOptions { WithMean = reader.ReadBoolean(), WithStd = reader.ReadBoolean() };
        int n = reader.ReadInt32();
        double[] mean = reader.ReadDoubles();
        double[] variance = reader.ReadDoubles(mean.Length, "variance");
        double[] scale = reader.ReadDoubles(mean.Length, "scale");
        // The model checks the scale; a NaN mean or a negative variance would otherwise load unnoticed.
        reader.CheckFinite(mean, "mean");
        reader.CheckFinite(variance, "variance", min: 0);
        return new StandardScalerModel(options, n, mean, variance, scale);
    }
}
