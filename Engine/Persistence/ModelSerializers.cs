using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using FashionCore.Persistence.Serializers;

namespace FashionCore.Persistence;

/// <summary>The registry of model serializers: the engine's own are built in; host apps may add theirs.</summary>
public static class ModelSerializers
{
    private static readonly ConcurrentDictionary<string, IModelSerializer> s_byTag = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<Type, IModelSerializer> s_byType = new();

    static ModelSerializers()
    {
        Register(new PixelScalerModelSerializer());
        Register(new StandardScalerModelSerializer());
        Register(new MinMaxScalerModelSerializer());
        Register(new HogModelSerializer());
        Register(new PcaModelSerializer());
        Register(new FeatureUnionModelSerializer());
        Register(new LogisticRegressionModelSerializer());
        Register(new KMeansModelSerializer());
        Register(new PipelineModelSerializer());
        Register(new TransformChainModelSerializer());
    }

    /// <summary>Adds a serializer.</summary>
    /// <param name="serializer">The serializer; its tag and model type must not be registered yet.</param>
    /// <exception cref="ArgumentException">The tag or type is already registered.</exception>
    public static void Register(IModelSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        if (!s_byTag.TryAdd(serializer.Tag, serializer))
        {
            throw new ArgumentException($"A serializer for tag '{serializer.Tag}' is already registered.", nameof(serializer));
        }

        if (!s_byType.TryAdd(serializer.ModelType, serializer))
        {
            s_byTag.TryRemove(serializer.Tag, out _);
            throw new ArgumentException($"A serializer for {serializer.ModelType} is already registered.", nameof(serializer));
        }
    }

    /// <summary>The serializer of a model type.</summary>
    /// <param name="modelType">The type.</param>
    /// <exception cref="NotSupportedException">None is registered.</exception>
    public static IModelSerializer ForType(Type modelType) =>
        s_byType.TryGetValue(modelType, out IModelSerializer? s)
            ? s
            : throw new NotSupportedException($"{modelType} cannot be saved: no model serializer is registered for it.");

    /// <summary>The serializer of a tag, if registered.</summary>
    /// <param name="tag">The tag read from a file.</param>
    /// <param name="serializer">The serializer.</param>
    public static bool TryForTag(string tag, [NotNullWhen(true)] out IModelSerializer? serializer) => s_byTag.TryGetValue(tag, out serializer);
}
