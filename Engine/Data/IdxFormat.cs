namespace FashionCore.Data;

/// <summary>Constants of the IDX file format (LeCun et al.), as used by MNIST and Fashion-MNIST.</summary>
/// <remarks>
/// Header: two zero bytes, a type byte (0x08 = unsigned byte), a dimension-count byte, then one big-endian
/// 32-bit size per dimension; the payload follows, C-order. Files may be gzip-compressed (detected by magic bytes 1F 8B).
/// </remarks>
public static class IdxFormat
{
    /// <summary>Magic of an unsigned-byte, 3-dimensional file (images): 0x00000803.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic of an unsigned-byte, 1-dimensional file (labels): 0x00000801.</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Header length of an image file in bytes.</summary>
    public const int ImagesHeaderLength = 16;

    /// <summary>Header length of a label file in bytes.</summary>
    public const int LabelsHeaderLength = 8;

    internal static bool IsGzip(ReadOnlySpan<byte> start) => start.Length >= 2 && start[0] == 0x1F && start[1] == 0x8B;
}
