using FashionCore.Abstractions;
using FashionCore.Features;
using FashionCore.Internals;

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

        // The rules FeatureUnion enforces (unique ignoring case, no '.' or "__"): parameter paths and GetStep rely on them.
        StepNames.Validate(names, nameof(names));

        ITransformer[] parts = new ITransformer[names.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = reader.ReadModel<ITransformer>($"part '{names[i]}'");
        }

        return new FeatureUnionModel(names, parts);
    }
}
