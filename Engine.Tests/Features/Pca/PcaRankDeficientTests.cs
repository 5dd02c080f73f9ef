using CommunityToolkit.HighPerformance;
using FashionCore.Features.Pca;
using PcaEstimator = FashionCore.Features.Pca.Pca;

namespace FashionCore.Tests.Features.Pca;

[Category("Dataset")]
public class PcaRankDeficientTests
{
    // Regression: 600 raw images give a rank ≤ 599 covariance of 784 columns, many of them constant zero; the
    // tridiagonal QL used to spin on tiny off-diagonals between zero eigenvalues ("did not converge").
    [Test]
    public void Fit_FewerImagesThanPixels_ConvergesWithOrthonormalComponents()
    {
        FashionCore.Data.Dataset train = TestData.FashionMnist.Train.Slice(0, 600);
        PcaModel model = new PcaEstimator(new PcaOptions { Components = 7 }).Fit(new ReadOnlyMemory2D<float>(train.ToFloatPixels(), 600, 784));

        Assert.That(model.ExplainedVarianceRatio.ToArray(), Is.Ordered.Descending);
        ReadOnlySpan2D<double> c = model.Components;
        for (int a = 0; a < 7; a++)
        {
            for (int b = 0; b < 7; b++)
            {
                double dot = 0;
                for (int j = 0; j < 784; j++)
                {
                    dot += c[a, j] * c[b, j];
                }

                Assert.That(dot, Is.EqualTo(a == b ? 1.0 : 0.0).Within(1e-12), $"components {a}·{b}");
            }
        }
    }
}
