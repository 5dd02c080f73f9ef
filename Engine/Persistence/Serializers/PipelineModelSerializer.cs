using FashionCore.Abstractions;
using FashionCore.Internals;
using FashionCore.Selection;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="PipelineModel"/>: step names, each transform, then the classifier, as nested models.</summary>
internal sealed class PipelineModelSerializer : IModelSerializer
{
    public string Tag => "selection.pipeline";

    public Type ModelType => typeof(PipelineModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (PipelineModel)model;
        writer.WriteStrings(m.StepNames);
        foreach (ITransformer transform in m.Transforms)
        {
            writer.WriteModel(transform);
        }

        writer.WriteModel(m.Classifier);
    }

    public object Read(ModelReader reader)
    {
        // Names cover the transforms and then the classifier.
        string[] names = reader.ReadStrings();
        if (names.Length == 0)
        {
            reader.Fail("a pipeline needs at least its classifier step");
        }

        // The rules Pipeline enforces (unique ignoring case, no '.' or "__"): parameter paths and GetStep rely on them.
        StepNames.Validate(names, nameof(names));

        ITransformer[] transforms = new ITransformer[names.Length - 1];
        for (int i = 0; i < transforms.Length; i++)
        {
            transforms[i] = reader.ReadModel<ITransformer>($"step '{names[i]}'");
        }

        IClassifier classifier = reader.ReadModel<IClassifier>($"step '{names[^1]}'");
        return new PipelineModel(names, transforms, classifier);
    }
}
