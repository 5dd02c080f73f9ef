using FashionCore.Features.Scaling;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="MinMaxScalerModel"/>: target range, data min/max, scale and offset.</summary>
internal sealed class MinMaxScalerModelSerializer : IModelSerializer
{
    public string Tag => "scaling.minmax";

    public Type ModelType => typeof(MinMaxScalerModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (MinMaxScalerModel)model;
        writer.WriteDouble(m.Options.RangeMin);
        writer.WriteDouble(m.Options.RangeMax);
        writer.WriteDoubles(m.DataMin);
        writer.WriteDoubles(m.DataMax);
        writer.WriteDoubles(m.Scale);
        writer.WriteDoubles(m.Offset);
    }

    public object Read(ModelReader reader)
    {
        double lo = reader.ReadDouble();
        double hi = reader.ReadDouble();
        // Invalid values throw ArgumentException here, which ModelReader.ReadModel reports as an inconsistent file.
        var options = new MinMaxScalerOptions { RangeMin = lo, RangeMax = hi };
        options.Validate();

        double[] min = reader.ReadDoubles();
        return new MinMaxScalerModel(
            options,
            min,
            reader.ReadDoubles(min.Length, "data max"),
            reader.ReadDoubles(min.Length, "scale"),
            reader.ReadDoubles(min.Length, "offset"));
    }
}
