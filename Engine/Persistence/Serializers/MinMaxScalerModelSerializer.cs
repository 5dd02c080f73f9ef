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
        double[] max = reader.ReadDoubles(min.Length, "data max");
        double[] scale = reader.ReadDoubles(min.Length, "scale");
        double[] offset = reader.ReadDoubles(min.Length, "offset");
        // A fit gives finite values, min ≤ max, and a positive scale (RangeMin < RangeMax over a positive range).
        reader.CheckFinite(min, "data min");
        reader.CheckFinite(max, "data max");
        reader.CheckFinite(scale, "scale", min: double.Epsilon);
        reader.CheckFinite(offset, "offset");
        for (int j = 0; j < min.Length; j++)
        {
            if (!(min[j] <= max[j]))
            {
                reader.Fail($"data min[{j}] = {min[j]} is above data max[{j}] = {max[j]}");
            }
        }

        return new MinMaxScalerModel(options, min, max, scale, offset);
    }
}
