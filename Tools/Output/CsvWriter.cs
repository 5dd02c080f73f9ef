using System.Globalization;
using System.Text;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Tools.Output;

/// <summary>Writes labelled feature rows as CSV: a header row (<c>label,NAME1,NAME2,…</c>), then one row per image.</summary>
/// <remarks>Floats are written in their shortest round-trip form (invariant culture), so reading them back as float32 gives the exact values.</remarks>
internal static class CsvWriter
{
    public static void Write(Stream stream, ReadOnlySpan2D<float> x, ReadOnlySpan<int> labels, string columnPrefix)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.Write("label");
        for (int j = 0; j < x.Width; j++)
        {
            writer.Write(',');
            writer.Write(columnPrefix);
            writer.Write(j + 1);
        }

        writer.WriteLine();
        Span<char> buffer = stackalloc char[32];
        for (int i = 0; i < x.Height; i++)
        {
            writer.Write(labels[i]);
            ReadOnlySpan<float> row = x.GetRowSpan(i);
            foreach (float v in row)
            {
                writer.Write(',');
                v.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
                writer.Write(buffer[..written]);
            }

            writer.WriteLine();
        }
    }
}
