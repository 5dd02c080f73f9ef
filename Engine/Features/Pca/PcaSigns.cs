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
        float[] scores = source.ApproximateScores(components, k, threads);
        for (int r = 0; r < k; r++)
        {
            float max = 0;
            for (int i = 0; i < n; i++)
            {
                max = Math.Max(max, Math.Abs(scores[(i * k) + r]));
            }

            float threshold = max * (1 - CandidateMargin);
            double best = -1;
            double bestScore = 0;
            ReadOnlySpan<double> component = components.AsSpan(r * d, d);
            for (int i = 0; i < n; i++)
            {
                if (Math.Abs(scores[(i * k) + r]) >= threshold)
                {
                    double t = source.ExactScore(i, component);
                    if (Math.Abs(t) > best)
                    {
                        best = Math.Abs(t);
                        bestScore = t;
                    }
                }
            }

            if (bestScore < 0)
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
