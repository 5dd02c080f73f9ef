using CommunityToolkit.HighPerformance;
using FashionCore.Features.Pca;
using FashionCore.Features.Scaling;

// The test namespace ends in 'Pca', which would otherwise hide the estimator type.
using PcaEstimator = FashionCore.Features.Pca.Pca;

namespace FashionCore.Tests.Features.Pca;

public sealed class PcaTests
{
    /// <summary>Correlated data: n×d with a few strong directions plus noise.</summary>
    private static double[] Correlated(int n, int d, int seed, bool integers = false)
    {
        var rng = new Random(seed);
        double[] basis = new double[4 * d];
        for (int i = 0; i < basis.Length; i++)
        {
            basis[i] = rng.NextDouble() - 0.5;
        }

        double[] x = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int f = 0; f < 4; f++)
            {
                double s = (rng.NextDouble() - 0.5) * (8 - (2 * f));
                for (int j = 0; j < d; j++)
                {
                    x[(i * d) + j] += s * basis[(f * d) + j];
                }
            }

            for (int j = 0; j < d; j++)
            {
                x[(i * d) + j] += (rng.NextDouble() * 0.1) + j;
                if (integers)
                {
                    x[(i * d) + j] = Math.Clamp(Math.Round(x[(i * d) + j] * 20), 0, 255);
                }
            }
        }

        return x;
    }

    private static float[] ToFloat(double[] x) => [.. x.Select(v => (float)v)];

    [Test]
    public void Options_OutOfRange_ThrowNamingOption()
    {
        Assert.That(() => new PcaEstimator(new PcaOptions { Components = 0 }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Components"));
        foreach (double f in new[] { 0.0, 1.0, -0.5, double.NaN })
        {
            Assert.That(
                () => new PcaEstimator(new PcaOptions { VarianceFraction = f }),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("VarianceFraction"));
        }

        Assert.That(
            () => new PcaEstimator(new PcaOptions { Components = 3, VarianceFraction = 0.5 }),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("VarianceFraction"));
        foreach (int degree in new[] { 0, -2, int.MinValue })
        {
            Assert.That(
                () => new PcaEstimator(new PcaOptions { MaxDegreeOfParallelism = degree }),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("MaxDegreeOfParallelism"));
        }
    }

    [Test]
    public void MaxDegreeOfParallelism_MinusOne_IsTheDefaultAndMeansAllCores()
    {
        // −1 is "all cores" here as in CrossValidationOptions and sklearn's n_jobs, so n_jobs=-1 applies to a PCA step.
        Assert.That(new PcaOptions().MaxDegreeOfParallelism, Is.EqualTo(-1));
        double[] x = Correlated(300, 12, seed: 4);
        var memory = new ReadOnlyMemory2D<float>(ToFloat(x), 300, 12);
        PcaModel all = new PcaEstimator(new PcaOptions { Components = 5 }).Fit(memory);
        var viaJobs = (PcaEstimator)FashionCore.Selection.EstimatorOptions.With(new PcaEstimator(new PcaOptions { Components = 5 }), "n_jobs", 1);
        PcaModel one = viaJobs.Fit(memory);

        Assert.That(viaJobs.Options.MaxDegreeOfParallelism, Is.EqualTo(1));
        Assert.That(all.Components.ToArray(), Is.EqualTo(one.Components.ToArray()));
        Assert.That(all.ExplainedVariance.ToArray(), Is.EqualTo(one.ExplainedVariance.ToArray()));
    }

    [Test]
    public void Fit_BadData_ThrowsNamingParameter()
    {
        var pca = new PcaEstimator(new PcaOptions { Components = 2 });
        Assert.That(() => pca.Fit(new ReadOnlyMemory2D<float>(new float[3], 1, 3)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x"));
        Assert.That(() => pca.Fit(new ReadOnlyMemory2D<double>(new double[3], 1, 3)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x"));
        float[] nan = [1, 2, 3, float.NaN, 5, 6];
        Assert.That(() => pca.Fit(new ReadOnlyMemory2D<float>(nan, 2, 3)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x").And.Message.Contains("row 1"));
        double[] inf = [1, double.PositiveInfinity, 3, 4, 5, 6];
        Assert.That(() => pca.Fit(new ReadOnlyMemory2D<double>(inf, 2, 3)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x"));
        Assert.That(
            () => new PcaEstimator(new PcaOptions { Components = 4 }).Fit(new ReadOnlyMemory2D<float>(new float[12], 3, 4)),
            Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("Components").And.Message.Contains("min(n_samples=3, n_features=4)=3"));
        StandardScalerModel scaler = new StandardScaler().Fit(new ReadOnlyMemory2D<float>(new float[10], 2, 5));
        Assert.That(
            () => pca.FitStandardized(new ReadOnlyMemory2D<float>(new float[12], 3, 4), scaler),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("x"));
    }

    [Test]
    public void Fit_FiniteValuesWhoseCovarianceOverflows_ThrowsNamingXAndSayingTooLarge()
    {
        // 1e300 is finite, but its square is not: the eigensolver used to report a non-finite value in a parameter 'a'.
        var rng = new Random(7);
        double[] x = [.. Enumerable.Range(0, 300).Select(_ => rng.NextDouble())];
        x[17] = 1e300;

        Assert.That(() => new PcaEstimator().Fit(new ReadOnlyMemory2D<double>(x, 50, 6)),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("x")
                .And.Message.Contains("too large").And.Message.Contains("covariance overflowed").And.Message.Not.Contains("non-finite"));
    }

    [Test]
    public void Fit_MoreColumnsThanACovarianceArrayHolds_ThrowsNamingXColumnCount()
    {
        // 50 000² covariance entries exceed an array; d·d used to overflow int (a bare OverflowException).
        var x = new ReadOnlyMemory2D<float>(new float[2 * 50000], 2, 50000);

        Assert.That(() => new PcaEstimator(new PcaOptions { Components = 1 }).Fit(x),
            Throws.TypeOf<ArgumentException>().With.Property("ParamName").EqualTo("x").And.Message.Contains("has 50000 columns"));
    }

    [Test]
    public void Transform_WrongShapes_ThrowsNamingParameter()
    {
        PcaModel model = new PcaEstimator(new PcaOptions { Components = 2 }).Fit(new ReadOnlyMemory2D<double>(Correlated(20, 5, 1), 20, 5));
        Assert.That(() => model.Transform(new ReadOnlySpan2D<float>(new float[12], 3, 4), new Span2D<float>(new float[6], 3, 2)), Throws.ArgumentException.With.Property("ParamName").EqualTo("x"));
        Assert.That(() => model.Transform(new ReadOnlySpan2D<float>(new float[15], 3, 5), new Span2D<float>(new float[6], 2, 3)), Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
        Assert.That(() => model.InverseTransform(new ReadOnlySpan2D<double>(new double[6], 3, 2), new Span2D<double>(new double[12], 3, 4)), Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
    }

    [Test]
    public void Fit_Components_OrthonormalSortedAndSignRuleHolds()
    {
        int n = 300;
        int d = 23;
        double[] x = Correlated(n, d, 2);
        PcaModel model = new PcaEstimator(new PcaOptions { Components = 6 }).Fit(new ReadOnlyMemory2D<double>(x, n, d));
        ReadOnlySpan2D<double> v = model.Components;
        for (int r = 0; r < 6; r++)
        {
            for (int q = 0; q < 6; q++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++)
                {
                    dot += v[r, j] * v[q, j];
                }

                Assert.That(dot, Is.EqualTo(r == q ? 1 : 0).Within(1e-14));
            }

            if (r > 0)
            {
                Assert.That(model.ExplainedVariance[r], Is.LessThanOrEqualTo(model.ExplainedVariance[r - 1]));
            }
        }

        // sklearn's svd_flip: the training row with the largest |score| has a positive score.
        double[] scores = new double[n * 6];
        model.Transform(new ReadOnlySpan2D<double>(x, n, d), new Span2D<double>(scores, n, 6));
        for (int r = 0; r < 6; r++)
        {
            int best = 0;
            for (int i = 1; i < n; i++)
            {
                if (Math.Abs(scores[(i * 6) + r]) > Math.Abs(scores[(best * 6) + r]))
                {
                    best = i;
                }
            }

            Assert.That(scores[(best * 6) + r], Is.Positive, $"component {r}");
        }

        // Variance of the projections (ddof = 1) is the explained variance.
        for (int r = 0; r < 6; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += scores[(i * 6) + r] * scores[(i * 6) + r];
            }

            Assert.That(sum / (n - 1), Is.EqualTo(model.ExplainedVariance[r]).Within(1e-12 * model.ExplainedVariance[0]));
            Assert.That(model.SingularValues[r], Is.EqualTo(Math.Sqrt(model.ExplainedVariance[r] * (n - 1))));
        }
    }

    [Test]
    public void Fit_FloatAndDoubleInput_SameModel()
    {
        int n = 200;
        int d = 17;
        float[] xf = ToFloat(Correlated(n, d, 3));
        double[] xd = [.. xf.Select(v => (double)v)];
        PcaModel a = new PcaEstimator(new PcaOptions { Components = 5 }).Fit(new ReadOnlyMemory2D<float>(xf, n, d));
        PcaModel b = new PcaEstimator(new PcaOptions { Components = 5 }).Fit(new ReadOnlyMemory2D<double>(xd, n, d));

        // Non-integer float data takes the double Gram path on the same (widened) values: identical arithmetic.
        Assert.That(a.Components.ToArray(), Is.EqualTo(b.Components.ToArray()));
        Assert.That(a.ExplainedVariance.ToArray(), Is.EqualTo(b.ExplainedVariance.ToArray()).AsCollection);
        Assert.That(a.Mean.ToArray(), Is.EqualTo(b.Mean.ToArray()).AsCollection);
    }

    [Test]
    public void Fit_SparseFloatData_BackgroundShiftMatchesDoublePath()
    {
        // Image-like non-integer data: each column holds one exact background value in ~60 % of the rows (what
        // standardized zero pixels look like), so the float path shifts by it to keep the rows sparse.
        int n = 640;
        int d = 40;
        float[] xf = ToFloat(Correlated(n, d, 7));
        var rng = new Random(8);
        for (int i = 0; i < xf.Length; i++)
        {
            if (rng.Next(5) < 3)
            {
                xf[i] = -0.25f - (i % d * 0.01f);
            }
        }

        double[] xd = [.. xf.Select(v => (double)v)];
        PcaModel shifted = new PcaEstimator(new PcaOptions { Components = 6 }).Fit(new ReadOnlyMemory2D<float>(xf, n, d));
        PcaModel reference = new PcaEstimator(new PcaOptions { Components = 6 }).Fit(new ReadOnlyMemory2D<double>(xd, n, d));

        // Same covariance by two roundings (Gram about the background then recentred, vs about the mean): ~1e-15
        // relative, amplified in the vectors by 1/gap; a wrong recentring would be O(1).
        for (int r = 0; r < 6; r++)
        {
            Assert.That(shifted.ExplainedVariance[r], Is.EqualTo(reference.ExplainedVariance[r]).Within(1e-12 * reference.ExplainedVariance[0]));
        }

        Assert.That(shifted.Components.ToArray(), Is.EqualTo(reference.Components.ToArray()).Within(1e-10));
        Assert.That(shifted.Components.ToArray(), Is.Not.EqualTo(reference.Components.ToArray()), "the background shift was not used");
    }

    [Test]
    public void Fit_RareFarBackground_FallsBackToMeanShift()
    {
        // Column 0 repeats 1e4 only on 4 of the 64 sampled rows (every 10th of 640), far outside its spread: recentring
        // about it would cancel ~8 bits, so the fit must redo the Gram about the mean, i.e. the double path exactly.
        int n = 640;
        int d = 12;
        float[] xf = ToFloat(Correlated(n, d, 9));
        for (int i = 0; i < 4; i++)
        {
            xf[i * 10 * d] = 1e4f;
        }

        double[] xd = [.. xf.Select(v => (double)v)];
        PcaModel a = new PcaEstimator(new PcaOptions { Components = 4 }).Fit(new ReadOnlyMemory2D<float>(xf, n, d));
        PcaModel b = new PcaEstimator(new PcaOptions { Components = 4 }).Fit(new ReadOnlyMemory2D<double>(xd, n, d));
        Assert.That(a.Components.ToArray(), Is.EqualTo(b.Components.ToArray()));
        Assert.That(a.ExplainedVariance.ToArray(), Is.EqualTo(b.ExplainedVariance.ToArray()).AsCollection);
    }

    [Test]
    public void Fit_IntegerPixels_ExactPathMatchesDoublePath()
    {
        int n = 700;
        int d = 30;
        double[] xd = Correlated(n, d, 4, integers: true);
        float[] xf = ToFloat(xd);
        PcaModel exact = new PcaEstimator(new PcaOptions { Components = 8 }).Fit(new ReadOnlyMemory2D<float>(xf, n, d));
        PcaModel reference = new PcaEstimator(new PcaOptions { Components = 8 }).Fit(new ReadOnlyMemory2D<double>(xd, n, d));

        // Two correct roundings of the same covariance (exact integer Gram vs double centred Gram): ~1e-15 relative,
        // amplified in the vectors by 1/gap; 1e-10 leaves room without hiding a real error (which would be O(1)).
        for (int r = 0; r < 8; r++)
        {
            Assert.That(exact.ExplainedVariance[r], Is.EqualTo(reference.ExplainedVariance[r]).Within(1e-12 * reference.ExplainedVariance[0]));
        }

        Assert.That(exact.Components.ToArray(), Is.EqualTo(reference.Components.ToArray()).Within(1e-10));
    }

    [Test]
    public void Fit_AnyDegreeOfParallelism_BitIdentical()
    {
        int n = 900;
        int d = 50;
        float[] x = ToFloat(Correlated(n, d, 5, integers: true));
        PcaModel one = new PcaEstimator(new PcaOptions { Components = 10, MaxDegreeOfParallelism = 1 }).Fit(new ReadOnlyMemory2D<float>(x, n, d));
        PcaModel two = new PcaEstimator(new PcaOptions { Components = 10, MaxDegreeOfParallelism = 2 }).Fit(new ReadOnlyMemory2D<float>(x, n, d));
        PcaModel three = new PcaEstimator(new PcaOptions { Components = 10, MaxDegreeOfParallelism = 3 }).Fit(new ReadOnlyMemory2D<float>(x, n, d));
        Assert.That(two.Components.ToArray(), Is.EqualTo(one.Components.ToArray()));
        Assert.That(three.Components.ToArray(), Is.EqualTo(one.Components.ToArray()));
        Assert.That(three.ExplainedVarianceRatio.ToArray(), Is.EqualTo(one.ExplainedVarianceRatio.ToArray()).AsCollection);
    }

    [Test]
    public void Fit_FixedCountAndVarianceFraction_SameModel()
    {
        // A fixed count takes the top-k (bisection) eigenvalue route, a variance fraction the full-spectrum (QL) one;
        // both are within a few ε·‖Cov‖ of the exact eigenpairs, so the models agree to rounding.
        int n = 700;
        int d = 40;
        double[] x = Correlated(n, d, 12);
        var rows = new ReadOnlyMemory2D<double>(x, n, d);
        PcaModel byFraction = new PcaEstimator(new PcaOptions { VarianceFraction = 0.99 }).Fit(rows);
        int k = byFraction.ComponentCount;
        Assert.That(k, Is.InRange(2, d - 1));
        PcaModel byCount = new PcaEstimator(new PcaOptions { Components = k }).Fit(rows);
        double[] ratio = byFraction.ExplainedVarianceRatio.ToArray();
        Assert.That(byCount.ExplainedVarianceRatio.ToArray(), Is.EqualTo(ratio).AsCollection.Within(1e-13));
        Assert.That(byCount.Components.ToArray(), Is.EqualTo(byFraction.Components.ToArray()).AsCollection.Within(1e-9));
    }

    [Test]
    public void InverseTransform_AllComponents_RoundTrips()
    {
        int n = 60;
        int d = 12;
        double[] x = Correlated(n, d, 6);
        foreach (bool whiten in new[] { false, true })
        {
            PcaModel model = new PcaEstimator(new PcaOptions { Whiten = whiten }).Fit(new ReadOnlyMemory2D<double>(x, n, d));
            Assert.That(model.ComponentCount, Is.EqualTo(d));
            double[] t = new double[n * d];
            double[] back = new double[n * d];
            model.Transform(new ReadOnlySpan2D<double>(x, n, d), new Span2D<double>(t, n, d));
            model.InverseTransform(new ReadOnlySpan2D<double>(t, n, d), new Span2D<double>(back, n, d));
            Assert.That(back, Is.EqualTo(x).AsCollection.Within(1e-11), $"whiten={whiten}");

            float[] tf = new float[n * d];
            float[] backf = new float[n * d];
            model.Transform(new ReadOnlySpan2D<float>(ToFloat(x), n, d), new Span2D<float>(tf, n, d));
            model.InverseTransform(new ReadOnlySpan2D<float>(tf, n, d), new Span2D<float>(backf, n, d));
            Assert.That(backf.Select(v => (double)v), Is.EqualTo(x).AsCollection.Within(1e-4), $"float whiten={whiten}");
        }
    }

    [Test]
    public void Transform_Whiten_UnitVarianceProjections()
    {
        int n = 400;
        int d = 9;
        double[] x = Correlated(n, d, 7);
        PcaModel model = new PcaEstimator(new PcaOptions { Components = 3, Whiten = true }).Fit(new ReadOnlyMemory2D<double>(x, n, d));
        double[] t = new double[n * 3];
        model.Transform(new ReadOnlySpan2D<double>(x, n, d), new Span2D<double>(t, n, 3));
        for (int r = 0; r < 3; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += t[(i * 3) + r] * t[(i * 3) + r];
            }

            Assert.That(sum / (n - 1), Is.EqualTo(1).Within(1e-12));
        }
    }

    [Test]
    public void Transform_Repeated_AllocatesNothing()
    {
        int n = 50;
        int d = 40;
        double[] x = Correlated(n, d, 8);
        float[] xf = ToFloat(x);
        PcaModel model = new PcaEstimator(new PcaOptions { Components = 7 }).Fit(new ReadOnlyMemory2D<double>(x, n, d));
        double[] t = new double[n * 7];
        float[] tf = new float[n * 7];
        double[] back = new double[n * d];
        float[] backf = new float[n * d];

        void Run()
        {
            model.Transform(new ReadOnlySpan2D<double>(x, n, d), new Span2D<double>(t, n, 7));
            model.Transform(new ReadOnlySpan2D<float>(xf, n, d), new Span2D<float>(tf, n, 7));
            model.InverseTransform(new ReadOnlySpan2D<double>(t, n, 7), new Span2D<double>(back, n, d));
            model.InverseTransform(new ReadOnlySpan2D<float>(tf, n, 7), new Span2D<float>(backf, n, d));
        }

        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(after - before, Is.Zero);
    }

    [Test]
    public void Fit_MoreFeaturesThanSamples_RankLimitedAndNonNegative()
    {
        int n = 6;
        int d = 20;
        double[] x = Correlated(n, d, 9);
        PcaModel model = new PcaEstimator().Fit(new ReadOnlyMemory2D<double>(x, n, d));
        Assert.That(model.ComponentCount, Is.EqualTo(6));

        // Centred rank is n − 1 = 5: the last variance is rounding noise, clipped at 0 like sklearn's S².
        Assert.That(model.ExplainedVariance.ToArray(), Is.All.GreaterThanOrEqualTo(0));
        Assert.That(model.ExplainedVariance[5], Is.LessThan(1e-12 * model.ExplainedVariance[0]));
        Assert.That(model.ExplainedVarianceRatio.ToArray().Sum(), Is.EqualTo(1).Within(1e-13));
    }

    [Test]
    public void FitStandardized_ScalerWithoutMeanOrStd_EqualsFitOnScalerOutput()
    {
        int n = 300;
        int d = 16;
        float[] x = ToFloat(Correlated(n, d, 10, integers: true));
        var memory = new ReadOnlyMemory2D<float>(x, n, d);
        foreach (StandardScalerOptions options in new[] { new StandardScalerOptions(), new StandardScalerOptions { WithMean = false }, new StandardScalerOptions { WithStd = false } })
        {
            StandardScalerModel scaler = new StandardScaler(options).Fit(memory);
            double[] z = new double[n * d];
            scaler.Transform(memory.Span, new Span2D<double>(z, n, d));
            PcaModel folded = new PcaEstimator(new PcaOptions { Components = 4 }).FitStandardized(memory, scaler);
            PcaModel direct = new PcaEstimator(new PcaOptions { Components = 4 }).Fit(new ReadOnlyMemory2D<double>(z, n, d));

            // Same covariance up to rounding (exact integer Gram then scaled vs double Gram of scaled rows).
            Assert.That(folded.Mean.ToArray(), Is.EqualTo(direct.Mean.ToArray()).AsCollection.Within(1e-9), options.ToString());
            Assert.That(folded.Components.ToArray(), Is.EqualTo(direct.Components.ToArray()).Within(1e-10), options.ToString());
            Assert.That(folded.ExplainedVarianceRatio.ToArray(), Is.EqualTo(direct.ExplainedVarianceRatio.ToArray()).AsCollection.Within(1e-13), options.ToString());
        }
    }
}
