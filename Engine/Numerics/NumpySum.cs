namespace FashionCore.Numerics;

/// <summary>
/// numpy's <c>np.add.reduce</c> over a contiguous float64 axis (pairwise summation with 8 accumulators and blocks of
/// 128), so means and averages of small result vectors equal numpy's bit for bit.
/// </summary>
/// <remarks>Used where scikit-learn reports a reduced number (macro/weighted averages, cv_results means/stds).</remarks>
internal static class NumpySum
{
    private const int BlockSize = 128;

    /// <summary>Sum in numpy's pairwise order.</summary>
    public static double Sum(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++)
            {
                res += x[i];
            }

            return res;
        }

        if (n <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            x[..8].CopyTo(r);
            int i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                for (int j = 0; j < 8; j++)
                {
                    r[j] += x[i + j];
                }
            }

            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
            {
                res += x[i];
            }

            return res;
        }

        int n2 = n / 2;
        n2 -= n2 % 8;
        return Sum(x[..n2]) + Sum(x[n2..]);
    }

    /// <summary><c>np.mean</c>: pairwise sum divided by the count (NaN for an empty span).</summary>
    public static double Mean(ReadOnlySpan<double> x) => Sum(x) / x.Length;

    /// <summary>Population standard deviation as scikit-learn's <c>_store</c> computes it: <c>sqrt(mean((x − mean)²))</c>.</summary>
    public static double PopulationStd(ReadOnlySpan<double> x, double mean)
    {
        Span<double> squares = x.Length <= 64 ? stackalloc double[x.Length] : new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - mean;
            squares[i] = d * d;
        }

        return Math.Sqrt(Mean(squares));
    }
}
