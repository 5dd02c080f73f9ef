using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Features.Scaling;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Features.Pca;

/// <summary>The training rows as PCA sees them: z = (x − shift)/scale, with the passes Fit needs over x.</summary>
internal abstract class PcaSource
{
    protected double[] Sums { get; private set; } = [];

    public abstract int Rows { get; }

    public abstract int Columns { get; }

    /// <summary>Rejects NaN/Inf and accumulates the column sums of x (row order, double).</summary>
    public void Scan(int threads)
    {
        Sums = new double[Columns];
        ScanCore(Sums, threads);
    }

    /// <summary>Writes the covariance of z (d×d, row-major, ddof = 1) to the first d² elements of <paramref name="cov"/>.</summary>
    public abstract void Covariance(double[] cov, int threads);

    /// <summary>Column means of z.</summary>
    public abstract double[] Mean();

    /// <summary>
    /// Training scores (z − mean)·vᵀ for the k component rows, approximately (float or rounded to float), written
    /// row-major (n×k) to the first n·k elements of <paramref name="scores"/>.
    /// </summary>
    public abstract void ApproximateScores(double[] components, int k, float[] scores, int threads);

    /// <summary>The training score of one row on one component, in double, the way sklearn computes it from z.</summary>
    public abstract double ExactScore(int row, ReadOnlySpan<double> component);

    protected abstract void ScanCore(double[] sums, int threads);
}

/// <summary>Float rows, optionally standardized by a fitted scaler on the fly.</summary>
internal sealed class FloatSource(ReadOnlyMemory2D<float> x, StandardScalerModel? scaler) : PcaSource
{
    // What the scaler's transform actually subtracts and divides by (WithMean/WithStd may switch either off).
    private readonly double[]? _shift = scaler is null ? null : scaler.Options.WithMean ? scaler.Mean.ToArray() : new double[scaler.InputFeatureCount];
    private readonly double[]? _divisor = scaler is null ? null : scaler.Options.WithStd ? scaler.Scale.ToArray() : Enumerable.Repeat(1.0, scaler.InputFeatureCount).ToArray();

    // Integers up to this magnitude have exact float products and exact float sums of 256 products.
    private const float ExactLimit = 255;

    // n²·255² < 2⁵³ keeps n·G − s·sᵀ exact in double.
    private const int MaxExactRows = 300_000;

    // Rows per scan chunk (fixed, so partial sums never depend on the thread count).
    private const int ScanChunkRows = 4096;

    // Rows sampled to find each column's background value, and the precision its recentring may cost at most
    // (sum of squares about the shift ≤ 2⁶ × the centred one).
    private const int ShiftSampleRows = 64;
    private const int MinBackgroundCount = 4;
    private const int MaxCancellationBits = 6;

    private bool _smallIntegers;
    private double[]? _mean;

    public override int Rows => x.Height;

    public override int Columns => x.Width;

    public override void Covariance(double[] cov, int threads)
    {
        int n = Rows;
        int d = Columns;
        var c = new Span2D<double>(cov, d, d);
        double[] sums = Sums;
        if (_smallIntegers)
        {
            // Exact integer Gram matrix; n·G − s·sᵀ is an exact integer in double (|terms| ≤ n²·255² < 2⁵³ for the
            // row counts admitted by ScanCore), so the only rounding is the final division.
            if (SmallIntegerGram.IsSupported)
            {
                SmallIntegerGram.Gram(x.Span, c, threads);
            }
            else
            {
                SymmetricRankK.Gram(x.Span, c, threads);
            }

            double denominator = (double)n * (n - 1);
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    cov[(i * d) + j] = ((n * cov[(i * d) + j]) - (sums[i] * sums[j])) / denominator;
                }
            }
        }
        else
        {
            double[] mean = new double[d];
            TensorPrimitives.Divide(sums, n, mean);
            double[] shift = BackgroundShift(mean);
            SymmetricRankK.Gram(x.Span, shift, c, threads);
            if (!Recentre(cov, n, mean, shift))
            {
                SymmetricRankK.Gram(x.Span, mean, c, threads);
            }

            TensorPrimitives.Divide(cov.AsSpan(0, d * d), n - 1, cov.AsSpan(0, d * d));
        }

        if (_divisor is not null)
        {
            double[] s = _divisor;
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    cov[(i * d) + j] /= s[i] * s[j];
                }
            }
        }
    }

    /// <summary>
    /// The shift for the double Gram matrix: per column, the value most often held exactly by
    /// <see cref="ShiftSampleRows"/> evenly spaced rows, if at least <see cref="MinBackgroundCount"/> of them hold it (the background of image-like data, e.g. standardized zero pixels), else the
    /// mean. Rows equal to the shift in all eight columns of a tile group are skipped by the SYRK kernel, so sparse
    /// data shifted to its background keeps its sparsity; the mean is restored exactly in <see cref="Recentre"/>.
    /// </summary>
    private double[] BackgroundShift(double[] mean)
    {
        int n = Rows;
        int d = Columns;
        double[] shift = (double[])mean.Clone();
        int samples = Math.Min(n, ShiftSampleRows);
        float[] column = new float[samples];
        ReadOnlySpan2D<float> span = x.Span;
        for (int j = 0; j < d; j++)
        {
            for (int s = 0; s < samples; s++)
            {
                column[s] = span[(int)((long)s * n / samples), j];
            }

            Array.Sort(column);
            int best = 0;
            for (int s = 0, run = 1; s < samples; s++, run++)
            {
                if (s + 1 == samples || column[s + 1] != column[s])
                {
                    if (run > best && run >= MinBackgroundCount)
                    {
                        best = run;
                        shift[j] = column[s];
                    }

                    run = 0;
                }
            }
        }

        return shift;
    }

    /// <summary>
    /// Turns the Gram matrix G of x − b (in place) into the centred one, G − n·δδᵀ with δ = mean − b. Returns false
    /// (G untouched) when some column's shift is so far from its mean that the subtraction would cancel more than
    /// <see cref="MaxCancellationBits"/> bits; the caller then recomputes with the mean as the shift.
    /// </summary>
    private static bool Recentre(double[] gram, int n, double[] mean, double[] shift)
    {
        int d = mean.Length;
        double[] delta = new double[d];
        for (int j = 0; j < d; j++)
        {
            delta[j] = mean[j] - shift[j];
            double correction = n * delta[j] * delta[j];
            double sumOfSquares = gram[(j * d) + j];
            if (correction > 0 && correction * (1 << MaxCancellationBits) > sumOfSquares * ((1 << MaxCancellationBits) - 1))
            {
                return false;
            }
        }

        for (int i = 0; i < d; i++)
        {
            double ni = n * delta[i];
            for (int j = 0; j < d; j++)
            {
                gram[(i * d) + j] -= ni * delta[j];
            }
        }

        return true;
    }

    public override double[] Mean()
    {
        int d = Columns;
        double[] mean = new double[d];
        for (int j = 0; j < d; j++)
        {
            double m = Sums[j] / Rows;
            mean[j] = _shift is null || _divisor is null ? m : (m - _shift[j]) / _divisor[j];
        }

        return mean;
    }

    public override void ApproximateScores(double[] components, int k, float[] scores, int threads)
    {
        int d = Columns;
        float[] w = new float[k * d];
        float[] shift = new float[d];
        for (int j = 0; j < d; j++)
        {
            shift[j] = (float)(Sums[j] / Rows);
        }

        for (int r = 0; r < k; r++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = components[(r * d) + j];
                w[(r * d) + j] = (float)(_divisor is null ? v : v / _divisor[j]);
            }
        }

        Gemm.MultiplyTransposed(x.Span, shift, new ReadOnlySpan2D<float>(w, k, d), new Span2D<float>(scores, Rows, k), threads == 0 ? 0 : threads);
    }

    public override double ExactScore(int row, ReadOnlySpan<double> component)
    {
        ReadOnlySpan<float> xr = x.Span.GetRowSpan(row);
        double[] mean = _mean ??= Mean();
        double t = 0;
        for (int j = 0; j < xr.Length; j++)
        {
            double z = _shift is null || _divisor is null ? xr[j] : (xr[j] - _shift[j]) / _divisor[j];
            t += (z - mean[j]) * component[j];
        }

        return t;
    }

    protected override void ScanCore(double[] sums, int threads)
    {
        // Fixed row chunks, each summed in row order into its own partial, partials added in chunk order: the
        // result does not depend on the thread count (and is exact for integer data anyway).
        int n = Rows;
        int d = Columns;
        int chunks = (n + ScanChunkRows - 1) / ScanChunkRows;
        double[] partial = new double[chunks * d];
        bool[] small = new bool[chunks];
        int[] badRow = new int[chunks];
        int used = Math.Max(1, Math.Min(threads > 0 ? threads : Environment.ProcessorCount, chunks));
        ReadOnlyMemory2D<float> data = x;
        Parallel.For(0, used, EngineParallel.Options(used), t =>
        {
            long first = (long)chunks * t / used;
            long end = (long)chunks * (t + 1) / used;
            for (int c = (int)first; c < end; c++)
            {
                (small[c], badRow[c]) = ScanChunk(data.Span, c * ScanChunkRows, Math.Min(n, (c + 1) * ScanChunkRows), partial.AsSpan(c * d, d));
            }
        });

        bool allSmall = n <= MaxExactRows;
        for (int c = 0; c < chunks; c++)
        {
            if (badRow[c] >= 0)
            {
                ReadOnlySpan<float> row = x.Span.GetRowSpan(badRow[c]);
                int j = 0;
                while (float.IsFinite(row[j]))
                {
                    j++;
                }

                ThrowHelper.ThrowNonFinite("x", row[j], badRow[c], j);
            }

            allSmall &= small[c];
            TensorPrimitives.Add(sums, partial.AsSpan(c * d, d), sums);
        }

        _smallIntegers = allSmall;
    }

    private static (bool Small, int BadRow) ScanChunk(ReadOnlySpan2D<float> span, int first, int end, Span<double> sums)
    {
        bool small = true;
        for (int i = first; i < end; i++)
        {
            ReadOnlySpan<float> row = span.GetRowSpan(i);
            if (!TensorPrimitives.IsFiniteAll(row))
            {
                return (false, i);
            }

            small = small && TensorPrimitives.IsIntegerAll(row) && (row.IsEmpty || Math.Abs(TensorPrimitives.MaxMagnitude(row)) <= ExactLimit);
            ColumnKernels.Accumulate(row, sums);
        }

        return (small, -1);
    }
}

/// <summary>Double rows: everything in double.</summary>
internal sealed class DoubleSource(ReadOnlyMemory2D<double> x) : PcaSource
{
    public override int Rows => x.Height;

    public override int Columns => x.Width;

    public override void Covariance(double[] cov, int threads)
    {
        int d = Columns;
        SymmetricRankK.Gram(x.Span, Mean(), new Span2D<double>(cov, d, d), threads);
        TensorPrimitives.Divide(cov.AsSpan(0, d * d), Rows - 1, cov.AsSpan(0, d * d));
    }

    public override double[] Mean()
    {
        double[] mean = new double[Columns];
        TensorPrimitives.Divide(Sums, Rows, mean);
        return mean;
    }

    public override void ApproximateScores(double[] components, int k, float[] scores, int threads)
    {
        using var exact = new ScratchArray<double>(Rows * k, clear: false);
        Gemm.MultiplyTransposed(x.Span, Mean(), new ReadOnlySpan2D<double>(components, k, Columns), new Span2D<double>(exact.Array, Rows, k), threads);
        TensorPrimitives.ConvertTruncating<double, float>(exact.Span, scores.AsSpan(0, Rows * k));
    }

    public override double ExactScore(int row, ReadOnlySpan<double> component)
    {
        ReadOnlySpan<double> xr = x.Span.GetRowSpan(row);
        double[] mean = Mean();
        double t = 0;
        for (int j = 0; j < xr.Length; j++)
        {
            t += (xr[j] - mean[j]) * component[j];
        }

        return t;
    }

    protected override void ScanCore(double[] sums, int threads)
    {
        ReadOnlySpan2D<double> span = x.Span;
        for (int i = 0; i < span.Height; i++)
        {
            ReadOnlySpan<double> row = span.GetRowSpan(i);
            if (!TensorPrimitives.IsFiniteAll(row))
            {
                int j = 0;
                while (double.IsFinite(row[j]))
                {
                    j++;
                }

                ThrowHelper.ThrowNonFinite("x", row[j], i, j);
            }

            TensorPrimitives.Add(row, sums, sums);
        }
    }
}
