using FashionCore.Abstractions;
using FashionCore.Selection;

namespace FashionCore.Persistence.Serializers;

/// <summary>Saves a <see cref="TransformChainModel"/>: input width, step names, then each step as a nested model.</summary>
internal sealed class TransformChainModelSerializer : IModelSerializer
{
    public string Tag => "selection.transform-chain";

    public Type ModelType => typeof(TransformChainModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (TransformChainModel)model;
        writer.WriteInt32(m.InputFeatureCount);
        writer.WriteStrings(m.Names);
        foreach (ITransformer step in m.Steps)
        {
            writer.WriteModel(step);
        }
    }

    public object Read(ModelReader reader)
    {
        int inputs = reader.ReadInt32();
        string[] names = reader.ReadStrings();
        ITransformer[] steps = new ITransformer[names.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = reader.ReadModel<ITransformer>($"chain step '{names[i]}'");
        }

        if (inputs < 1)
        {
            reader.Fail($"a transform chain needs a positive input width, got {inputs}");
        }

        try
        {
            return new TransformChainModel(names, steps, inputs);
        }
        catch (ArgumentException e)
        {
            reader.Fail(e.Message);
            return null!;
        }
    }
}
