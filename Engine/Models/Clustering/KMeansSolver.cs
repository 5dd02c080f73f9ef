using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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

    private readonly PooledArrays _buffers = new();
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
    private readonly byte[]? _quant; // centred rows ≈ _quantLow + _quantStep·q (per column), when that is close enough
    private readonly double[] _quantLow;
    private readonly double[] _quantStep;
    private readonly double[] _quantInverseStep; // 1/step, 0 for constant columns
    private readonly double[] _quantNorm; // ‖step∘q‖ per row
    private readonly double[] _quantResidual; // ≥ ‖centred row − (low + step∘q)‖ per row
    private int[] _firstCentres = []; // rows whose centred dots with every row _firstDots holds (row i at i·count + slot)
    private double[]? _firstDots;

    /// <summary>Validates <paramref name="x"/> (finite) and computes the column statistics in two passes.</summary>
    /// <param name="x">The rows.</param>
    /// <param name="firstCentre">
    /// A row expected as the first k-means++ centre (or −1): the second pass then also takes every centred row's dot with
    /// it, which saves k-means++ a pass over the rows when it starts there (any other start computes them itself).
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="x"/> contains NaN or ±Inf.</exception>
    public KMeansSolver(ReadOnlyMemory2D<T> x, int firstCentre = -1)
    {
        _x = x;
        _n = x.Height;
        _d = x.Width;
        _chunks = ChunkedRows.Count(_n);
        int n = _n, d = _d;
        double[] partial = _buffers.Rent<double>(_chunks * d);
        long[] firstBad = new long[_chunks];
        double[] zeros = new double[d];
        double[] approxNorm = _buffers.Rent<double>(n);
        float[]? approxCopy = typeof(T) == typeof(float) ? null : _buffers.Rent<float>(n * d, clear: false);
        double[] lows = _buffers.Rent<double>(_chunks * d, clear: false);
        double[] highs = _buffers.Rent<double>(_chunks * d, clear: false);
        ChunkedRows.Run(_chunks, c =>
        {
            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> sum = partial.AsSpan(c * d, d);
            Span<double> row = Scratch(d);
            Span<double> low = lows.AsSpan(c * d, d);
            Span<double> high = highs.AsSpan(c * d, d);
            low.Fill(double.PositiveInfinity);
            high.Fill(double.NegativeInfinity);
            firstBad[c] = -1;
            int first = c * ChunkedRows.ChunkSize, end = Math.Min(n, first + ChunkedRows.ChunkSize);
            if (typeof(T) == typeof(float))
            {
                // One sweep per row; a NaN or ±Inf anywhere leaves a non-finite column sum (Inf − Inf = NaN), and only
                // then are the chunk's rows checked one by one (also when a huge finite sum overflowed: then none is bad).
                for (int i = first; i < end; i++)
                {
                    if (i + 2 < end)
                    {
                        StreamRow(xs.GetRowSpan(i + 2));
                    }

                    approxNorm[i] = Math.Sqrt(KMeansKernels.AccumulateRow(MemoryMarshal.Cast<T, float>(xs.GetRowSpan(i)), sum, low, high));
                }

                if (!TensorPrimitives.IsFiniteAll((ReadOnlySpan<double>)sum))
                {
                    for (int i = first; i < end; i++)
                    {
                        KMeansKernels.LoadCentred(xs.GetRowSpan(i), zeros, row);
                        if (!TensorPrimitives.IsFiniteAll((ReadOnlySpan<double>)row))
                        {
                            firstBad[c] = i;
                            return;
                        }
                    }
                }

                return;
            }

            for (int i = first; i < end; i++)
            {
                KMeansKernels.LoadCentred(xs.GetRowSpan(i), zeros, row);
                if (!TensorPrimitives.IsFiniteAll((ReadOnlySpan<double>)row))
                {
                    firstBad[c] = i;
                    return;
                }

                TensorPrimitives.Add(sum, row, sum);
                TensorPrimitives.Min(low, row, low);
                TensorPrimitives.Max(high, row, high);
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

                ThrowHelper.ThrowNonFinite("x", ToDouble(row[j]), bad, j);
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

        // Column ranges of the centred rows (rounding is monotonic, so these are their exact minima and maxima) and the
        // 8-bit grid on them.
        _quantLow = new double[d];
        _quantStep = new double[d];
        _quantInverseStep = new double[d];
        for (int j = 0; j < d; j++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int c = 0; c < _chunks; c++)
            {
                lo = Math.Min(lo, lows[(c * d) + j]);
                hi = Math.Max(hi, highs[(c * d) + j]);
            }

            _quantLow[j] = lo - _mean[j];
            _quantStep[j] = ((hi - _mean[j]) - _quantLow[j]) / 255;
            _quantInverseStep[j] = _quantStep[j] > 0 ? 1 / _quantStep[j] : 0;
        }

        byte[] quant = _buffers.Rent<byte>(n * d, clear: false);
        _quantNorm = _buffers.Rent<double>(n);
        _quantResidual = _buffers.Rent<double>(n);
        double quantNormLow = Math.Sqrt(TensorPrimitives.Dot(_quantLow, _quantLow));

        // Second pass: centred squares per column (np.var, two-pass), squared norms of the centred rows, quantization,
        // and the dots with the expected first centre (the very values KMeansPlusPlus's first pass computes: Dot of the
        // centred row and the centred centre).
        double[]? firstRow = null;
        double[]? firstDots = null;
        if (firstCentre >= 0 && firstCentre < n)
        {
            firstRow = new double[d];
            LoadRow(firstCentre, firstRow);
            firstDots = _buffers.Rent<double>(n, clear: false);
            _firstCentres = [firstCentre];
        }

        _firstDots = firstDots;
        Array.Clear(partial, 0, _chunks * d);
        _rowNormSq = _buffers.Rent<double>(n);
        // Float rows with AVX-512 take the row's work in one sweep (PrepareRow, the same bits), which overlaps reading the
        // rows with the arithmetic; the norm stays TensorPrimitives.Dot (its order depends on the vector width and alignment).
        bool fused = typeof(T) == typeof(float) && Avx512F.VL.IsSupported;
        ChunkedRows.Run(_chunks, c =>
        {
            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> squares = partial.AsSpan(c * d, d);
            int stride = (d + 7) & ~7; // the second row's buffer starts a multiple of 64 bytes after the first
            Span<double> rows = Scratch(stride + d);
            Span<double> row = rows[..d];
            int i = c * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize);
            if (fused)
            {
                // Two rows per sweep (PrepareRowPair: the same bits as one after the other, with the per-column loads and the
                // squares' stores shared); the second row's centred values go to their own buffer.
                Span<double> rowB = rows.Slice(stride, d);
                for (; i + 1 < end; i += 2)
                {
                    if (i + 3 < end)
                    {
                        StreamRow(xs.GetRowSpan(i + 2));
                        StreamRow(xs.GetRowSpan(i + 3));
                    }

                    PrepareRowPair(
                        MemoryMarshal.Cast<T, float>(xs.GetRowSpan(i)), MemoryMarshal.Cast<T, float>(xs.GetRowSpan(i + 1)), _mean, row, rowB, squares, _quantLow, _quantStep, _quantInverseStep, quant.AsSpan(i * d, d), quant.AsSpan((i + 1) * d, d), firstRow, out RowFacts a, out RowFacts b);
                    _rowNormSq[i] = TensorPrimitives.Dot(row, row);
                    FinishQuantize(a.N2, a.R2, Math.Sqrt(_rowNormSq[i]), quantNormLow, out _quantNorm[i], out _quantResidual[i]);
                    _rowNormSq[i + 1] = TensorPrimitives.Dot(rowB, rowB);
                    FinishQuantize(b.N2, b.R2, Math.Sqrt(_rowNormSq[i + 1]), quantNormLow, out _quantNorm[i + 1], out _quantResidual[i + 1]);
                    if (firstDots is not null)
                    {
                        firstDots[i] = a.FirstDot;
                        firstDots[i + 1] = b.FirstDot;
                    }
                }
            }

            for (; i < end; i++)
            {
                if (i + 2 < end)
                {
                    StreamRow(xs.GetRowSpan(i + 2));
                }

                if (fused)
                {
                    PrepareRow(MemoryMarshal.Cast<T, float>(xs.GetRowSpan(i)), _mean, row, squares, _quantLow, _quantStep, _quantInverseStep, quant.AsSpan(i * d, d), firstRow, out double n2, out double r2, out double firstDot);
                    _rowNormSq[i] = TensorPrimitives.Dot(row, row);
                    FinishQuantize(n2, r2, Math.Sqrt(_rowNormSq[i]), quantNormLow, out _quantNorm[i], out _quantResidual[i]);
                    if (firstDots is not null)
                    {
                        firstDots[i] = firstDot;
                    }

                    continue;
                }

                KMeansKernels.LoadCentred(xs.GetRowSpan(i), _mean, row);
                TensorPrimitives.MultiplyAdd(row, row, squares, squares);
                _rowNormSq[i] = TensorPrimitives.Dot(row, row);
                Quantize(row, Math.Sqrt(_rowNormSq[i]), quant.AsSpan(i * d, d), quantNormLow, out _quantNorm[i], out _quantResidual[i]);
                if (firstDots is not null)
                {
                    firstDots[i] = KMeansKernels.Dot(row, firstRow);
                }
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
        _rowNorm = _buffers.Rent<double>(n);
        double residuals = 0, norms = 0;
        for (int i = 0; i < n; i++)
        {
            _rowNorm[i] = Math.Sqrt(_rowNormSq[i]);
            residuals += _quantResidual[i];
            norms += _rowNorm[i];
        }

        // The byte screen reads a quarter of the float row's bytes but decides only rows whose gap exceeds the
        // residual's effect; with residuals above 1% of the rows' norms it would mostly defer, so it is not used.
        _quant = residuals <= 0.01 * norms ? quant : null;
    }

    /// <summary>
    /// Takes every row's centred dot with each of <paramref name="rows"/>, the first centres of k-means++ runs about to
    /// run on this solver, in one pass (exactly the dots each run's first pass would compute: <see cref="KMeansKernels.Dots"/>
    /// gives each centre the bits <see cref="KMeansKernels.Dot"/> does), so those passes become loops over n doubles.
    /// Not thread-safe: call before the runs start.
    /// </summary>
    public void TakeFirstCentreDots(ReadOnlySpan<int> rows)
    {
        int[] distinct = [.. rows.ToArray().Where(r => r >= 0 && r < _n).Distinct()];
        if (distinct.Length == 0)
        {
            return;
        }

        int n = _n, d = _d, m = distinct.Length;
        double[] centres = new double[m * d];
        LoadRows(distinct, centres);
        double[] dots = _buffers.Rent<double>(n * m, clear: false);
        ChunkedRows.Run(_chunks, c =>
        {
            ReadOnlySpan2D<T> xs = _x.Span;
            Span<double> row = Scratch(d);
            for (int i = c * ChunkedRows.ChunkSize, end = Math.Min(n, i + ChunkedRows.ChunkSize); i < end; i++)
            {
                KMeansKernels.LoadCentred(xs.GetRowSpan(i), _mean, row);
                KMeansKernels.Dots(row, centres, dots.AsSpan(i * m, m));
            }
        });
        _firstDots = dots;
        _firstCentres = distinct;
    }

    /// <summary>Returns the pooled buffers; the solver must not be used afterwards.</summary>
    public void ReturnBuffers() => _buffers.ReturnAll();

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

    // q = round((row − low) / step) clamped to 0..255 (any q would be valid: the bounds use the residual it leaves);
    // ‖step∘q‖; and a bound on ‖row − (low + step∘q)‖: the computed residual's norm (×1.01 for its own rounding) plus
    // 2⁻⁵⁰(‖low‖ + ‖step∘q‖ + ‖row‖) for the rounding of low + step·q.
    private void Quantize(ReadOnlySpan<double> row, double rowNorm, Span<byte> q, double lowNorm, out double norm, out double residual)
    {
        QuantizeSums(row, _quantLow, _quantStep, _quantInverseStep, q, out double n2, out double r2);
        FinishQuantize(n2, r2, rowNorm, lowNorm, out norm, out residual);
    }

    // Quantize's norm and residual bound from its two sums of squares.
    private static void FinishQuantize(double n2, double r2, double rowNorm, double lowNorm, out double norm, out double residual)
    {
        norm = Math.Sqrt(n2);
        residual = (Math.Sqrt(r2) * 1.01) + (Math.ScaleB(1.0, -50) * (lowNorm + norm + (rowNorm * 1.01)));
    }

    /// <summary>
    /// Writes the 8-bit levels of <paramref name="row"/> and returns the sums of squares of <c>step∘q</c> (n2) and of the
    /// residual <c>row − (low + step∘q)</c> (r2). Both only enter error bounds, valid for any summation order, so the sums
    /// use independent accumulators (one chain of multiply-adds would bound the pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void QuantizeSums(ReadOnlySpan<double> row, ReadOnlySpan<double> low, ReadOnlySpan<double> step, ReadOnlySpan<double> inverse, Span<byte> q, out double n2, out double r2)
    {
        int d = row.Length, j = 0;
        n2 = 0;
        r2 = 0;
        ref double xr = ref MemoryMarshal.GetReference(row);
        ref double lowr = ref MemoryMarshal.GetReference(low);
        ref double stepr = ref MemoryMarshal.GetReference(step);
        ref double invr = ref MemoryMarshal.GetReference(inverse);
        ref byte qr = ref MemoryMarshal.GetReference(q);
        if (Avx512F.VL.IsSupported)
        {
            Vector512<double> n2a = Vector512<double>.Zero, r2a = Vector512<double>.Zero, n2b = Vector512<double>.Zero, r2b = Vector512<double>.Zero;
            Vector512<double> top = Vector512.Create(255.0);
            for (; j <= d - 16; j += 16)
            {
                QuantizeStep512(ref xr, ref lowr, ref stepr, ref invr, ref qr, j, top, ref n2a, ref r2a);
                QuantizeStep512(ref xr, ref lowr, ref stepr, ref invr, ref qr, j + 8, top, ref n2b, ref r2b);
            }

            for (; j <= d - 8; j += 8)
            {
                QuantizeStep512(ref xr, ref lowr, ref stepr, ref invr, ref qr, j, top, ref n2a, ref r2a);
            }

            n2 = Vector512.Sum(n2a + n2b);
            r2 = Vector512.Sum(r2a + r2b);
        }
        else if (Avx.IsSupported && Ssse3.IsSupported)
        {
            Vector256<double> n2a = Vector256<double>.Zero, r2a = Vector256<double>.Zero, n2b = Vector256<double>.Zero, r2b = Vector256<double>.Zero;
            Vector256<double> top = Vector256.Create(255.0);
            for (; j <= d - 8; j += 8)
            {
                QuantizeStep256(ref xr, ref lowr, ref stepr, ref invr, ref qr, j, top, ref n2a, ref r2a);
                QuantizeStep256(ref xr, ref lowr, ref stepr, ref invr, ref qr, j + 4, top, ref n2b, ref r2b);
            }

            for (; j <= d - 4; j += 4)
            {
                QuantizeStep256(ref xr, ref lowr, ref stepr, ref invr, ref qr, j, top, ref n2a, ref r2a);
            }

            n2 = Vector256.Sum(n2a + n2b);
            r2 = Vector256.Sum(r2a + r2b);
        }

        for (; j < d; j++)
        {
            QuantizeScalar(row[j], low[j], step[j], inverse[j], ref q[j], ref n2, ref r2);
        }
    }

    // One column of Quantize (the vector steps' operations).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeScalar(double x, double low, double step, double inverse, ref byte q, ref double n2, ref double r2)
    {
        double level = Math.Clamp(Math.Round((x - low) * inverse), 0, 255);
        q = (byte)level;
        double scaled = step * level;
        double e = x - (low + scaled);
        n2 += scaled * scaled;
        r2 += e * e;
    }

    // Eight columns of Quantize: the scalar tail's operations per lane (conversion rounds to nearest even, as Math.Round).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeStep512(ref double xr, ref double lowr, ref double stepr, ref double invr, ref byte qr, int j, Vector512<double> top, ref Vector512<double> n2, ref Vector512<double> r2)
    {
        Vector512<double> x = Vector512.LoadUnsafe(ref xr, (nuint)j);
        Vector512<double> low = Vector512.LoadUnsafe(ref lowr, (nuint)j);
        Vector512<double> t = Avx512F.Min(Avx512F.Max((x - low) * Vector512.LoadUnsafe(ref invr, (nuint)j), Vector512<double>.Zero), top);
        Vector256<int> levels = Avx512F.ConvertToVector256Int32(t);
        Vector512<double> scaled = Vector512.LoadUnsafe(ref stepr, (nuint)j) * Avx512F.ConvertToVector512Double(levels);
        Vector512<double> e = x - (low + scaled);
        n2 = Vector512.FusedMultiplyAdd(scaled, scaled, n2);
        r2 = Vector512.FusedMultiplyAdd(e, e, r2);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref qr, j), Avx512F.VL.ConvertToVector128Byte(levels).AsUInt64().ToScalar());
    }

    // Four columns of Quantize (see QuantizeStep512).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeStep256(ref double xr, ref double lowr, ref double stepr, ref double invr, ref byte qr, int j, Vector256<double> top, ref Vector256<double> n2, ref Vector256<double> r2)
    {
        Vector128<byte> pack = Vector128.Create((byte)0, 4, 8, 12, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128);
        Vector256<double> x = Vector256.LoadUnsafe(ref xr, (nuint)j);
        Vector256<double> low = Vector256.LoadUnsafe(ref lowr, (nuint)j);
        Vector256<double> t = Avx.Min(Avx.Max((x - low) * Vector256.LoadUnsafe(ref invr, (nuint)j), Vector256<double>.Zero), top);
        Vector128<int> levels = Avx.ConvertToVector128Int32(t); // round to nearest
        Vector256<double> scaled = Vector256.LoadUnsafe(ref stepr, (nuint)j) * Avx.ConvertToVector256Double(levels);
        Vector256<double> e = x - (low + scaled);
        n2 = Vector256.FusedMultiplyAdd(scaled, scaled, n2);
        r2 = Vector256.FusedMultiplyAdd(e, e, r2);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref qr, j), Ssse3.Shuffle(levels.AsByte(), pack).AsUInt32().ToScalar());
    }

    /// <summary>The float row that <see cref="FloatDots"/> reads for row <paramref name="i"/>: the input row (float input) or the rounded centred row.</summary>
    private ReadOnlySpan<float> ApproxRow(ReadOnlySpan2D<T> xs, int i) =>
        _approxCopy is null ? System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(xs.GetRowSpan(i)) : _approxCopy.AsSpan(i * _d, _d);

    /// <summary>
    /// Asks the CPU to fetch <paramref name="row"/> into the L2 cache, not L1 (a hint; no effect on results): the streaming
    /// sweeps over the rows (setup passes, iteration 0's sums, the exact inertia) call it two rows ahead, k-means++'s
    /// exact pass two listed rows ahead, and the bounded E-step for the rows it moves.
    /// </summary>
    /// <remarks>
    /// A fetch two rows ahead keeps enough of the sweep's memory reads in flight, but a prefetch into L1 (PrefetchT0) also
    /// evicts the sweep's own working set there (column statistics, per-cluster sums and centres: 30-45 KB, about a whole
    /// 32 KB L1d). Measured on Zen 4 (2 threads, 94 MB of rows, one row at a time): the inertia sweep takes 3.4 ms with
    /// PrefetchT1 two rows ahead, 4.8 ms without prefetches and 5.3-5.6 ms with PrefetchT0 one to three rows ahead, against
    /// 3.0 ms to only read the rows.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StreamRow(ReadOnlySpan<T> row)
    {
        if (Sse.IsSupported)
        {
            PrefetchBytes((byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(row)), row.Length * sizeof(T), toL2: true);
        }
    }

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
