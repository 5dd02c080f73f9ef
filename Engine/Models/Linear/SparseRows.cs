using System.Runtime.CompilerServices;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Linear;

/// <summary>The column indices of the non-zero entries of each row (CSR without values), built once per fit.</summary>
/// <remarks>
/// SAG/SAGA touch only a sample's non-zero features: the lazy ("just in time") update makes this the same algorithm
/// as sklearn's dense loop, which also updates the zero features but only by adding 0. Pixel rows are ~50% zeros,
/// so this halves the work. Values are read from the original matrix, so only indices are stored.
/// </remarks>
internal sealed class SparseRows
{
    private SparseRows(int[] start, int[] index)
    {
        Start = start;
        Index = index;
    }

    /// <summary>n+1 offsets into <see cref="Index"/>.</summary>
    public int[] Start { get; }

    /// <summary>Column indices of the non-zero entries, row after row, ascending within a row.</summary>
    public int[] Index { get; }

    public ReadOnlySpan<int> Row(int i) => Index.AsSpan(Start[i], Start[i + 1] - Start[i]);

    public static SparseRows Build<T>(ReadOnlySpan2D<T> x)
        where T : unmanaged
    {
        int n = x.Height;
        int d = x.Width;
        int[] start = new int[n + 1];
        long total = 0;
        for (int i = 0; i < n; i++)
        {
            total += d - CountZeros(x.GetRowSpan(i));
            start[i + 1] = checked((int)total);
        }

        // One spare slot: the branch-free compaction below writes one past a row's last non-zero.
        int[] index = GC.AllocateUninitializedArray<int>((int)total + 1);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = x.GetRowSpan(i);
            Span<int> dst = index.AsSpan(start[i], start[i + 1] - start[i] + 1);
            int c = 0;
            for (int j = 0; j < row.Length; j++)
            {
                // Branch-free compaction (zeros are unpredictable): always write, advance only on a non-zero.
                dst[c] = j;
                c += IsNonZero(row[j]) ? 1 : 0;
            }
        }

        return new SparseRows(start, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNonZero<T>(T v)
        where T : unmanaged =>
        typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref v) != 0f : Unsafe.As<T, double>(ref v) != 0.0;

    private static int CountZeros<T>(ReadOnlySpan<T> row)
        where T : unmanaged
    {
        int zeros = 0;
        foreach (T v in row)
        {
            zeros += IsNonZero(v) ? 0 : 1;
        }

        return zeros;
    }
}
