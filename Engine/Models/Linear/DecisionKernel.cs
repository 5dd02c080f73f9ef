using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Linear;

/// <summary>
/// Decision values <c>x·Wᵀ + b</c> for up to 12 decision columns, four rows at a time: the weights are held feature
/// by feature (12 lanes per feature, zero-padded), so each weight vector loaded serves four rows and the four rows ×
/// 12 lanes accumulate in eight independent registers.
/// </summary>
/// <remarks>
/// Each (row, column) value is summed over the features in order with one FMA per feature, whatever rows it is
/// batched with and whether the JIT lowers Vector512 to one register or two halves: the result does not depend on
/// the batch or the instruction set.
/// </remarks>
internal static class DecisionKernel
{
    /// <summary>Most decision columns the kernel handles.</summary>
    public const int MaxColumns = 12;

    /// <summary>Rows per batch.</summary>
    public const int Rows = 4;

    /// <summary>The K×d weights as d×12 (feature j's columns contiguous, padding lanes zero).</summary>
    public static double[] ByFeature(double[] coef, int k, int d)
    {
        double[] byFeature = new double[d * MaxColumns];
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++)
            {
                byFeature[(j * MaxColumns) + c] = coef[(c * d) + j];
            }
        }

        return byFeature;
    }

    /// <summary>
    /// Writes the decision values of rows <paramref name="start"/> … <paramref name="start"/> + <paramref name="rows"/> − 1
    /// (at most <see cref="Rows"/>) to <paramref name="z"/>, <paramref name="count"/> values per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decide<T>(ReadOnlySpan2D<T> x, int start, int rows, ReadOnlySpan<double> byFeature, ReadOnlySpan<double> intercept, int count, Span<double> z)
        where T : unmanaged
    {
        // A short last batch repeats its last row; the extra results are dropped.
        ref T x0 = ref MemoryMarshal.GetReference(x.GetRowSpan(start));
        ref T x1 = ref MemoryMarshal.GetReference(x.GetRowSpan(start + Math.Min(1, rows - 1)));
        ref T x2 = ref MemoryMarshal.GetReference(x.GetRowSpan(start + Math.Min(2, rows - 1)));
        ref T x3 = ref MemoryMarshal.GetReference(x.GetRowSpan(start + Math.Min(3, rows - 1)));
        ref double w = ref MemoryMarshal.GetReference(byFeature);
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<double> t0 = default, t1 = default, t2 = default, t3 = default;
        int d = x.Width;
        for (int j = 0; j < d; j++)
        {
            Vector512<double> wl = Vector512.LoadUnsafe(ref w, (nuint)(j * MaxColumns));
            Vector256<double> wh = Vector256.LoadUnsafe(ref w, (nuint)((j * MaxColumns) + 8));
            Vector512<double> v = Vector512.Create(Value(ref x0, j));
            a0 = Vector512.FusedMultiplyAdd(v, wl, a0);
            t0 = Vector256.FusedMultiplyAdd(v.GetLower(), wh, t0);
            v = Vector512.Create(Value(ref x1, j));
            a1 = Vector512.FusedMultiplyAdd(v, wl, a1);
            t1 = Vector256.FusedMultiplyAdd(v.GetLower(), wh, t1);
            v = Vector512.Create(Value(ref x2, j));
            a2 = Vector512.FusedMultiplyAdd(v, wl, a2);
            t2 = Vector256.FusedMultiplyAdd(v.GetLower(), wh, t2);
            v = Vector512.Create(Value(ref x3, j));
            a3 = Vector512.FusedMultiplyAdd(v, wl, a3);
            t3 = Vector256.FusedMultiplyAdd(v.GetLower(), wh, t3);
        }

        Span<double> lanes = stackalloc double[MaxColumns];
        for (int r = 0; r < rows; r++)
        {
            (Vector512<double> a, Vector256<double> t) = r switch { 0 => (a0, t0), 1 => (a1, t1), 2 => (a2, t2), _ => (a3, t3) };
            a.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            t.StoreUnsafe(ref MemoryMarshal.GetReference(lanes), 8);
            Span<double> zr = z.Slice(r * count, count);
            for (int c = 0; c < count; c++)
            {
                zr[c] = lanes[c] + intercept[c];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Value<T>(ref T row, int j)
        where T : unmanaged
    {
        T value = Unsafe.Add(ref row, j);
        return typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : Unsafe.As<T, double>(ref value);
    }
}
