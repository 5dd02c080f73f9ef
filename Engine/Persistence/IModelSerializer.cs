namespace FashionCore.Persistence;

/// <summary>Writes and reads one fitted model type. Register implementations in <see cref="ModelSerializers"/>.</summary>
public interface IModelSerializer
{
    /// <summary>The type tag stored in files (stable across versions, e.g. <c>"scaling.standard"</c>).</summary>
    string Tag { get; }

    /// <summary>The model type handled.</summary>
    Type ModelType { get; }

    /// <summary>Writes the model's body (after its tag).</summary>
    /// <param name="model">An instance of <see cref="ModelType"/>.</param>
    /// <param name="writer">The payload writer.</param>
    void Write(object model, ModelWriter writer);

    /// <summary>Reads a body written by <see cref="Write"/>.</summary>
    /// <param name="reader">The payload reader, positioned after the tag.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The body is inconsistent.</exception>
    object Read(ModelReader reader);
}
