using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CommunityToolkit.HighPerformance;
using FashionCore.Models.Linear;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// <see cref="RowWidening"/>: float rows widened once per quad must leave every SAGA result bit for bit as the float
/// kernels computed it (float → double is exact, so exact equality is the contract, not a tolerance).
/// </summary>
public class RowWideningTests
{
    private const int Features = 300;

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(15)]
    [TestCase(16)]
    [TestCase(17)]
    [TestCase(784)]
    public void WidenRow_FloatRow_EveryElementExact(int d)
    {
        Random random = new(d);
        float[] row = Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        double[] wide = new double[d + 3];
        Array.Fill(wide, double.NaN);

        RowWidening.WidenRow<float>(row, wide);

        for (int j = 0; j < d; j++)
        {
            Assert.That(wide[j], Is.EqualTo((double)row[j]), $"element {j}");
        }

        Assert.That(wide.Skip(d).All(double.IsNaN), "nothing written past the row");
    }

    // Byte rows times a scale: each element (double)k·scale, what LogisticRegression's widened byte rows hold (16 at a
    // time, then a scalar tail).
    [TestCase(0)]
    [TestCase(15)]
    [TestCase(16)]
    [TestCase(37)]
    [TestCase(784)]
    public void WidenRow_ByteRowTimesScale_EveryElementOneProduct(int d)
    {
        Random random = new(d + 1);
        byte[] row = [.. Enumerable.Range(0, d).Select(_ => (byte)random.Next(0, 256))];
        double[] wide = new double[d + 3];
        Array.Fill(wide, double.NaN);

        RowWidening.WidenRow<byte>(row, wide, 1.0 / 255);

        for (int j = 0; j < d; j++)
        {
            Assert.That(wide[j], Is.EqualTo(row[j] * (1.0 / 255)), $"element {j}");
        }

        Assert.That(wide.Skip(d).All(double.IsNaN), "nothing written past the row");
    }

    [Test]
    public void WidenRow_DoubleRow_Copied()
    {
        double[] row = [1.5, -0.0, 3.25e-300, 7.0];
        double[] wide = new double[4];

        RowWidening.WidenRow<double>(row, wide);

        Assert.That(wide.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(row.Select(BitConverter.DoubleToInt64Bits)));
    }

    [Test]
    public void WidenRow_ShortDestination_Throws()
    {
        float[] row = new float[5];
        double[] wide = new double[4];

        Assert.That(() => RowWidening.WidenRow<float>(row, wide), Throws.ArgumentException.With.Property("ParamName").EqualTo("destination"));
    }

    // Zero-length, odd and even feature lists; the quad's rows include a repeated first row (an epoch's short quad).
    [TestCase(0, false)]
    [TestCase(1, false)]
    [TestCase(7, true)]
    [TestCase(200, false)]
    [TestCase(201, true)]
    public void QuadKernels_WidenedRows_BitForBitAsFloatRows(int nonZeros, bool shortQuad)
    {
        Random random = new(nonZeros);
        float[][] rows = Enumerable.Range(0, 8).Select(_ => SparseRow(random)).ToArray();
        RowQuad<float> x = new(rows[0], rows[1], shortQuad ? rows[0] : rows[2], shortQuad ? rows[0] : rows[3]);
        RowQuad<float> y = new(rows[4], rows[5], rows[6], rows[7]);
        int[] nz = Enumerable.Range(0, Features).OrderBy(_ => random.Next()).Take(nonZeros).Order().ToArray();
        double[] start = Enumerable.Range(0, Features * SagLaneKernels.Block).Select(_ => random.NextDouble() - 0.5).ToArray();
        SagLaneQuadKernels.Steps steps = RandomSteps(random);
        double[] wideX = new double[4 * Features];
        double[] wideY = new double[4 * Features];
        RowQuad<double> dx = RowWidening.Widen(x, wideX);
        RowQuad<double> dy = RowWidening.Widen(y, wideY);

        double[] wf = (double[])start.Clone();
        double[] wd = (double[])start.Clone();
        SagLaneQuadKernels.Accumulators af = default, ad = default;
        SagLaneQuadKernels.Dot(nz, y, ref wf[0], ref af);
        SagLaneQuadKernels.Dot(nz, dy, ref wd[0], ref ad);
        SagLaneQuadKernels.UpdateDot(nz, x, y, ref wf[0], steps, ref af);
        SagLaneQuadKernels.UpdateDot(nz, dx, dy, ref wd[0], steps, ref ad);
        SagLaneQuadKernels.Update(nz, y, ref wf[0], steps);
        SagLaneQuadKernels.Update(nz, dy, ref wd[0], steps);
        double[] gf = new double[6], gd = new double[6];
        SagLaneQuadKernels.Gram(x, gf);
        SagLaneQuadKernels.Gram(dx, gd);

        AssertBits(wd, wf, "weights");
        AssertBits(gd, gf, "row products");
        for (int r = 0; r < 4; r++)
        {
            (SagLanes uf, SagLanes vf) = af.Reduce(r);
            (SagLanes ud, SagLanes vd) = ad.Reduce(r);
            AssertBits(Lanes(ud), Lanes(uf), $"x{r}·U");
            AssertBits(Lanes(vd), Lanes(vf), $"x{r}·A");
        }

        if (nonZeros > 0)
        {
            Assert.That(wd, Is.Not.EqualTo(start), "the update changed the weights");
        }
    }

    // The quad solver widens float rows and copies double rows: the same pixel values in either type must give the same
    // bits, over an epoch count and row count (3 mod 4) that run the first, middle and short last quads.
    [Test]
    [Category("Dataset")]
    public void Solve_FloatAndDoubleRows_BitForBit()
    {
        const int Rows = 1999;
        float[] pixels = LogisticRegressionData.ToFloat(LogisticRegressionData.Train(Rows));
        double[] wide = pixels.Select(v => (double)v).ToArray();
        ReadOnlySpan2D<float> xf = new(pixels, Rows, 784);
        ReadOnlySpan2D<double> xd = new(wide, Rows, 784);
        int[] labels = LogisticRegressionData.TrainLabels(Rows).ToArray();
        double alphaScaled = 1.0 / Rows;
        double step = SagProblem.AutoStepSize(SparseRows.ScanMaxSquaredSum(xf, "x"), alphaScaled, true, Rows, true);
        SagProblem p = new(10, true, true, alphaScaled, 0.0, step, 3, 0.0, 209652396u, true);

        SagResult f = SagLaneQuadSolver.Solve(xf, labels, p, 0, default)[0];
        SagResult d = SagLaneQuadSolver.Solve(xd, labels, p, 0, default)[0];

        AssertBits(d.Weights, f.Weights, "weights");
        AssertBits(d.Intercept, f.Intercept, "intercept");
        Assert.That(d.Iterations, Is.EqualTo(f.Iterations));
    }

    private static float[] SparseRow(Random random) =>
        Enumerable.Range(0, Features).Select(_ => random.Next(2) == 0 ? 0f : random.Next(1, 256) / 255f).ToArray();

    private static SagLaneQuadKernels.Steps RandomSteps(Random random)
    {
        SagLanes Next()
        {
            double[] v = Enumerable.Range(0, 12).Select(c => c < 10 ? random.NextDouble() - 0.5 : 0.0).ToArray();
            return new SagLanes(Vector256.Create(v, 0), Vector256.Create(v, 4), Vector256.Create(v, 8));
        }

        SagLaneQuadKernels.Steps steps = default;
        steps.Coef0 = Next();
        steps.Delta0 = Next();
        steps.Coef1 = Next();
        steps.Delta1 = Next();
        steps.Coef2 = Next();
        steps.Delta2 = Next();
        steps.Coef3 = Next();
        steps.Delta3 = Next();
        return steps;
    }

    private static double[] Lanes(SagLanes v) => Enumerable.Range(0, SagLanes.Count).Select(c => v[c]).ToArray();

    private static void AssertBits(double[] actual, double[] expected, string what) =>
        Assert.That(
            MemoryMarshal.Cast<double, long>(actual).ToArray(),
            Is.EqualTo(MemoryMarshal.Cast<double, long>(expected).ToArray()),
            what);
}
