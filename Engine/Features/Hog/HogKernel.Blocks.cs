using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FashionCore.Features.Hog;

internal static partial class HogKernel
{
    /// <summary>skimage's ε for every block norm.</summary>
    private const double Eps = 1e-5;

    /// <summary>Python's <c>eps ** 2</c> (= 1.0000000000000002e-10, the same double as 1e-5·1e-5).</summary>
    private const double EpsSquared = Eps * Eps;

    /// <summary>The value where L2-Hys clips.</summary>
    private const double HysteresisClip = 0.2;

    /// <summary>Gathers and normalises every block straight into a float64 output.</summary>
    public static void NormalizeBlocks(ReadOnlySpan<float> histogram, in HogGeometry g, HogBlockNorm norm, Span<double> destination)
    {
        int blockLength = g.BlockLength;
        for (int blockRow = 0, offset = 0; blockRow < g.BlocksDown; blockRow++)
        {
            for (int blockColumn = 0; blockColumn < g.BlocksAcross; blockColumn++, offset += blockLength)
            {
                Span<double> block = destination.Slice(offset, blockLength);
                GatherBlock(histogram, g, blockRow, blockColumn, block);
                Normalize(block, norm);
            }
        }
    }

    /// <summary>Normalises every block in float64 (in <paramref name="block"/>, one block long) and stores it as float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormalizeBlocks(ReadOnlySpan<float> histogram, in HogGeometry g, HogBlockNorm norm, Span<double> block, Span<float> destination)
    {
        int blockLength = g.BlockLength;
        for (int blockRow = 0, offset = 0; blockRow < g.BlocksDown; blockRow++)
        {
            for (int blockColumn = 0; blockColumn < g.BlocksAcross; blockColumn++, offset += blockLength)
            {
                GatherBlock(histogram, g, blockRow, blockColumn, block);
                Normalize(block, norm);
                Narrow(block, destination.Slice(offset, blockLength));
            }
        }
    }

    /// <summary>Copies the block's cells in output order (cell row, cell column, bin), widening to double.</summary>
    private static void GatherBlock(ReadOnlySpan<float> histogram, in HogGeometry g, int blockRow, int blockColumn, Span<double> block)
    {
        int orientations = g.Orientations;
        int stride = g.CellStride;
        int k = 0;
        for (int i = 0; i < g.BlockRows; i++)
        {
            for (int j = 0; j < g.BlockColumns; j++)
            {
                ReadOnlySpan<float> cell = histogram.Slice((((blockRow + i) * g.CellsAcross) + blockColumn + j) * stride, orientations);
                int b = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; b <= cell.Length - Vector128<float>.Count; b += Vector128<float>.Count)
                    {
                        Vector256.WidenLower(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(cell), (nuint)b).ToVector256Unsafe())
                            .StoreUnsafe(ref MemoryMarshal.GetReference(block), (nuint)(k + b));
                    }
                }

                for (; b < cell.Length; b++)
                {
                    block[k + b] = cell[b];
                }

                k += cell.Length;
            }
        }
    }

    /// <summary><c>(float)</c> of every value (a vector conversion rounds like the scalar cast).</summary>
    private static void Narrow(ReadOnlySpan<double> source, Span<float> destination)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double s = ref MemoryMarshal.GetReference(source);
            ref float t = ref MemoryMarshal.GetReference(destination);
            for (; i <= source.Length - 8; i += 8)
            {
                Vector256.Narrow(Vector256.LoadUnsafe(ref s, (nuint)i), Vector256.LoadUnsafe(ref s, (nuint)(i + 4))).StoreUnsafe(ref t, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }

    /// <summary>skimage's <c>_hog_normalize_block</c>: element-wise division by the scalar norm, as numpy does it.</summary>
    private static void Normalize(Span<double> v, HogBlockNorm norm)
    {
        if (norm is HogBlockNorm.L2 or HogBlockNorm.L2Hys && Vector256.IsHardwareAccelerated && v.Length % 8 == 0 && v.Length <= 128)
        {
            NormalizeVectorized(v, norm);
            return;
        }

        switch (norm)
        {
            case HogBlockNorm.L1:
                {
                    double denominator = PairwiseSum<AbsoluteValue>(v) + Eps;
                    Divide(v, denominator);
                    break;
                }

            case HogBlockNorm.L1Sqrt:
                {
                    double denominator = PairwiseSum<AbsoluteValue>(v) + Eps;
                    TensorPrimitives.Divide(v, denominator, v);
                    TensorPrimitives.Sqrt(v, v);

                    break;
                }

            case HogBlockNorm.L2:
                Divide(v, Math.Sqrt(PairwiseSum<Square>(v) + EpsSquared));
                break;

            default:
                Divide(v, Math.Sqrt(PairwiseSum<Square>(v) + EpsSquared));
                // np.minimum propagates NaN, and so does TensorPrimitives.Min.
                TensorPrimitives.Min(v, HysteresisClip, v);

                Divide(v, Math.Sqrt(PairwiseSum<Square>(v) + EpsSquared));
                break;
        }
    }

    /// <summary>
    /// <see cref="Normalize"/> with the L2 norms (the study's L2-Hys; L1 norms stay scalar) for blocks of 8·m ≤ 128 values (e.g. 3×3 cells of 8 bins): numpy's pairwise sum of such a
    /// block is eight running partial sums — lane j of two 4-wide accumulators — combined as
    /// ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) with no leftovers, so the sums, divisions (IEEE in every lane), the clip and
    /// the second L2-Hys pass run in vectors with the same results as the scalar path.
    /// </summary>
    private static void NormalizeVectorized(Span<double> v, HogBlockNorm norm)
    {
        ref double p = ref MemoryMarshal.GetReference(v);
        int n = v.Length;
        switch (norm)
        {
            case HogBlockNorm.L2:
                DivideVector(ref p, n, Math.Sqrt(SumOfSquares(ref p, n) + EpsSquared));
                break;

            default:
                {
                    // L2-Hys: the first division and the clip fused, then the second L2 pass.
                    Vector256<double> denominator = Vector256.Create(Math.Sqrt(SumOfSquares(ref p, n) + EpsSquared));
                    Vector256<double> clip = Vector256.Create(HysteresisClip);
                    for (int i = 0; i < n; i += 4)
                    {
                        Vector256.Min(Vector256.LoadUnsafe(ref p, (nuint)i) / denominator, clip).StoreUnsafe(ref p, (nuint)i);
                    }

                    DivideVector(ref p, n, Math.Sqrt(SumOfSquares(ref p, n) + EpsSquared));
                    break;
                }
        }
    }

    /// <summary>
    /// numpy's pairwise <c>np.sum(v ** 2)</c> for 8 ≤ n ≤ 128, n a multiple of 8 (see <see cref="NormalizeVectorized"/>);
    /// squares rounded before the add, as numpy's temporary array has them (no FMA).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumOfSquares(ref double p, int n)
    {
        Vector256<double> x = Vector256.LoadUnsafe(ref p);
        Vector256<double> y = Vector256.LoadUnsafe(ref p, 4);
        Vector256<double> low = x * x;
        Vector256<double> high = y * y;
        for (int i = 8; i < n; i += 8)
        {
            x = Vector256.LoadUnsafe(ref p, (nuint)i);
            y = Vector256.LoadUnsafe(ref p, (nuint)(i + 4));
            low += x * x;
            high += y * y;
        }

        return ((low[0] + low[1]) + (low[2] + low[3])) + ((high[0] + high[1]) + (high[2] + high[3]));
    }

    private static void DivideVector(ref double p, int n, double denominator)
    {
        Vector256<double> d = Vector256.Create(denominator);
        for (int i = 0; i < n; i += 4)
        {
            (Vector256.LoadUnsafe(ref p, (nuint)i) / d).StoreUnsafe(ref p, (nuint)i);
        }
    }

    /// <summary>Element-wise IEEE division (SIMD lanes round exactly like scalar division; never a reciprocal).</summary>
    private static void Divide(Span<double> v, double denominator) => TensorPrimitives.Divide(v, denominator, v);

    /// <summary>
    /// <c>np.sum(f(v))</c> in numpy's summation order: a plain loop below 8 values; up to 128, eight interleaved partial
    /// sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) and the leftovers added one by one; above 128, split at
    /// half rounded down to a multiple of 8 and recurse. A left-to-right loop differs by up to 3.3e-16.
    /// </summary>
    /// <remarks>numpy buffers reductions in chunks of 8192 values, so blocks longer than that may differ in the last bit.</remarks>
    internal static double PairwiseSum<TOp>(ReadOnlySpan<double> v)
        where TOp : IElementOperator
    {
        int n = v.Length;
        if (n < 8)
        {
            double sum = 0.0;
            for (int i = 0; i < n; i++)
            {
                sum += TOp.Invoke(v[i]);
            }

            return sum;
        }

        if (n <= 128)
        {
            double r0 = TOp.Invoke(v[0]), r1 = TOp.Invoke(v[1]), r2 = TOp.Invoke(v[2]), r3 = TOp.Invoke(v[3]);
            double r4 = TOp.Invoke(v[4]), r5 = TOp.Invoke(v[5]), r6 = TOp.Invoke(v[6]), r7 = TOp.Invoke(v[7]);
            int i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                r0 += TOp.Invoke(v[i]);
                r1 += TOp.Invoke(v[i + 1]);
                r2 += TOp.Invoke(v[i + 2]);
                r3 += TOp.Invoke(v[i + 3]);
                r4 += TOp.Invoke(v[i + 4]);
                r5 += TOp.Invoke(v[i + 5]);
                r6 += TOp.Invoke(v[i + 6]);
                r7 += TOp.Invoke(v[i + 7]);
            }

            double result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                result += TOp.Invoke(v[i]);
            }

            return result;
        }

        int half = n / 2;
        half -= half % 8;
        return PairwiseSum<TOp>(v[..half]) + PairwiseSum<TOp>(v[half..]);
    }

    /// <summary>The element map applied before summing (numpy computes it into a temporary; here it is fused).</summary>
    internal interface IElementOperator
    {
        static abstract double Invoke(double x);
    }

    /// <summary><c>block ** 2</c> (numpy squares exactly as x·x).</summary>
    internal readonly struct Square : IElementOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Invoke(double x) => x * x;
    }

    /// <summary><c>np.abs(block)</c>.</summary>
    internal readonly struct AbsoluteValue : IElementOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Invoke(double x) => Math.Abs(x);
    }
}
