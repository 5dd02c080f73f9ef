using FashionCore.Models.Clustering;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="KMeansModel"/>: centres, training labels, inertia and iterations.</summary>
internal sealed class KMeansModelSerializer : IModelSerializer
{
    public string Tag => "models.kmeans";

    public Type ModelType => typeof(KMeansModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (KMeansModel)model;
        writer.WriteInt32(m.ClusterCount);
        double[] centers = new double[m.ClusterCount * m.InputFeatureCount];
        m.ClusterCenters.CopyTo(centers);
        writer.WriteDoubles(centers);
        writer.WriteInt32s(m.Labels);
        writer.WriteDouble(m.Inertia);
        writer.WriteInt32(m.Iterations);
    }

    // The public constructor validates sizes and labels; its ArgumentException marks the file inconsistent.
    public object Read(ModelReader reader)
    {
        int k = reader.ReadInt32();
        double[] centers = reader.ReadDoubles();
        int[] labels = reader.ReadInt32s();
        double inertia = reader.ReadDouble();
        int iterations = reader.ReadInt32();
        return new KMeansModel(centers, k, labels, inertia, iterations);
    }
}
