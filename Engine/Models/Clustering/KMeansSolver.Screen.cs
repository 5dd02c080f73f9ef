using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CommunityToolkit.HighPerformance;

namespace FashionCore.Models.Clustering;

/// <content>The screens: cheap estimates of centred-row · centre dots, each with a rigorous error bound.</content>
internal sealed partial class KMeansSolver<T>
{
    /// <summary>Whether the 8-bit screen is available (the rows sit close enough to a per-column 8-bit grid).</summary>
    private bool HasByteScreen => _quant is not null;

    /// <summary>
    /// Asks the CPU to fetch the row data the first screen of row <paramref name="i"/> reads, into L1 or only into L2
    /// (<paramref name="toL2"/>; a hint, no effect on results).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void PrefetchScreenRow(ReadOnlySpan2D<T> xs, int i, bool toL2 = false)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        byte* start;
        int bytes;
        if (_quant is not null)
        {
            start = (byte*)Unsafe.AsPointer(ref _quant[i * _d]);
            bytes = _d;
        }
        else
        {
            start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(ApproxRow(xs, i)));
            bytes = _d * sizeof(float);
        }

        PrefetchBytes(start, bytes, toL2);
    }

    /// <summary>Asks the CPU to fetch every line of <paramref name="bytes"/> bytes from <paramref name="start"/> into L1 or, with <paramref name="toL2"/>, into L2 only (a hint; no effect on results).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchBytes(byte* start, int bytes, bool toL2)
    {
        if (toL2)
        {
            for (int o = 0; o < bytes; o += 64)
            {
                Sse.Prefetch1(start + o);
            }

            Sse.Prefetch1(start + bytes - 1);
            return;
        }

        for (int o = 0; o < bytes; o += 64)
        {
            Sse.Prefetch0(start + o);
        }

        Sse.Prefetch0(start + bytes - 1);
    }

    /// <summary>
    /// Estimates of <c>x_i · c_j</c> (x_i the double centred row) for up to <c>capacity</c> centres, from the 8-bit rows
    /// (a quarter of the bytes of float rows) or the float rows, with bounds on their distance from the exact dot.
    /// </summary>
    /// <remarks>
    /// Float level: <c>a·float(c_j) − m·c_j</c> where a is the float row (input row, m = mean; or centred row rounded to
    /// float, m = 0), within <c>K‖a‖‖c_j‖ + corrErr_j</c> (K = <see cref="FloatDots.ErrorFactor"/>). Byte level: x_i ≈
    /// low + step∘q_i, so <c>q_i·float(step∘c_j) + low·c_j</c>, within <c>(K‖step∘q_i‖ + r_i)‖c_j‖ + corrErr_j</c> with r_i
    /// bounding ‖x_i − (low + step∘q_i)‖. corrErr_j = (d + 16)·2⁻⁵²·‖m or low‖·‖c_j‖·1.01 bounds the double dot of the
    /// correction; 1e-30 covers float underflow.
    /// </remarks>
    private sealed class DotScreen
    {
        private readonly KMeansSolver<T> _p;
        private readonly int _d;
        private readonly float[] _float;
        private readonly float[] _scaled;
        private readonly double[] _floatCorr;
        private readonly double[] _floatCorrError;
        private readonly double[] _byteCorr;
        private readonly double[] _byteCorrError;
        private readonly double[] _norm;
        private readonly double _factor;
        private readonly double _errorScale;
        private readonly double _meanNorm;
        private readonly double _lowNorm;
        private readonly short[]? _words; // step∘c_j rounded to s_j·C_j (WordDots), centre j at j·d
        private readonly double[] _wordScale; // s_j
        private readonly double[] _wordError; // 255 · bound on Σ|step∘c_j − s_j·C_j|
        private readonly double[] _product; // SetCentre's step∘c (SetCentre runs on one thread)

        /// <summary>Screens for up to <paramref name="capacity"/> centres; <paramref name="words"/>: the byte screen may take <see cref="WordDots"/>.</summary>
        public DotScreen(KMeansSolver<T> p, int capacity, bool words = false)
        {
            _p = p;
            int d = _d = p._d;
            _float = new float[capacity * d];
            _scaled = new float[capacity * d];
            _floatCorr = new double[capacity];
            _floatCorrError = new double[capacity];
            _byteCorr = new double[capacity];
            _byteCorrError = new double[capacity];
            _norm = new double[capacity];
            _factor = FloatDots.ErrorFactor(d);
            _errorScale = (d + 16) * Math.ScaleB(1.0, -52);
            _meanNorm = Math.Sqrt(KMeansKernels.Dot(p._approxMean, p._approxMean));
            _lowNorm = Math.Sqrt(KMeansKernels.Dot(p._quantLow, p._quantLow));
            _words = words && p._quant is not null && WordDots.IsSupported && d <= WordDots.MaxColumns && capacity <= MaxWordCentres ? new short[capacity * d] : null;
            _wordScale = new double[capacity];
            _wordError = new double[capacity];
            _product = new double[d];
        }

        /// <summary>The most centres whose byte screen takes <see cref="WordDots"/> (their sums on the stack).</summary>
        public const int MaxWordCentres = 128;

        /// <summary>The float centres <c>step∘c_j</c> the byte screen multiplies (centre j at j·d).</summary>
        public ReadOnlySpan<float> Scaled => _scaled;

        /// <summary>The 16-bit centres of the byte screen (centre j at j·d), or empty when it multiplies floats.</summary>
        public ReadOnlySpan<short> Words => _words;

        /// <summary>
        /// Centres 0..2's terms of the byte screen's <see cref="WordDots"/> form in lanes 0..2 (lane 3 zero): the scale
        /// s_j and the bound 255·Σ|step∘c_j − s_j·C_j|.
        /// </summary>
        public void WordTerms(out Vector256<double> scale, out Vector256<double> error)
        {
            scale = Vector256.Create(_wordScale[0], _wordScale[1], _wordScale[2], 0);
            error = Vector256.Create(_wordError[0], _wordError[1], _wordError[2], 0);
        }

        /// <summary>K of <see cref="FloatDots.ErrorFactor"/> for these rows.</summary>
        public double Factor => _factor;

        /// <summary>
        /// Centres 0..2's terms of the byte screen (<see cref="Estimate(bool, ReadOnlySpan2D{T}, int, Span{float}, Span{double}, Span{double})"/>)
        /// in lanes 0..2 (lane 3 zero): the correction low·c_j, its error bound and ‖c_j‖.
        /// </summary>
        public void ByteTerms(out Vector256<double> correction, out Vector256<double> correctionError, out Vector256<double> norm)
        {
            correction = Vector256.Create(_byteCorr[0], _byteCorr[1], _byteCorr[2], 0);
            correctionError = Vector256.Create(_byteCorrError[0], _byteCorrError[1], _byteCorrError[2], 0);
            norm = Vector256.Create(_norm[0], _norm[1], _norm[2], 0);
        }

        /// <summary>Sets centre <paramref name="j"/> (centred, double) with its norm.</summary>
        public void SetCentre(int j, ReadOnlySpan<double> centre, double norm)
        {
            int d = _d;
            Span<float> f = _float.AsSpan(j * d, d);
            Span<float> scaled = _scaled.AsSpan(j * d, d);
            // Element-wise products and roundings to float (the same bits as one element at a time), vectorised: as
            // scalar loops they were a fifth of each M-step's serial tail.
            TensorPrimitives.ConvertTruncating<double, float>(centre, f);
            TensorPrimitives.Multiply(_p._quantStep, centre, _product);
            TensorPrimitives.ConvertTruncating<double, float>(_product, scaled);
            _norm[j] = norm;
            if (_words is not null)
            {
                _wordScale[j] = WordDots.Quantize(_product, _words.AsSpan(j * d, d), out double bound);
                _wordError[j] = 255 * bound;
            }
            _floatCorr[j] = KMeansKernels.Dot(_p._approxMean, centre);
            _floatCorrError[j] = _errorScale * _meanNorm * norm * 1.01;
            _byteCorr[j] = KMeansKernels.Dot(_p._quantLow, centre);
            _byteCorrError[j] = _errorScale * _lowNorm * norm * 1.01;
        }

        /// <summary>
        /// <c>estimates[j] ≈ x_i · c_j</c> with <c>|estimates[j] − x_i · c_j| ≤ errors[j]</c> for j &lt; <c>estimates.Length</c>,
        /// from the 8-bit rows (<paramref name="bytes"/>, only when <see cref="HasByteScreen"/>) or the float rows.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Estimate(bool bytes, ReadOnlySpan2D<T> xs, int i, Span<float> dotsF, Span<double> estimates, Span<double> errors) =>
            Estimate(bytes, xs, i, default, dotsF, estimates, errors);

        /// <summary>
        /// As the other overload for the centres <paramref name="which"/> (<c>estimates[m]</c> for centre <c>which[m]</c>),
        /// or centres <c>0..estimates.Length − 1</c> when <paramref name="which"/> is empty.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Estimate(bool bytes, ReadOnlySpan2D<T> xs, int i, ReadOnlySpan<int> which, Span<float> dotsF, Span<double> estimates, Span<double> errors)
        {
            KMeansSolver<T> p = _p;
            int d = _d, count = estimates.Length;
            if (bytes)
            {
                ReadOnlySpan<byte> q = p._quant.AsSpan(i * d, d);
                if (_words is not null)
                {
                    // x_i·c_j = low·c_j + (step∘q_i)·c_j + (x_i − low − step∘q_i)·c_j: the first is the correction; the
                    // second is q_i·u_j with u_j = fl(step∘c_j) within 2⁻⁵³‖step∘q_i‖‖c_j‖ (2⁻⁵⁰ below, generously),
                    // and q_i·u_j = s_j·(q_i·C_j) + q_i·(u_j − s_j·C_j) with the last within the word bound; the
                    // product s_j·(q_i·C_j) is rounded once; the third is within r_i‖c_j‖.
                    Span<long> sums = stackalloc long[count];
                    WordDots.Dots(q, _words, d, which, sums);
                    double rowTerm = p._quantResidual[i] + (Math.ScaleB(1.0, -50) * p._quantNorm[i]);
                    for (int m = 0; m < count; m++)
                    {
                        int j = which.IsEmpty ? m : which[m];
                        double product = _wordScale[j] * sums[m];
                        estimates[m] = product + _byteCorr[j];
                        errors[m] = (rowTerm * _norm[j]) + _wordError[j] + (Math.Abs(product) * Math.ScaleB(1.0, -51)) + 1e-30 + _byteCorrError[j];
                    }

                    return;
                }

                if (which.IsEmpty)
                {
                    FloatDots.Dots(q, _scaled.AsSpan(0, count * d), dotsF[..count]);
                }
                else
                {
                    FloatDots.Dots(q, _scaled, which, dotsF[..count]);
                }

                double scale = (_factor * p._quantNorm[i]) + p._quantResidual[i];
                for (int m = 0; m < count; m++)
                {
                    int j = which.IsEmpty ? m : which[m];
                    estimates[m] = dotsF[m] + _byteCorr[j];
                    errors[m] = (scale * _norm[j]) + 1e-30 + _byteCorrError[j];
                }
            }
            else
            {
                ReadOnlySpan<float> a = p.ApproxRow(xs, i);
                if (which.IsEmpty)
                {
                    FloatDots.Dots(a, _float.AsSpan(0, count * d), dotsF[..count]);
                }
                else
                {
                    FloatDots.Dots(a, _float, which, dotsF[..count]);
                }

                double scale = _factor * p._approxNorm[i];
                for (int m = 0; m < count; m++)
                {
                    int j = which.IsEmpty ? m : which[m];
                    estimates[m] = dotsF[m] - _floatCorr[j];
                    errors[m] = (scale * _norm[j]) + 1e-30 + _floatCorrError[j];
                }
            }
        }
    }
}
