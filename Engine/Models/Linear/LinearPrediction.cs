using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Models.Linear;

/// <summary>What a <see cref="LinearPrediction"/> run writes.</summary>
internal enum PredictionOutput
{
    /// <summary>The decision values, doubles.</summary>
    Decision,

    /// <summary>The predicted class labels, ints.</summary>
    Labels,

    /// <summary>Class probabilities as floats.</summary>
    ProbabilitiesFloat,

    /// <summary>Class probabilities as doubles.</summary>
    ProbabilitiesDouble,
}

/// <summary>
/// Batch prediction of a linear model: decision values of a block of rows (<see cref="DecisionKernel"/>), then the
/// softmax, normalised sigmoids or argmax over that block while it is still in L1, block after block; large batches
/// are split into static row ranges run in parallel.
/// </summary>
/// <remarks>
/// Each output row depends only on its input row (see <see cref="DecisionKernel"/>), so results are identical for any
/// thread count or split. One thread (a small batch, one core, or a 1-thread scheduler limit) runs inline and
/// allocates nothing; the parallel path allocates only the loop's few task objects, independent of the batch size.
/// <para>
/// Non-finite input is found from the outputs, not by a pass over x: with finite weights, a NaN or ±∞ feature makes
/// every decision value of its row NaN or ±∞ (NaN·w = NaN, ±∞·w = ±∞ and ±∞·0 = NaN; an accumulator or lane sum that
/// is NaN or ±∞ stays so, as ∞ − ∞ = NaN), and the kernel multiplies every feature into every column. So checking the
/// K decision values per row finds every such row; only then is that row scanned, to name the column.
/// </para>
/// </remarks>
internal static unsafe class LinearPrediction
{
    // Below about 8 M multiply-adds (≈ 1 ms on one core) a parallel loop's start-up is not worth it.
    private const long ParallelWork = 1L << 23;

    // Decision values per block: 4 KB, so a block of rows and its decisions stay in L1 for the post-processing.
    private const int BlockValues = 512;

    /// <summary>Most decision columns with a stack-allocated block buffer.</summary>
    private const int StackColumns = 256;

    /// <summary>Runs <paramref name="job"/> over all its rows.</summary>
    /// <exception cref="ArgumentException">
    /// A row's decision values are not finite: it holds NaN or ±∞ (named by row and column, the first such row), or
    /// its values are so large that the dot products overflow. The destination is then partly written.
    /// </exception>
    public static void Run<T>(in PredictionJob<T> job)
        where T : unmanaged
    {
        if (job.N == 0)
        {
            return;
        }

        int units = (job.N + DecisionKernel.Rows - 1) / DecisionKernel.Rows;
        int threads = (long)job.N * job.D * job.K >= ParallelWork ? Math.Min(Workers(), units) : 1;
        int bad = threads == 1 ? Range(job, 0, job.N) : RunParallel(job, units, threads);
        if (bad >= 0)
        {
            ThrowNonFinite(job, bad);
        }
    }

    // Apart from Run so that the inline path does not allocate the closure. Returns the first row with non-finite
    // decision values, or −1: each range stops at its first such row, and the least of those is the first overall, so
    // the row named does not depend on the split.
    private static int RunParallel<T>(PredictionJob<T> job, int units, int threads)
        where T : unmanaged
    {
        int firstBad = int.MaxValue;
        Parallel.For(0, threads, EngineParallel.Options(threads), t =>
        {
            (int first, int end) = Parallelism.Range(units, threads, t);
            int bad = Range(job, first * DecisionKernel.Rows, Math.Min(job.N, end * DecisionKernel.Rows));
            if (bad >= 0)
            {
                AtomicMin.Lower(ref firstBad, bad);
            }
        });
        return firstBad == int.MaxValue ? -1 : firstBad;
    }

    // The cores the current scheduler lets a loop use (a `--threads` limit runs on a bounded scheduler).
    private static int Workers() => Math.Min(Environment.ProcessorCount, TaskScheduler.Current.MaximumConcurrencyLevel);

    // Rows [start, end); returns the first row whose decision values are not finite (its block is left unprocessed
    // and the range stops there), or −1.
    private static int Range<T>(in PredictionJob<T> job, int start, int end)
        where T : unmanaged
    {
        int k = job.K;
        if (job.Output == PredictionOutput.Decision)
        {
            double* decisions = (double*)job.Destination + (start * job.Ldd);
            DecisionKernel.Decide(job.X + (start * job.Ldx), job.Ldx, end - start, job.D, job.W, job.Packed, job.B, k, decisions, job.Ldd);
            int bad = FirstNonFinite(decisions, end - start, k, job.Ldd);
            return bad < 0 ? -1 : start + bad;
        }

        int blockRows = Math.Max(DecisionKernel.Rows, BlockValues / k / DecisionKernel.Rows * DecisionKernel.Rows);
        Span<double> buffer = k <= StackColumns ? stackalloc double[blockRows * k] : new double[blockRows * k];
        fixed (double* z = buffer)
        {
            for (int first = start; first < end; first += blockRows)
            {
                int rows = Math.Min(blockRows, end - first);
                DecisionKernel.Decide(job.X + (first * job.Ldx), job.Ldx, rows, job.D, job.W, job.Packed, job.B, k, z, k);
                Span<double> block = buffer[..(rows * k)];
                if (!TensorPrimitives.IsFiniteAll<double>(block))
                {
                    // Before the argmax/softmax: NaN compares false (the argmax kept class 0) and softmax spreads it.
                    return first + FirstNonFinite(z, rows, k, k);
                }

                switch (job.Output)
                {
                    case PredictionOutput.Labels:
                        Labels(block, k, job.Classes, (int*)job.Destination + first);
                        break;
                    case PredictionOutput.ProbabilitiesFloat:
                        Probabilities(block, rows, job, (float*)job.Destination + (first * job.Ldd));
                        break;
                    default:
                        Probabilities(block, rows, job, (double*)job.Destination + (first * job.Ldd));
                        break;
                }
            }
        }

        return -1;
    }

    // The first of `rows` rows (k values each, `ldz` apart) holding a NaN or ±∞, or −1.
    private static int FirstNonFinite(double* z, int rows, int k, nint ldz)
    {
        if (ldz == k && TensorPrimitives.IsFiniteAll(new ReadOnlySpan<double>(z, rows * k)))
        {
            return -1;
        }

        for (int r = 0; r < rows; r++)
        {
            if (!TensorPrimitives.IsFiniteAll(new ReadOnlySpan<double>(z + (r * ldz), k)))
            {
                return r;
            }
        }

        return -1;
    }

    // Names the first non-finite value of the row, in the message the estimators' Fit gives for the same input.
    [DoesNotReturn]
    private static void ThrowNonFinite<T>(in PredictionJob<T> job, int row)
        where T : unmanaged
    {
        T* x = job.X + (row * job.Ldx);
        for (int j = 0; j < job.D; j++)
        {
            double v = typeof(T) == typeof(double) ? ((double*)x)[j] : ((float*)x)[j];
            if (!double.IsFinite(v))
            {
                ThrowHelper.ThrowNonFinite("x", v, row, j);
            }
        }

        ThrowHelper.ThrowArgument(
            $"'x' row {row} is finite but its decision values are not: its values are too large for the model's weights (the dot products overflow double).", "x");
    }

    // Argmax, the first of equal maxima (numpy's argmax); one column: class 1 when z > 0 (sklearn's binary rule).
    private static void Labels(ReadOnlySpan<double> z, int k, int* classes, int* destination)
    {
        int rows = z.Length / k;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = z.Slice(r * k, k);
            int best = 0;
            if (k == 1)
            {
                best = row[0] > 0 ? 1 : 0;
            }
            else
            {
                for (int c = 1; c < k; c++)
                {
                    if (row[c] > row[best])
                    {
                        best = c;
                    }
                }
            }

            destination[r] = classes[best];
        }
    }

    // Multinomial: softmax (max-shifted, like sklearn); OvR: sigmoids normalised to sum 1 (sklearn's _predict_proba_lr).
    // Exp/sigmoid run vectorised over the whole block.
    private static void Probabilities<T, TOut>(Span<double> z, int rows, in PredictionJob<T> job, TOut* destination)
        where T : unmanaged
        where TOut : unmanaged
    {
        int k = job.K;
        if (k == 1)
        {
            for (int r = 0; r < rows; r++)
            {
                (double p0, double p1) = job.Multinomial ? BinarySoftmax(z[r]) : BinarySigmoid(z[r]);
                Store(destination + (r * job.Ldd), p0);
                Store(destination + (r * job.Ldd) + 1, p1);
            }

            return;
        }

        if (job.Multinomial)
        {
            for (int r = 0; r < rows; r++)
            {
                Span<double> row = z.Slice(r * k, k);
                TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
            }

            TensorPrimitives.Exp(z, z);
        }
        else
        {
            TensorPrimitives.Sigmoid(z, z);
        }

        for (int r = 0; r < rows; r++)
        {
            Span<double> row = z.Slice(r * k, k);
            double sum = 0.0;
            for (int c = 0; c < k; c++)
            {
                sum += row[c];
            }

            TOut* out0 = destination + (r * job.Ldd);
            for (int c = 0; c < k; c++)
            {
                Store(out0 + c, row[c] / sum);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TOut>(TOut* destination, double value)
        where TOut : unmanaged
    {
        if (typeof(TOut) == typeof(float))
        {
            *(float*)destination = (float)value;
        }
        else
        {
            *(double*)destination = value;
        }
    }

    // Two classes, as sklearn: softmax of (−z, z) for multinomial; (1 − σ(z), σ(z)) for one-vs-rest.
    private static (double P0, double P1) BinarySigmoid(double z)
    {
        double p1 = 1.0 / (1.0 + Math.Exp(-z));
        return (1.0 - p1, p1);
    }

    private static (double P0, double P1) BinarySoftmax(double z)
    {
        double max = Math.Max(-z, z);
        double e0 = Math.Exp(-z - max);
        double e1 = Math.Exp(z - max);
        double sum = e0 + e1;
        return (e0 / sum, e1 / sum);
    }
}
