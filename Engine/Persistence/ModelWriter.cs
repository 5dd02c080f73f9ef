using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace FashionCore.Persistence;

/// <summary>Writes the little-endian primitives of a model payload (see <see cref="ModelFormat"/>).</summary>
public sealed class ModelWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    // Models being written, the current one included (see ModelFormat.MaxNestingDepth).
    private int _depth;

    internal ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>Writes a 32-bit integer.</summary>
    /// <param name="value">The value.</param>
    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes a 64-bit integer.</summary>
    /// <param name="value">The value.</param>
    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes a float64.</summary>
    /// <param name="value">The value.</param>
    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes a float32.</summary>
    /// <param name="value">The value.</param>
    public void WriteSingle(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes a boolean as one byte.</summary>
    /// <param name="value">The value.</param>
    public void WriteBoolean(bool value)
    {
        _buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        _buffer.Advance(1);
    }

    /// <summary>Writes a UTF-8 string with its byte count.</summary>
    /// <param name="value">The value.</param>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int bytes = Encoding.UTF8.GetByteCount(value);
        WriteInt32(bytes);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(bytes));
        _buffer.Advance(bytes);
    }

    /// <summary>Writes a count-prefixed list of strings.</summary>
    /// <param name="values">The strings.</param>
    public void WriteStrings(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        WriteInt32(values.Count);
        foreach (string value in values)
        {
            WriteString(value);
        }
    }

    /// <summary>Writes a float64 array with its count.</summary>
    /// <param name="values">The values.</param>
    public void WriteDoubles(ReadOnlySpan<double> values) => WriteArray(values);

    /// <summary>Writes a float32 array with its count.</summary>
    /// <param name="values">The values.</param>
    public void WriteSingles(ReadOnlySpan<float> values) => WriteArray(values);

    /// <summary>Writes an int32 array with its count.</summary>
    /// <param name="values">The values.</param>
    public void WriteInt32s(ReadOnlySpan<int> values) => WriteArray(values);

    /// <summary>Writes a nested model: its type tag, then its body (see <see cref="ModelSerializers"/>).</summary>
    /// <param name="model">A model whose type has a registered serializer.</param>
    /// <exception cref="NotSupportedException">No serializer is registered for the model's type.</exception>
    /// <exception cref="ArgumentException">
    /// Models are nested more than <see cref="ModelFormat.MaxNestingDepth"/> deep (no reader would load the file).
    /// </exception>
    public void WriteModel(object model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_depth >= ModelFormat.MaxNestingDepth)
        {
            throw new ArgumentException($"Models are nested more than {ModelFormat.MaxNestingDepth} deep; a model file holds at most that many levels.", nameof(model));
        }

        IModelSerializer serializer = ModelSerializers.ForType(model.GetType());
        WriteString(serializer.Tag);
        _depth++;
        try
        {
            serializer.Write(model, this);
        }
        finally
        {
            _depth--;
        }
    }

    private void WriteArray<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        WriteInt32(values.Length);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Model files are little-endian; big-endian hosts are not supported.");
        }

        bytes.CopyTo(_buffer.GetSpan(bytes.Length));
        _buffer.Advance(bytes.Length);
    }
}
