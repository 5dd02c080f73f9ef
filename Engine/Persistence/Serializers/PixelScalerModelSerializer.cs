using FashionCore.Features.Scaling;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="PixelScalerModel"/>: its column count.</summary>
internal sealed class PixelScalerModelSerializer : IModelSerializer
{
    public string Tag => "scaling.x255";

    public Type ModelType => typeof(PixelScalerModel);

    public void Write(object model, ModelWriter writer) => writer.WriteInt32(((PixelScalerModel)model).InputFeatureCount);

    public object Read(ModelReader reader)
    {
        int d = reader.ReadInt32();
        if (d < 0)
        {
            reader.Fail($"column count {d} is negative");
        }

        return new PixelScalerModel(d);
    }
}
