using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Features.Pca;

/// <summary>scikit-learn's <c>svd_flip</c> (u-based) sign rule, evaluated from training scores.</summary>
internal static class PcaSigns
{
    // Rows whose approximate |score| is within this fraction of the largest are re-scored exactly in double; the
    // float approximation is accurate to ~1e-6 relative on pixel data, so 1 % leaves a wide margin.
    private const float CandidateMargin = 0.01f;

    /// <summary>
    /// Flips each component so the training row with the largest |score| (first on ties) has a positive score,
    /// exactly as <c>svd_flip(U, Vt)</c> does with U ∝ scores.
    /// </summary>
    public static void Fix(PcaSource source, double[] components, int k, int threads)
    {
        if (k == 0)
        {
            return;
        }

        int n = source.Rows;
        int d = source.Columns;
        using var rented = new ScratchArray<float>(n * k, clear: false);
        float[] scores = rented.Array;
        source.ApproximateScores(components, k, scores, threads);

        // Row-major passes over the n×k scores (one sweep each instead of k strided ones).
        float[] max = new float[k];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = scores.AsSpan(i * k, k);
            for (int r = 0; r < k; r++)
            {
                max[r] = Math.Max(max[r], Math.Abs(row[r]));
            }
        }

        float[] threshold = new float[k];
        for (int r = 0; r < k; r++)
        {
            threshold[r] = max[r] * (1 - CandidateMargin);
        }

        double[] best = new double[k];
        double[] bestScore = new double[k];
        best.AsSpan().Fill(-1);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = scores.AsSpan(i * k, k);
            for (int r = 0; r < k; r++)
            {
                if (Math.Abs(row[r]) >= threshold[r])
                {
                    // Rows ascending per component, strictly greater replaces: the first row wins ties, as in sklearn.
                    double t = source.ExactScore(i, components.AsSpan(r * d, d));
                    if (Math.Abs(t) > best[r])
                    {
                        best[r] = Math.Abs(t);
                        bestScore[r] = t;
                    }
                }
            }
        }

        for (int r = 0; r < k; r++)
        {
            if (bestScore[r] < 0)
            {
                Span<double> c = components.AsSpan(r * d, d);
                for (int j = 0; j < d; j++)
                {
                    c[j] = -c[j];
                }
            }
        }
    }
}
