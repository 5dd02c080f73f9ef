using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using FashionCore.Internals;

namespace FashionCore.Persistence;

/// <summary>Reads model payload primitives with bounds checks: any truncation or impossible count is an
/// <see cref="InvalidDataException"/> naming the file and the offset, never an allocation of a bogus size.</summary>
public sealed class ModelReader
{
    private readonly ReadOnlyMemory<byte> _payload;
    private readonly string _source;
    private int _position;

    // Models being read, the current one included (see ModelFormat.MaxNestingDepth).
    private int _depth;

    internal ModelReader(ReadOnlyMemory<byte> payload, string source, ushort version)
    {
        _payload = payload;
        _source = source;
        Version = version;
    }

    /// <summary>The file's format version (see <see cref="ModelFormat"/>): serializers read the fields it has.</summary>
    public ushort Version { get; }

    /// <summary>Bytes not read yet.</summary>
    public int Remaining => _payload.Length - _position;

    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "int32"));

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "int64"));

    /// <summary>Reads a float64.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "float64"));

    /// <summary>Reads a float32.</summary>
    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "float32"));

    /// <summary>Reads a boolean byte (0 or 1; anything else is corruption).</summary>
    public bool ReadBoolean()
    {
        byte b = Take(1, "bool")[0];
        if (b > 1)
        {
            Fail($"boolean byte is {b}, not 0 or 1");
        }

        return b == 1;
    }

    /// <summary>Reads a UTF-8 string.</summary>
    public string ReadString()
    {
        int count = ReadCount(1, "string");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(count, "string"));
        }
        catch (DecoderFallbackException)
        {
            Fail("string is not valid UTF-8");
            return "";
        }
    }

    /// <summary>Reads an enum stored as int32, rejecting undefined values.</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    public TEnum ReadEnum<TEnum>()
        where TEnum : struct, Enum
    {
        int value = ReadInt32();
        TEnum result = (TEnum)(object)value;
        if (!Enum.IsDefined(result))
        {
            Fail($"{value} is not a {typeof(TEnum).Name}");
        }

        return result;
    }

    /// <summary>Reads a count-prefixed list of strings.</summary>
    public string[] ReadStrings()
    {
        int count = ReadCount(4, "string list");
        string[] result = new string[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = ReadString();
        }

        return result;
    }

    /// <summary>Reads a nested model and checks its type.</summary>
    /// <typeparam name="T">The expected type (or interface).</typeparam>
    /// <param name="what">What the model is, for the error message.</param>
    public T ReadModel<T>(string what)
    {
        object model = ReadModel();
        if (model is not T typed)
        {
            Fail($"{what} is a {model.GetType().Name}, not a {typeof(T).Name}");
            return default!;
        }

        return typed;
    }

    /// <summary>Reads a float64 array.</summary>
    public double[] ReadDoubles() => ReadArray<double>("float64 array");

    /// <summary>Reads a float32 array.</summary>
    public float[] ReadSingles() => ReadArray<float>("float32 array");

    /// <summary>Reads an int32 array.</summary>
    public int[] ReadInt32s() => ReadArray<int>("int32 array");

    /// <summary>Reads a float64 array of exactly <paramref name="expectedCount"/> elements.</summary>
    /// <param name="expectedCount">The count the model's shape implies.</param>
    /// <param name="what">What the array is, for the error message.</param>
    public double[] ReadDoubles(int expectedCount, string what) => Expect(ReadDoubles(), expectedCount, what);

    /// <summary>Reads a float32 array of exactly <paramref name="expectedCount"/> elements.</summary>
    /// <param name="expectedCount">The count the model's shape implies.</param>
    /// <param name="what">What the array is, for the error message.</param>
    public float[] ReadSingles(int expectedCount, string what) => Expect(ReadSingles(), expectedCount, what);

    /// <summary>Reads a nested model written by <see cref="ModelWriter.WriteModel"/>.</summary>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">
    /// The model is invalid, or nested more than <see cref="ModelFormat.MaxNestingDepth"/> deep.
    /// </exception>
    public object ReadModel()
    {
        if (_depth >= ModelFormat.MaxNestingDepth)
        {
            Fail($"models are nested more than {ModelFormat.MaxNestingDepth} deep");
        }

        string tag = ReadString();
        if (!ModelSerializers.TryForTag(tag, out IModelSerializer? serializer))
        {
            Fail($"unknown model type '{tag}'");
        }

        _depth++;
        try
        {
            return serializer!.Read(this);
        }
        catch (ArgumentException e)
        {
            // A model constructor rejected the decoded values: the file is inconsistent.
            Fail($"inconsistent '{tag}' model: {e.Message}");
            return null!;
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>Throws the reader's <see cref="InvalidDataException"/> (for serializers' own consistency checks).</summary>
    /// <param name="problem">What is wrong.</param>
    public void Fail(string problem) => ThrowHelper.ThrowInvalidData(_source, $"{problem} (payload offset {_position}).");

    /// <summary>
    /// Fails unless every value is finite and within [<paramref name="min"/>, <paramref name="max"/>]: a checksum only
    /// proves the bytes are the ones written, not that what was written is a model (serializers' value checks).
    /// </summary>
    /// <param name="values">The decoded values.</param>
    /// <param name="what">What they are, for the error message.</param>
    /// <param name="min">The least valid value.</param>
    /// <param name="max">The greatest valid value.</param>
    internal void CheckFinite(ReadOnlySpan<double> values, string what, double min = double.MinValue, double max = double.MaxValue)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v) || v < min || v > max)
            {
                string range = (min, max) switch
                {
                    (double.MinValue, double.MaxValue) => "must be finite",
                    (_, double.MaxValue) => $"must be finite and at least {min}",
                    _ => $"must be within [{min}, {max}]",
                };
                Fail($"{what}[{i}] = {v} {range}");
            }
        }
    }

    /// <summary>Reads a non-negative int32 count and checks that <paramref name="elementSize"/>·count bytes remain.</summary>
    /// <param name="elementSize">Bytes per element.</param>
    /// <param name="what">What is counted, for the error message.</param>
    public int ReadCount(int elementSize, string what)
    {
        int count = ReadInt32();
        if (count < 0 || (long)count * elementSize > Remaining)
        {
            Fail($"{what} claims {count} elements but only {Remaining} bytes remain");
        }

        return count;
    }

    private T[] ReadArray<T>(string what)
        where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        int count = ReadCount(size, what);
        T[] result = new T[count];
        Take(count * size, what).CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    private T[] Expect<T>(T[] values, int expected, string what)
    {
        if (values.Length != expected)
        {
            Fail($"{what} has {values.Length} elements, expected {expected}");
        }

        return values;
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            Fail($"payload ends inside a {what}: needs {count} bytes, {Remaining} remain");
        }

        ReadOnlySpan<byte> span = _payload.Span.Slice(_position, count);
        _position += count;
        return span;
    }
}
