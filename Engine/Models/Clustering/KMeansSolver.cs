using System.Numerics.Tensors;
using CommunityToolkit.HighPerformance;
using FashionCore.Internals;

namespace FashionCore.Models.Clustering;

/// <summary>
/// One k-means problem: the input rows (float or double), their column means (the data are centred implicitly, as
/// scikit-learn centres them explicitly), squared row norms of the centred rows, and the mean column variance.
/// </summary>
/// <remarks>
/// Rows are never copied: every pass widens a row to double and subtracts the mean into a per-thread buffer, which is
/// exactly the float64 centred row scikit-learn works on (for float input, that of the float-rounded data).
/// Every pass runs over <see cref="ChunkedRows"/> and reduces per-chunk partials in chunk order.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal sealed partial class KMeansSolver<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static double[]? s_scratch;

    private readonly ReadOnlyMemory2D<T> _x;
    private readonly int _n;
    private readonly int _d;
    private readonly int _chunks;
    private readonly double[] _mean;
    private readonly double[] _rowNormSq;
    private readonly double[] _rowNorm;
    private readonly double[] _approxMean; // the rows FloatDots reads are centred rows + this (mean for float input)
    private readonly double[] _approxNorm; // ‖approximate row‖
    private readonly float[]? _approxCopy; // double input: the centred rows rounded to float

    /// <summary>Validates <paramref name="x"/> (finite) and computes the column statistics in two passes.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> contains NaN or ±Inf.</exception>
    public KMeansSolver(ReadOnlyMemory2D<T> x)
    {
        _x = x;
        _n = x.Height;
        _d = x.Width;
        _chunks = ChunkedRows.Count(_n);
        int n = _n, d = _d;
        double[] partial = new double[_chunks * d];
        long[] firstBad = new long[_chunks];
        double[] zeros = new double[d];
        double[] approxNorm = new double[n];
        float[]? approxCopy = typeof(T) == typeof(float) ? null : new float[n * d];
        ChunkedRows.Run(_chunks, c =>
        {
            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> sum = partial.AsSpan(c * d, d);
            Span<double> row = Scratch(d);
            firstBad[c] = -1;
            for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize); i < end; i++)
            {
                KMeansKernels.LoadCentred(xs.GetRowSpan(i), zeros, row);
                if (!TensorPrimitives.IsFiniteAll((ReadOnlySpan<double>)row))
                {
                    firstBad[c] = i;
                    return;
                }

                TensorPrimitives.Add(sum, row, sum);
                if (typeof(T) == typeof(float))
                {
                    approxNorm[i] = Math.Sqrt(TensorPrimitives.Dot((ReadOnlySpan<double>)row, row));
                }
            }
        });
        foreach (long bad in firstBad)
        {
            if (bad >= 0)
            {
                ReadOnlySpan<T> row = _x.Span.GetRowSpan((int)bad);
                int j = 0;
                while (double.IsFinite(ToDouble(row[j])))
                {
                    j++;
                }

                ThrowHelper.ThrowArgument($"'x' contains {ToDouble(row[j])} at row {bad}, column {j}; all values must be finite.", "x");
            }
        }

        _mean = new double[d];
        for (int c = 0; c < _chunks; c++)
        {
            TensorPrimitives.Add(_mean, partial.AsSpan(c * d, d), _mean);
        }

        for (int j = 0; j < d; j++)
        {
            _mean[j] /= n;
        }

        // Second pass: centred squares per column (np.var, two-pass) and squared norms of the centred rows.
        Array.Clear(partial);
        _rowNormSq = new double[n];
        ChunkedRows.Run(_chunks, c =>
        {
            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> squares = partial.AsSpan(c * d, d);
            Span<double> row = Scratch(d);
            for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize); i < end; i++)
            {
                KMeansKernels.LoadCentred(xs.GetRowSpan(i), _mean, row);
                TensorPrimitives.MultiplyAdd(row, row, squares, squares);
                _rowNormSq[i] = TensorPrimitives.Dot(row, row);
                if (approxCopy is not null)
                {
                    Span<float> copy = approxCopy.AsSpan(i * d, d);
                    for (int j = 0; j < d; j++)
                    {
                        copy[j] = (float)row[j];
                    }

                    // ‖float(row)‖ ≤ (1 + 2⁻²⁴)‖row‖; FloatDots.ErrorFactor's slack covers the difference.
                    approxNorm[i] = Math.Sqrt(_rowNormSq[i]);
                }
            }
        });
        double varianceSum = 0;
        for (int j = 0; j < d; j++)
        {
            double s = 0;
            for (int c = 0; c < _chunks; c++)
            {
                s += partial[(c * d) + j];
            }

            varianceSum += s / n;
        }

        MeanVariance = varianceSum / d;
        _approxNorm = approxNorm;
        _approxCopy = approxCopy;
        _approxMean = approxCopy is null ? _mean : zeros;
        _rowNorm = new double[n];
        for (int i = 0; i < n; i++)
        {
            _rowNorm[i] = Math.Sqrt(_rowNormSq[i]);
        }
    }

    /// <summary>Rows.</summary>
    public int RowCount => _n;

    /// <summary>Columns.</summary>
    public int ColumnCount => _d;

    /// <summary>Column means (sklearn's <c>X_mean</c>).</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Mean over columns of the population column variances (sklearn <c>_tolerance</c> before the factor tol).</summary>
    public double MeanVariance { get; }

    /// <summary>
    /// When false, every Lloyd E-step computes every row's labels in double (plain Lloyd); the bounds and the float
    /// screen only skip work whose outcome they prove.
    /// </summary>
    public bool UseBounds { get; init; } = true;

    /// <summary>Writes the centred double version of row <paramref name="i"/>.</summary>
    public void LoadRow(int i, Span<double> destination) => KMeansKernels.LoadCentred(_x.Span.GetRowSpan(i), _mean, destination);

    /// <summary>The float row that <see cref="FloatDots"/> reads for row <paramref name="i"/>: the input row (float input) or the rounded centred row.</summary>
    private ReadOnlySpan<float> ApproxRow(ReadOnlySpan2D<T> xs, int i) =>
        _approxCopy is null ? System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(xs.GetRowSpan(i)) : _approxCopy.AsSpan(i * _d, _d);

    private static double ToDouble(T value) => typeof(T) == typeof(float) ? (float)(object)value : (double)(object)value;

    /// <summary>A per-thread buffer of at least <paramref name="length"/> doubles (allocated once per thread).</summary>
    private static Span<double> Scratch(int length)
    {
        double[]? s = s_scratch;
        if (s is null || s.Length < length)
        {
            s = new double[Math.Max(length, 2048)];
            s_scratch = s;
        }

        return s.AsSpan(0, length);
    }
}
