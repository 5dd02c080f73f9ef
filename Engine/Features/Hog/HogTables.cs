using System.Collections.Concurrent;

namespace FashionCore.Features.Hog;

/// <summary>
/// Lookup tables for uint8 images without <c>transform_sqrt</c>: every gradient is an integer in [−255, 255], so the
/// magnitude and the bin of a pixel are table entries rather than a hypot and an atan2.
/// </summary>
/// <remarks>
/// Entries are computed with the same <see cref="HogMath"/> functions as the general path, so both paths agree bit for
/// bit. The magnitude table (|gRow|, |gCol|) is 512 KB and shared; a bin table (gRow, gCol) is 255 KB per orientation
/// count, built once (≈ 5 ms) and cached for the process.
/// </remarks>
internal static class HogTables
{
    /// <summary>Largest orientation count with a byte bin table (bins 0..o−1, trash slot o ≤ 255).</summary>
    public const int MaxTableOrientations = 254;

    /// <summary>Gradient values span [−255, 255].</summary>
    public const int GradientSpan = 511;

    private static readonly Lazy<double[]> s_magnitudes = new(CreateMagnitudes);
    private static readonly ConcurrentDictionary<int, byte[]> s_bins = new();

    /// <summary>hypot at index |gRow|·256 + |gCol|.</summary>
    public static double[] Magnitudes => s_magnitudes.Value;

    /// <summary>The bin (or the trash slot o) at index (gRow + 255)·511 + gCol + 255.</summary>
    public static byte[] GetBins(int orientations) => s_bins.GetOrAdd(orientations, CreateBins);

    private static double[] CreateMagnitudes()
    {
        double[] table = new double[256 * 256];
        for (int row = 0; row < 256; row++)
        {
            for (int col = 0; col < 256; col++)
            {
                table[(row * 256) + col] = HogMath.Hypot(col, row);
            }
        }

        return table;
    }

    private static byte[] CreateBins(int orientations)
    {
        double[] edges = HogMath.CreateBinEdges(orientations);
        byte[] table = new byte[GradientSpan * GradientSpan];
        for (int gRow = -255; gRow <= 255; gRow++)
        {
            for (int gCol = -255; gCol <= 255; gCol++)
            {
                table[((gRow + 255) * GradientSpan) + gCol + 255] = (byte)HogMath.Bin(HogMath.Orientation(gRow, gCol), edges);
            }
        }

        return table;
    }
}
