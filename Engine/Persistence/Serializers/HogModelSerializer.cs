using FashionCore.Features.Hog;

namespace FashionCore.Persistence.Serializers;

/// <summary>Serializes <see cref="HogModel"/>: its options and image size (HOG learns nothing).</summary>
internal sealed class HogModelSerializer : IModelSerializer
{
    public string Tag => "features.hog";

    public Type ModelType => typeof(HogModel);

    public void Write(object model, ModelWriter writer)
    {
        var m = (HogModel)model;
        writer.WriteInt32(m.Options.Orientations);
        writer.WriteInt32(m.Options.PixelsPerCell.Rows);
        writer.WriteInt32(m.Options.PixelsPerCell.Columns);
        writer.WriteInt32(m.Options.CellsPerBlock.Rows);
        writer.WriteInt32(m.Options.CellsPerBlock.Columns);
        writer.WriteInt32((int)m.Options.BlockNorm);
        writer.WriteBoolean(m.Options.TransformSqrt);
        writer.WriteInt32(m.ImageHeight);
        writer.WriteInt32(m.ImageWidth);
    }

    // Invalid values throw ArgumentException from the options/model, reported by ModelReader as an inconsistent file.
    public object Read(ModelReader reader) => new HogModel(
        new HogOptions
        {
            Orientations = reader.ReadInt32(),
            PixelsPerCell = (reader.ReadInt32(), reader.ReadInt32()),
            CellsPerBlock = (reader.ReadInt32(), reader.ReadInt32()),
            BlockNorm = reader.ReadEnum<HogBlockNorm>(),
            TransformSqrt = reader.ReadBoolean(),
        },
        reader.ReadInt32(),
        reader.ReadInt32());
}
