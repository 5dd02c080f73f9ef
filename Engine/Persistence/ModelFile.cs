using System.Buffers.Binary;
using System.Security.Cryptography;
using FashionCore.Internals;

namespace FashionCore.Persistence;

/// <summary>Saves and loads fitted models in the <see cref="ModelFormat"/> (magic, version, little-endian payload, SHA-256).</summary>
public static class ModelFile
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    /// <param name="path">Target path.</param>
    /// <param name="model">A fitted model with a registered serializer.</param>
    /// <exception cref="NotSupportedException">The model type has no serializer.</exception>
    /// <exception cref="ArgumentException">Models are nested more than <see cref="ModelFormat.MaxNestingDepth"/> deep.</exception>
    public static void Save(string path, object model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToBytes(model);
        string full = Path.GetFullPath(path);
        string temp = AtomicFile.TempPathFor(full);
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    /// <summary>The complete file content for <paramref name="model"/>.</summary>
    /// <param name="model">A fitted model with a registered serializer.</param>
    /// <returns>Header, payload and hash.</returns>
    /// <exception cref="NotSupportedException">The model type has no serializer.</exception>
    /// <exception cref="ArgumentException">Models are nested more than <see cref="ModelFormat.MaxNestingDepth"/> deep.</exception>
    public static byte[] ToBytes(object model)
    {
        var writer = new ModelWriter();
        writer.WriteModel(model);
        ReadOnlySpan<byte> payload = writer.WrittenSpan;
        byte[] file = new byte[ModelFormat.HeaderLength + payload.Length + ModelFormat.HashLength];
        ModelFormat.Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), ModelFormat.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(10), 0);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(12), payload.Length);
        payload.CopyTo(file.AsSpan(ModelFormat.HeaderLength));
        int hashed = ModelFormat.HeaderLength + payload.Length;
        SHA256.HashData(file.AsSpan(0, hashed), file.AsSpan(hashed));
        return file;
    }

    /// <summary>Loads a model of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The expected model type (or an interface it implements).</typeparam>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted, of another version, not a model file, inconsistent (e.g. nested more than <see cref="ModelFormat.MaxNestingDepth"/> deep), or holds another model type.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static T Load<T>(string path)
    {
        object model = Load(path);
        return model is T typed
            ? typed
            : throw new InvalidDataException($"{path}: holds a {model.GetType().Name}, not a {typeof(T).Name}.");
    }

    /// <summary>Loads whatever model the file holds.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static object Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such model file.", path);
        }

        if (info.Length > Array.MaxLength)
        {
            ThrowHelper.ThrowInvalidData(path, $"{info.Length} bytes is too large for a model file.");
        }

        return FromBytes(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes a model from file content.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="source">Name for error messages.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The content is not a valid model file.</exception>
    public static object FromBytes(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(source);
        if (bytes.Length < ModelFormat.Magic.Length || !bytes.AsSpan(0, ModelFormat.Magic.Length).SequenceEqual(ModelFormat.Magic))
        {
            ThrowHelper.ThrowInvalidData(source, "not a FashionCore model file (magic bytes differ).");
        }

        if (bytes.Length < ModelFormat.HeaderLength + ModelFormat.HashLength)
        {
            ThrowHelper.ThrowInvalidData(source, $"truncated: {bytes.Length} bytes is shorter than a model file's header and checksum.");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        if (version is < ModelFormat.OldestReadableVersion or > ModelFormat.Version)
        {
            ThrowHelper.ThrowInvalidData(
                source, $"model format version {version} is not supported (this FashionCore reads versions {ModelFormat.OldestReadableVersion} to {ModelFormat.Version}).");
        }

        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(10));
        if (flags != 0)
        {
            ThrowHelper.ThrowInvalidData(source, $"unknown format flags 0x{flags:X4}.");
        }

        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        long actual = bytes.Length - ModelFormat.HeaderLength - ModelFormat.HashLength;
        if (length != actual)
        {
            ThrowHelper.ThrowInvalidData(source, $"header says the payload has {length} bytes but the file holds {actual} (truncated or extended).");
        }

        int hashed = ModelFormat.HeaderLength + (int)length;
        Span<byte> hash = stackalloc byte[ModelFormat.HashLength];
        SHA256.HashData(bytes.AsSpan(0, hashed), hash);
        if (!hash.SequenceEqual(bytes.AsSpan(hashed, ModelFormat.HashLength)))
        {
            ThrowHelper.ThrowInvalidData(source, "checksum mismatch: the file is corrupted.");
        }

        var reader = new ModelReader(bytes.AsMemory(ModelFormat.HeaderLength, (int)length), source, version);
        object model = reader.ReadModel();
        if (reader.Remaining != 0)
        {
            reader.Fail($"{reader.Remaining} unread bytes after the model");
        }

        return model;
    }
}
