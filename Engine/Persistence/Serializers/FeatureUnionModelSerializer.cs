using FashionCore.Abstractions;
using FashionCore.Features;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="FeatureUnionModel"/>: part names, then each part as a nested model.</summary>
internal sealed class FeatureUnionModelSerializer : IModelSerializer
{
    public string Tag => "features.union";

    public Type ModelType => typeof(FeatureUnionModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (FeatureUnionModel)model;
        writer.WriteStrings(m.Names);
        foreach (ITransformer part in m.Parts)
        {
            writer.WriteModel(part);
        }
    }

    public object Read(ModelReader reader)
    {
        string[] names = reader.ReadStrings();
        if (names.Length == 0)
        {
            reader.Fail("a feature union needs at least one part");
        }

        ITransformer[] parts = new ITransformer[names.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = reader.ReadModel<ITransformer>($"part '{names[i]}'");
        }

        return new FeatureUnionModel(names, parts);
    }
}
