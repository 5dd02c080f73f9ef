using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The batch path of <see cref="LogisticRegressionModel"/>'s prediction methods: register-tiled decisions over row
/// blocks, run in parallel over static row ranges above about 8 M multiply-adds (3 000 rows × 784 × 10 is 23.5 M).
/// </summary>
[Category("Dataset")]
[NonParallelizable]
public class BatchPredictionTests
{
    private const int Rows = 3000;

    private static readonly Lazy<LogisticRegressionModel> s_multinomial = new(() => Fit(LogisticRegressionMultiClass.Multinomial));

    [Test]
    public void PredictionMethods_LargeBatch_SameBitsForAnyThreadLimitAndAsEachRowAlone()
    {
        LogisticRegressionModel model = s_multinomial.Value;
        double[] x = LogisticRegressionData.Test(Rows).Span.ToArray().Cast<double>().ToArray();
        float[] xf = LogisticRegressionData.ToFloat(LogisticRegressionData.Test(Rows));

        Outputs free = Predict(model, x, xf, Rows);
        Outputs one = Limited(1, () => Predict(model, x, xf, Rows));
        Outputs two = Limited(2, () => Predict(model, x, xf, Rows));
        foreach (Outputs limited in new[] { one, two })
        {
            Assert.That(limited.Decision, Is.EqualTo(free.Decision));
            Assert.That(limited.DecisionFromFloat, Is.EqualTo(free.DecisionFromFloat));
            Assert.That(limited.Labels, Is.EqualTo(free.Labels));
            Assert.That(limited.ProbabilitiesFloat, Is.EqualTo(free.ProbabilitiesFloat));
            Assert.That(limited.ProbabilitiesDouble, Is.EqualTo(free.ProbabilitiesDouble));
        }

        // Rows at both ends of the two threads' ranges, and in the row edge of a 4-row tile, each computed alone.
        foreach (int i in new[] { 0, 1, 1499, 1500, 1501, 2998, 2999 })
        {
            Outputs alone = Predict(model, x.AsSpan(i * 784, 784).ToArray(), xf.AsSpan(i * 784, 784).ToArray(), 1);
            Assert.That(alone.Decision, Is.EqualTo(free.Decision.AsSpan(i * 10, 10).ToArray()), $"row {i}");
            Assert.That(alone.DecisionFromFloat, Is.EqualTo(free.DecisionFromFloat.AsSpan(i * 10, 10).ToArray()), $"row {i}");
            Assert.That(alone.ProbabilitiesDouble, Is.EqualTo(free.ProbabilitiesDouble.AsSpan(i * 10, 10).ToArray()), $"row {i}");
            Assert.That(alone.Labels[0], Is.EqualTo(free.Labels[i]), $"row {i}");
        }

        // pixels/255 rounded to float and back differ from the double pixels, so the float path is checked on its own.
        Assert.That(free.DecisionFromFloat, Is.Not.EqualTo(free.Decision));
    }

    [TestCase(LogisticRegressionMultiClass.Multinomial, 10)]
    [TestCase(LogisticRegressionMultiClass.Ovr, 10)]
    [TestCase(LogisticRegressionMultiClass.Multinomial, 2)]
    [TestCase(LogisticRegressionMultiClass.Ovr, 2)]
    public void PredictionMethods_LargeBatch_MatchPlainSumsSoftmaxAndSigmoids(LogisticRegressionMultiClass multiClass, int classes)
    {
        LogisticRegressionModel model = classes == 10 && multiClass == LogisticRegressionMultiClass.Multinomial ? s_multinomial.Value : Fit(multiClass, classes);
        int k = model.DecisionCount;

        // A binary model has one decision column: 12 000 rows keep it above the parallel threshold too.
        int rows = classes == 2 ? 12000 : Rows;
        ReadOnlyMemory2D<double> xm = classes == 2 ? LogisticRegressionData.Train(rows) : LogisticRegressionData.Test(rows);
        double[] x = xm.Span.ToArray().Cast<double>().ToArray();
        Outputs batch = Predict(model, x, LogisticRegressionData.ToFloat(xm), rows);

        double[] coef = model.Coefficients.ToArray().Cast<double>().ToArray();
        int nearTies = 0;
        for (int i = 0; i < rows; i++)
        {
            double[] z = new double[k];
            for (int c = 0; c < k; c++)
            {
                z[c] = model.Intercept[c];
                for (int j = 0; j < 784; j++)
                {
                    z[c] += x[(i * 784) + j] * coef[(c * 784) + j];
                }

                // Only the summation order (and FMA) differs: 784 terms of |x·w| ≲ 1, so ≲ 784·2⁻⁵³ ≈ 1e-13.
                Assert.That(batch.Decision[(i * k) + c], Is.EqualTo(z[c]).Within(1e-12), $"row {i}, column {c}");
            }

            double[] p = Reference(z, classes, multiClass == LogisticRegressionMultiClass.Multinomial);
            for (int c = 0; c < classes; c++)
            {
                // z moves ≲ 1e-13 and dp/dz ≤ 1; the vectorised exp is within a few ulp of Math.Exp.
                Assert.That(batch.ProbabilitiesDouble[(i * classes) + c], Is.EqualTo(p[c]).Within(1e-12), $"row {i}, class {c}");
                Assert.That(batch.ProbabilitiesFloat[(i * classes) + c], Is.EqualTo((float)p[c]).Within(1e-7f), $"row {i}, class {c}");
            }

            int best = k == 1 ? (z[0] > 0 ? 1 : 0) : Array.IndexOf(z, z.Max());
            if (model.Classes[best] != batch.Labels[i])
            {
                // Only a near tie (decisions within the rounding above) may resolve the other way.
                double[] sorted = [.. z.OrderDescending()];
                Assert.That(k == 1 ? Math.Abs(z[0]) : sorted[0] - sorted[1], Is.LessThan(1e-11), $"row {i}");
                nearTies++;
            }
        }

        Assert.That(nearTies, Is.LessThanOrEqualTo(1));
    }

    // A fitted model is shared by callers on several threads (the web page's requests, a host's workers): each call
    // must use only its arguments and the model's read-only state. Four threads at once, each on its own rows, each
    // round predicting one row and 100 rows (the one-thread path) and every 50th round 3 000 rows (the parallel path):
    // every round the same bits as each batch predicted alone.
    [Test]
    public void PredictionMethods_OneModelOnFourThreadsAtOnce_SameBitsAsAlone()
    {
        LogisticRegressionModel model = s_multinomial.Value;
        const int Callers = 4, Rounds = 200;
        int[] sizes = [1, 100, Rows];
        var batches = new (double[] X, float[] Xf, Outputs Alone)[Callers, sizes.Length];
        for (int t = 0; t < Callers; t++)
        {
            // Different rows per caller: train rows 0–2999, 3000–5999, …; the small batches are their first rows.
            ReadOnlyMemory2D<double> rows = LogisticRegressionData.Train((t + 1) * Rows).Slice(t * Rows, 0, Rows, 784);
            for (int b = 0; b < sizes.Length; b++)
            {
                ReadOnlyMemory2D<double> batch = rows.Slice(0, 0, sizes[b], 784);
                double[] x = batch.Span.ToArray().Cast<double>().ToArray();
                float[] xf = LogisticRegressionData.ToFloat(batch);
                batches[t, b] = (x, xf, Predict(model, x, xf, sizes[b]));
            }
        }

        int[] mismatches = new int[Callers];
        Exception?[] errors = new Exception?[Callers];
        using Barrier start = new(Callers);
        Thread[] threads = [.. Enumerable.Range(0, Callers).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (int round = 0; round < Rounds; round++)
                {
                    for (int b = 0; b < sizes.Length; b++)
                    {
                        if (sizes[b] < Rows || round % 50 == 0)
                        {
                            (double[] x, float[] xf, Outputs alone) = batches[t, b];
                            mismatches[t] += Same(Predict(model, x, xf, sizes[b]), alone) ? 0 : 1;
                        }
                    }
                }
            }
            catch (Exception e)
            {
                errors[t] = e;
            }
        }))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.That(thread.Join(TimeSpan.FromSeconds(120)), Is.True, "a caller finished");
        }

        Assert.That(errors, Is.All.Null);
        Assert.That(mismatches, Is.All.Zero, "batches that differed from the same batch predicted alone, per caller");
        Assert.That(batches[1, 2].Alone.Labels, Is.Not.EqualTo(batches[0, 2].Alone.Labels), "the callers' rows differ");
    }

    [Test]
    public void PredictionMethods_LargeBatchOnOneThread_AllocateNothing()
    {
        LogisticRegressionModel model = s_multinomial.Value;
        double[] x = LogisticRegressionData.Test(Rows).Span.ToArray().Cast<double>().ToArray();
        float[] xf = LogisticRegressionData.ToFloat(LogisticRegressionData.Test(Rows));
        Outputs outputs = Predict(model, x, xf, Rows);

        long bytes = Limited(1, () =>
        {
            Predict(model, x, xf, Rows, outputs);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Predict(model, x, xf, Rows, outputs);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        Assert.That(bytes, Is.Zero);
    }

    [Test]
    public void PredictionMethods_LargeBatchInParallel_AllocationDoesNotGrowWithRows()
    {
        LogisticRegressionModel model = s_multinomial.Value;
        float[] x = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(4 * Rows));
        float[] p = new float[4 * Rows * 10];
        long Bytes(int rows)
        {
            var span = new ReadOnlySpan2D<float>(x, rows, 784);
            model.PredictProbabilities(span, new Span2D<float>(p, rows, 10));
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.PredictProbabilities(span, new Span2D<float>(p, rows, 10));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // Only the parallel loop's task objects (a few hundred bytes); a buffer per block or per row would be ≥ 4 KB.
        Assert.That(Bytes(Rows), Is.LessThan(4096));
        Assert.That(Bytes(4 * Rows), Is.LessThan(4096));
    }

    private static LogisticRegressionModel Fit(LogisticRegressionMultiClass multiClass, int classes = 10)
    {
        LogisticRegressionOptions options = new() { MaxIterations = 2, RandomState = 0, MultiClass = multiClass };
        if (classes == 10)
        {
            return new LogisticRegression(options).Fit(LogisticRegressionData.Train(500), LogisticRegressionData.TrainLabels(500));
        }

        // Shirt (6) against T-shirt (0): the closest pair, so the decisions are not all far from 0.
        (double[] xs, int[] ys) = LogisticRegressionData.Select(LogisticRegressionData.Train(2000), LogisticRegressionData.TrainLabels(2000), c => c is 0 or 6);
        return new LogisticRegression(options).Fit(new ReadOnlyMemory2D<double>(xs, ys.Length, 784), ys);
    }

    private static double[] Reference(double[] z, int classes, bool multinomial)
    {
        double[] p = new double[classes];
        if (z.Length == 1)
        {
            if (multinomial)
            {
                double max = Math.Max(-z[0], z[0]);
                double e0 = Math.Exp(-z[0] - max), e1 = Math.Exp(z[0] - max);
                return [e0 / (e0 + e1), e1 / (e0 + e1)];
            }

            p[1] = 1.0 / (1.0 + Math.Exp(-z[0]));
            p[0] = 1.0 - p[1];
            return p;
        }

        double shift = multinomial ? z.Max() : 0.0;
        for (int c = 0; c < classes; c++)
        {
            p[c] = multinomial ? Math.Exp(z[c] - shift) : 1.0 / (1.0 + Math.Exp(-z[c]));
        }

        double sum = p.Sum();
        return [.. p.Select(v => v / sum)];
    }

    private static bool Same(Outputs a, Outputs b) =>
        a.Decision.AsSpan().SequenceEqual(b.Decision)
        && a.DecisionFromFloat.AsSpan().SequenceEqual(b.DecisionFromFloat)
        && a.Labels.AsSpan().SequenceEqual(b.Labels)
        && a.ProbabilitiesFloat.AsSpan().SequenceEqual(b.ProbabilitiesFloat)
        && a.ProbabilitiesDouble.AsSpan().SequenceEqual(b.ProbabilitiesDouble);

    private static Outputs Predict(LogisticRegressionModel model, double[] x, float[] xf, int rows, Outputs? into = null)
    {
        int k = model.DecisionCount, classes = model.Classes.Length;
        Outputs o = into ?? new Outputs(new double[rows * k], new double[rows * k], new int[rows], new float[rows * classes], new double[rows * classes]);
        var xd = new ReadOnlySpan2D<double>(x, rows, 784);
        var xs = new ReadOnlySpan2D<float>(xf, rows, 784);
        model.DecisionFunction(xd, new Span2D<double>(o.Decision, rows, k));
        model.DecisionFunction(xs, new Span2D<double>(o.DecisionFromFloat, rows, k));
        model.Predict(xs, o.Labels);
        model.PredictProbabilities(xs, new Span2D<float>(o.ProbabilitiesFloat, rows, classes));
        model.PredictProbabilities(xd, new Span2D<double>(o.ProbabilitiesDouble, rows, classes));
        return o;
    }

    // Runs work on a scheduler of at most `threads` threads, as `fashion --threads N` does.
    private static T Limited<T>(int threads, Func<T> work)
    {
        var pair = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, threads);
        return Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, pair.ConcurrentScheduler).Result;
    }

    private sealed record Outputs(double[] Decision, double[] DecisionFromFloat, int[] Labels, float[] ProbabilitiesFloat, double[] ProbabilitiesDouble);
}
