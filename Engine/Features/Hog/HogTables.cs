using System.Collections.Concurrent;

namespace FashionCore.Features.Hog;

/// <summary>
/// Per-gradient tables for uint8 images without <c>transform_sqrt</c>: every gradient is an integer in [−255, 255], so
/// a pixel's bin, and how glibc's <c>hypot</c> differs from the correctly rounded √(gRow² + gCol²), are table entries
/// rather than an atan2 and a hypot.
/// </summary>
/// <remarks>
/// Entries are computed with the same <see cref="HogMath"/> functions as the per-pixel path, so both paths agree bit
/// for bit. An entry is <c>bin | (byte)adjustment &lt;&lt; 8</c>: the bin (or the trash slot o) and, as a signed byte,
/// whether glibc's hypot is one ulp above (+1) or below (−1) the exact square root, which the kernel computes with SIMD
/// (0.6 % of the pairs differ). Opposite gradients have the same unsigned orientation, so the table keeps only gRow ≥ 0 (255 KB per
/// orientation count, L2-resident) and the kernel negates both components when gRow &lt; 0. The symmetry and the
/// one-ulp bound are checked while building: a count where either failed would get no table and use the per-pixel
/// path (none does for 1..254). Built once (≈ 5 ms) and cached for the process.
/// </remarks>
internal static class HogTables
{
    /// <summary>Largest orientation count with a table (bins 0..o−1, trash slot o ≤ 255).</summary>
    public const int MaxTableOrientations = 254;

    /// <summary>Gradient columns span [−255, 255].</summary>
    public const int GradientSpan = 511;

    private static readonly ConcurrentDictionary<int, ushort[]?> s_entries = new();

    /// <summary>
    /// The entry of (gRow, gCol), gRow ≥ 0, at index gRow·511 + gCol + 255; null when <paramref name="orientations"/>
    /// has no table.
    /// </summary>
    public static ushort[]? GetEntries(int orientations) =>
        orientations <= MaxTableOrientations ? s_entries.GetOrAdd(orientations, CreateEntries) : null;

    private static ushort[]? CreateEntries(int orientations)
    {
        double[] edges = HogMath.CreateBinEdges(orientations);
        // Pinned (the kernel gathers from its address) with one spare entry (a 32-bit gather of the last entry reads it).
        ushort[] table = GC.AllocateArray<ushort>((256 * GradientSpan) + 1, pinned: true);
        for (int gRow = 0; gRow <= 255; gRow++)
        {
            for (int gCol = -255; gCol <= 255; gCol++)
            {
                int bin = HogMath.Bin(HogMath.Orientation(gRow, gCol), edges);
                if (bin != HogMath.Bin(HogMath.Orientation(-gRow, -gCol), edges))
                {
                    return null;
                }

                double hypot = HogMath.Hypot(gCol, gRow);
                double root = Math.Sqrt((gRow * gRow) + (gCol * gCol));
                int adjustment = hypot == root ? 0 : hypot == Math.BitIncrement(root) ? 1 : hypot == Math.BitDecrement(root) ? -1 : 2;
                if (adjustment == 2)
                {
                    return null;
                }

                table[(gRow * GradientSpan) + gCol + 255] = (ushort)(bin | ((adjustment & 0xFF) << 8));
            }
        }

        return table;
    }
}
