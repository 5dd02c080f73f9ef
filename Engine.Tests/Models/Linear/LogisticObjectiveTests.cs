using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The blocked (Gemm) objective of newton-cg/lbfgs against a plain per-sample evaluation of the same formulas.</summary>
public class LogisticObjectiveTests
{
    // 1000 rows: 125 per chunk, so every chunk has a full 64-row block and a partial one.
    private const int Rows = 1000;

    // Only the summation order differs (Gemm's FMA chains and block-wise partial sums vs one running sum per sample):
    // a few ulp per term over ~1000·784 terms stays far below 1e-12 relative to the largest entry (observed ~1e-14).
    private const double RelativeTolerance = 1e-12;

    [TestCase(true, 10, true)]
    [TestCase(true, 10, false)]
    [TestCase(false, 1, true)]
    [Category("Dataset")]
    public void ValueGradientHessianVector_BlockedProducts_MatchPlainPerSampleSums(bool multinomial, int k, bool fitIntercept)
    {
        ReadOnlyMemory2D<double> x = LogisticRegressionData.Train(Rows);
        int[] labels = LogisticRegressionData.TrainLabels(Rows).ToArray();
        if (!multinomial)
        {
            labels = [.. labels.Select(l => l == 3 ? 1 : 0)];
        }

        float[] xf = LogisticRegressionData.ToFloat(x);
        LogisticObjective<float> f = new(new ReadOnlyMemory2D<float>(xf, Rows, 784), labels, k, multinomial, 0.5, fitIntercept);
        Random random = new(7);
        double[] w = [.. Enumerable.Range(0, f.Length).Select(_ => (random.NextDouble() - 0.5) * 0.02)];
        double[] s = [.. Enumerable.Range(0, f.Length).Select(_ => random.NextDouble() - 0.5)];

        double[] gradient = new double[f.Length];
        double value = f.ValueAndGradient(w, gradient);
        double[] hs = new double[f.Length];
        f.HessianVector(s, hs);

        (double expectedValue, double[] expectedGradient, double[] expectedHs) = Plain(xf, labels, k, multinomial, 0.5, fitIntercept, w, s);
        Assert.That(value, Is.EqualTo(expectedValue).Within(RelativeTolerance * Math.Abs(expectedValue)));
        AssertClose(gradient, expectedGradient, "gradient");
        AssertClose(hs, expectedHs, "H·s");
    }

    private static void AssertClose(double[] actual, double[] expected, string what)
    {
        double scale = expected.Max(Math.Abs);
        Assert.That(scale, Is.GreaterThan(0), what);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.That(actual[j], Is.EqualTo(expected[j]).Within(RelativeTolerance * scale), $"{what}[{j}]");
        }
    }

    // The formulas of sklearn's _logistic_loss_and_grad / _multinomial_loss_grad and their hessp, one sample at a time.
    private static (double Value, double[] Gradient, double[] Hs) Plain(float[] x, int[] y, int k, bool multinomial, double inverseC, bool fitIntercept, double[] w, double[] s)
    {
        const int Features = 784;
        int stride = Features + 1;
        double value = 0.0;
        double[] g = new double[k * stride];
        double[] hs = new double[k * stride];
        double[] z = new double[k];
        double[] t = new double[k];
        double[] p = new double[k];
        for (int i = 0; i < Rows; i++)
        {
            for (int c = 0; c < k; c++)
            {
                z[c] = fitIntercept ? w[(c * stride) + Features] : 0.0;
                t[c] = fitIntercept ? s[(c * stride) + Features] : 0.0;
                for (int j = 0; j < Features; j++)
                {
                    z[c] += w[(c * stride) + j] * x[(i * Features) + j];
                    t[c] += s[(c * stride) + j] * x[(i * Features) + j];
                }
            }

            double[] r = new double[k];
            double[] h = new double[k];
            if (multinomial)
            {
                double max = z.Max();
                double lse = Math.Log(z.Sum(v => Math.Exp(v - max))) + max;
                value += lse - z[y[i]];
                double mean = 0.0;
                for (int c = 0; c < k; c++)
                {
                    p[c] = Math.Exp(z[c] - lse);
                    r[c] = p[c] - (c == y[i] ? 1 : 0);
                    mean += p[c] * t[c];
                }

                for (int c = 0; c < k; c++)
                {
                    h[c] = p[c] * (t[c] - mean);
                }
            }
            else
            {
                value += Math.Log(1 + Math.Exp(z[0])) - (y[i] * z[0]);
                double sigma = 1 / (1 + Math.Exp(-z[0]));
                r[0] = sigma - y[i];
                h[0] = sigma * (1 - sigma) * t[0];
            }

            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < Features; j++)
                {
                    g[(c * stride) + j] += r[c] * x[(i * Features) + j];
                    hs[(c * stride) + j] += h[c] * x[(i * Features) + j];
                }

                g[(c * stride) + Features] += r[c];
                hs[(c * stride) + Features] += h[c];
            }
        }

        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < Features; j++)
            {
                value += 0.5 * inverseC * w[(c * stride) + j] * w[(c * stride) + j];
                g[(c * stride) + j] += inverseC * w[(c * stride) + j];
                hs[(c * stride) + j] += inverseC * s[(c * stride) + j];
            }

            if (!fitIntercept)
            {
                g[(c * stride) + Features] = 0.0;
                hs[(c * stride) + Features] = 0.0;
            }
        }

        return (value, g, hs);
    }
}
