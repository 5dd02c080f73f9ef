using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Tools.Output;

/// <summary>Writes a float matrix as a NumPy <c>.npy</c> file (format version 1.0, little-endian float32, C order).</summary>
/// <remarks>
/// Layout: the magic <c>\x93NUMPY</c>, version bytes 1 0, a little-endian uint16 header length, then the header — an
/// ASCII Python dict literal padded with spaces and ended by a newline so that the data starts at a multiple of 64 bytes
/// (what numpy ≥ 1.14 writes; readers accept any multiple of 16) — then the rows.
/// </remarks>
internal static class NpyWriter
{
    public static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The header bytes (magic through the newline) for a float32 matrix of the given shape.</summary>
    public static byte[] Header(int rows, int columns)
    {
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        int preamble = Magic.Length + 2 + 2;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        byte[] header = new byte[padded];
        Magic.CopyTo(header, 0);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)(padded - preamble));
        Encoding.ASCII.GetBytes(dict, header.AsSpan(preamble));
        header.AsSpan(preamble + dict.Length, padded - preamble - dict.Length - 1).Fill((byte)' ');
        header[^1] = (byte)'\n';
        return header;
    }

    public static void Write(Stream stream, ReadOnlySpan2D<float> x)
    {
        stream.Write(Header(x.Height, x.Width));
        float[] row = new float[x.Width];
        for (int i = 0; i < x.Height; i++)
        {
            x.GetRowSpan(i).CopyTo(row);
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(row.AsSpan());
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }

            stream.Write(MemoryMarshal.AsBytes(row.AsSpan()));
        }
    }
}
