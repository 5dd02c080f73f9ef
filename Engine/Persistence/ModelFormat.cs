namespace FashionCore.Persistence;

/// <summary>The FashionCore model file format, version 2 (version 1 files still load).</summary>
/// <remarks>
/// <code>
/// offset  size  field
///      0     8  magic 89 46 43 4D 0D 0A 1A 0A  ("\x89FCM\r\n\x1A\n": a text-mode copy or a truncated
///               download changes it, as with PNG)
///      8     2  format version, uint16 little-endian (2; readers take 1 … 2)
///     10     2  flags, uint16 (0; readers reject unknown bits)
///     12     8  payload length L, int64 little-endian
///     20     L  payload: one tagged model (below)
///   20+L    32  SHA-256 of bytes [0, 20+L)
/// </code>
/// Payload encoding, all little-endian: a model is its type tag (string) followed by the body its serializer writes.
/// Strings are an int32 UTF-8 byte count then the bytes; arrays are an int32 element count then the elements;
/// scalars are int32, int64, float32 (IEEE), float64 (IEEE) or a bool byte (0/1). Nested models (pipeline steps) are
/// written the same way, tag first, at most <see cref="MaxNestingDepth"/> models deep. Files are written to a temporary file and renamed, so a crash never leaves a
/// half-written model under the final name.
/// <para>Version 2 added one field, the logistic regression's sample order (an int32 after its random state); a
/// version 1 file has none and reads as <c>WithReplacement</c>, the only order version 1 wrote.</para>
/// </remarks>
public static class ModelFormat
{
    /// <summary>The format version written.</summary>
    public const ushort Version = 2;

    /// <summary>The oldest format version read.</summary>
    public const ushort OldestReadableVersion = 1;

    /// <summary>Bytes before the payload.</summary>
    public const int HeaderLength = 20;

    /// <summary>Bytes of the SHA-256 trailer.</summary>
    public const int HashLength = 32;

    /// <summary>Most models nested inside one another (the top-level model counts as 1).</summary>
    /// <remarks>
    /// Reading and writing recurse once per level, so without a bound a small crafted file (a union of a union of …,
    /// one part each) exhausts the stack and kills the process. Real models nest 2 to 4 deep (pipeline, union, step).
    /// </remarks>
    public const int MaxNestingDepth = 64;

    /// <summary>The 8 magic bytes at the start of every model file.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, 0x46, 0x43, 0x4D, 0x0D, 0x0A, 0x1A, 0x0A];
}
