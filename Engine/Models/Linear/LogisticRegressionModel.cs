using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;

namespace FashionCore.Models.Linear;

/// <summary>A fitted logistic regression (scikit-learn's fitted <c>LogisticRegression</c>). Immutable and thread-safe.</summary>
/// <remarks>
/// sklearn names: <see cref="Classes"/> = <c>classes_</c>, <see cref="Coefficients"/> = <c>coef_</c> (K×d, or 1×d for two
/// classes), <see cref="Intercept"/> = <c>intercept_</c>, <see cref="Iterations"/> = <c>n_iter_</c>. Decisions are
/// evaluated in double. Predict/probability/decision methods write into caller spans and allocate nothing
/// (for up to 256 classes).
/// </remarks>
public sealed class LogisticRegressionModel : IClassifier
{
    private const int StackClasses = 256;
    private readonly int[] _classes;
    private readonly double[] _coef;
    private readonly double[] _intercept;
    private readonly int[] _iterations;
    private readonly bool[] _converged;
    private readonly double[] _finalChange;
    private readonly double[]? _byFeature;

    internal LogisticRegressionModel(
        LogisticRegressionOptions options,
        bool multinomial,
        int[] classes,
        int featureCount,
        double[] coef,
        double[] intercept,
        int[] iterations,
        bool[] converged,
        double[] finalChange)
    {
        Options = options;
        IsMultinomial = multinomial;
        _classes = classes;
        FeatureCount = featureCount;
        _coef = coef;
        _intercept = intercept;
        _iterations = iterations;
        _converged = converged;
        _finalChange = finalChange;
        _byFeature = intercept.Length <= DecisionKernel.MaxColumns ? DecisionKernel.ByFeature(coef, intercept.Length, featureCount) : null;
    }

    /// <summary>The options the model was fitted with.</summary>
    public LogisticRegressionOptions Options { get; }

    /// <summary>Whether one softmax problem was solved (else one binary problem per class, or one for two classes).</summary>
    public bool IsMultinomial { get; }

    /// <inheritdoc/>
    public int FeatureCount { get; }

    /// <inheritdoc/>
    public ReadOnlySpan<int> Classes => _classes;

    /// <summary>Number of decision columns: <c>Classes.Length</c>, or 1 for two classes (sklearn's binary shape).</summary>
    public int DecisionCount => _intercept.Length;

    /// <summary>The weights, <see cref="DecisionCount"/>×<see cref="FeatureCount"/> (sklearn <c>coef_</c>).</summary>
    public ReadOnlySpan2D<double> Coefficients => new(_coef, DecisionCount, FeatureCount);

    /// <summary>The intercepts, one per decision column (sklearn <c>intercept_</c>; zeros without <c>FitIntercept</c>).</summary>
    public ReadOnlySpan<double> Intercept => _intercept;

    /// <summary>Iterations/epochs run: one entry for multinomial, one per binary problem for OvR (sklearn <c>n_iter_</c>).</summary>
    public ReadOnlySpan<int> Iterations => _iterations;

    /// <summary>Per problem (aligned with <see cref="Iterations"/>): whether the stopping test was met before <c>MaxIterations</c>.</summary>
    public ReadOnlySpan<bool> ConvergedPerProblem => _converged;

    /// <summary>Whether every problem converged (sklearn emits a ConvergenceWarning when not).</summary>
    public bool Converged => Array.TrueForAll(_converged, c => c);

    /// <summary>Per problem: the last stopping-test value (SAG/SAGA: max|ΔW|/max|W|; newton-cg/lbfgs: max |gradient|).</summary>
    public ReadOnlySpan<double> FinalChange => _finalChange;

    /// <summary>Writes the decision values <c>x·Wᵀ + b</c> (sklearn <c>decision_function</c>).</summary>
    /// <param name="x">n×<see cref="FeatureCount"/> rows.</param>
    /// <param name="destination">n×<see cref="DecisionCount"/> values.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void DecisionFunction(ReadOnlySpan2D<float> x, Span2D<double> destination) => DecisionCore(x, destination);

    /// <inheritdoc cref="DecisionFunction(ReadOnlySpan2D{float}, Span2D{double})"/>
    public void DecisionFunction(ReadOnlySpan2D<double> x, Span2D<double> destination) => DecisionCore(x, destination);

    /// <inheritdoc/>
    public void Predict(ReadOnlySpan2D<float> x, Span<int> destination) => PredictCore(x, destination);

    /// <inheritdoc cref="Predict(ReadOnlySpan2D{float}, Span{int})"/>
    public void Predict(ReadOnlySpan2D<double> x, Span<int> destination) => PredictCore(x, destination);

    /// <inheritdoc/>
    /// <remarks>Multinomial: softmax of the decisions; OvR: sigmoids normalised to sum 1 (sklearn's <c>_predict_proba_lr</c>).</remarks>
    public void PredictProbabilities(ReadOnlySpan2D<float> x, Span2D<float> destination) => ProbabilityCore(x, destination);

    /// <inheritdoc cref="PredictProbabilities(ReadOnlySpan2D{float}, Span2D{float})"/>
    public void PredictProbabilities(ReadOnlySpan2D<double> x, Span2D<double> destination) => ProbabilityCore(x, destination);

    /// <summary>Mean accuracy of <see cref="Predict(ReadOnlySpan2D{float}, Span{int})"/> against <paramref name="y"/> (sklearn <c>score</c>).</summary>
    /// <param name="x">n×<see cref="FeatureCount"/> rows.</param>
    /// <param name="y">n true labels.</param>
    /// <returns>The fraction predicted correctly.</returns>
    /// <remarks>Allocates the n predictions; not a hot path.</remarks>
    public double Score(ReadOnlySpan2D<float> x, ReadOnlySpan<int> y)
    {
        Check.Length(y, x.Height);
        int[] predicted = new int[x.Height];
        Predict(x, predicted);
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == y[i] ? 1 : 0;
        }

        return x.Height == 0 ? double.NaN : (double)correct / x.Height;
    }

    private void DecisionCore<T>(ReadOnlySpan2D<T> x, Span2D<double> destination)
        where T : unmanaged
    {
        Check.Columns(x, FeatureCount);
        Check.Shape(destination, x.Height, DecisionCount);
        int count = DecisionCount;
        Span<double> zs = count <= StackClasses ? stackalloc double[DecisionKernel.Rows * count] : new double[DecisionKernel.Rows * count];
        for (int start = 0; start < x.Height; start += DecisionKernel.Rows)
        {
            int rows = Math.Min(DecisionKernel.Rows, x.Height - start);
            DecideBatch(x, start, rows, zs);
            for (int r = 0; r < rows; r++)
            {
                zs.Slice(r * count, count).CopyTo(destination.GetRowSpan(start + r));
            }
        }
    }

    private void PredictCore<T>(ReadOnlySpan2D<T> x, Span<int> destination)
        where T : unmanaged
    {
        Check.Columns(x, FeatureCount);
        Check.Length<int>(destination, x.Height);
        int count = DecisionCount;
        Span<double> zs = count <= StackClasses ? stackalloc double[DecisionKernel.Rows * count] : new double[DecisionKernel.Rows * count];
        for (int i = 0; i < x.Height; i++)
        {
            int r = i % DecisionKernel.Rows;
            if (r == 0)
            {
                DecideBatch(x, i, Math.Min(DecisionKernel.Rows, x.Height - i), zs);
            }

            Span<double> z = zs.Slice(r * count, count);
            if (count == 1)
            {
                destination[i] = _classes[z[0] > 0 ? 1 : 0];
            }
            else
            {
                int best = 0;
                for (int c = 1; c < count; c++)
                {
                    if (z[c] > z[best])
                    {
                        best = c;
                    }
                }

                destination[i] = _classes[best];
            }
        }
    }

    private void ProbabilityCore<T, TOut>(ReadOnlySpan2D<T> x, Span2D<TOut> destination)
        where T : unmanaged
        where TOut : unmanaged
    {
        Check.Columns(x, FeatureCount);
        Check.Shape(destination, x.Height, _classes.Length);
        int count = DecisionCount;
        int classes = _classes.Length;
        Span<double> zs = count <= StackClasses ? stackalloc double[DecisionKernel.Rows * count] : new double[DecisionKernel.Rows * count];
        Span<double> p = classes <= StackClasses ? stackalloc double[classes] : new double[classes];
        for (int i = 0; i < x.Height; i++)
        {
            int r = i % DecisionKernel.Rows;
            if (r == 0)
            {
                DecideBatch(x, i, Math.Min(DecisionKernel.Rows, x.Height - i), zs);
            }

            Span<double> z = zs.Slice(r * count, count);
            if (count == 1)
            {
                if (IsMultinomial)
                {
                    p[0] = -z[0];
                    p[1] = z[0];
                    Softmax(p);
                }
                else
                {
                    p[1] = Sigmoid(z[0]);
                    p[0] = 1.0 - p[1];
                }
            }
            else if (IsMultinomial)
            {
                z.CopyTo(p);
                Softmax(p);
            }
            else
            {
                double sum = 0.0;
                for (int c = 0; c < classes; c++)
                {
                    p[c] = Sigmoid(z[c]);
                    sum += p[c];
                }

                for (int c = 0; c < classes; c++)
                {
                    p[c] /= sum;
                }
            }

            Span<TOut> row = destination.GetRowSpan(i);
            for (int c = 0; c < classes; c++)
            {
                if (typeof(TOut) == typeof(float))
                {
                    Unsafe.As<TOut, float>(ref row[c]) = (float)p[c];
                }
                else
                {
                    Unsafe.As<TOut, double>(ref row[c]) = p[c];
                }
            }
        }
    }

    // Decision values of `rows` (≤ 4) rows from `start`, `DecisionCount` per row.
    private void DecideBatch<T>(ReadOnlySpan2D<T> x, int start, int rows, Span<double> z)
        where T : unmanaged
    {
        int count = DecisionCount;
        if (_byFeature is not null)
        {
            DecisionKernel.Decide(x, start, rows, _byFeature, _intercept, count, z);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            Decide(x.GetRowSpan(start + r), z.Slice(r * count, count));
        }
    }

    private void Decide<T>(ReadOnlySpan<T> row, Span<double> z)
        where T : unmanaged
    {
        int d = FeatureCount;
        for (int c = 0; c < z.Length; c++)
        {
            ReadOnlySpan<double> w = _coef.AsSpan(c * d, d);
            double sum = typeof(T) == typeof(float)
                ? Dot(MemoryMarshal.Cast<T, float>(row), w)
                : Dot(MemoryMarshal.Cast<T, double>(row), w);
            z[c] = sum + _intercept[c];
        }
    }


    // Explicit Vector256 (emulated where not accelerated) with two accumulators and separate multiply/add: the same
    // summation order on every machine, so predictions do not depend on the instruction set.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<double> w)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref double pw = ref MemoryMarshal.GetReference(w);
        Vector256<double> acc0 = Vector256<double>.Zero;
        Vector256<double> acc1 = Vector256<double>.Zero;
        int j = 0;
        for (; j <= x.Length - 8; j += 8)
        {
            (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(Vector256.LoadUnsafe(ref px, (nuint)j));
            acc0 += lo * Vector256.LoadUnsafe(ref pw, (nuint)j);
            acc1 += hi * Vector256.LoadUnsafe(ref pw, (nuint)(j + 4));
        }

        double sum = Vector256.Sum(acc0 + acc1);
        for (; j < x.Length; j++)
        {
            sum += Unsafe.Add(ref px, j) * Unsafe.Add(ref pw, j);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> w)
    {
        ref double px = ref MemoryMarshal.GetReference(x);
        ref double pw = ref MemoryMarshal.GetReference(w);
        Vector256<double> acc0 = Vector256<double>.Zero;
        Vector256<double> acc1 = Vector256<double>.Zero;
        int j = 0;
        for (; j <= x.Length - 8; j += 8)
        {
            acc0 += Vector256.LoadUnsafe(ref px, (nuint)j) * Vector256.LoadUnsafe(ref pw, (nuint)j);
            acc1 += Vector256.LoadUnsafe(ref px, (nuint)(j + 4)) * Vector256.LoadUnsafe(ref pw, (nuint)(j + 4));
        }

        double sum = Vector256.Sum(acc0 + acc1);
        for (; j < x.Length; j++)
        {
            sum += Unsafe.Add(ref px, j) * Unsafe.Add(ref pw, j);
        }

        return sum;
    }

    private static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    private static void Softmax(Span<double> p)
    {
        double max = p[0];
        for (int c = 1; c < p.Length; c++)
        {
            max = Math.Max(max, p[c]);
        }

        double sum = 0.0;
        for (int c = 0; c < p.Length; c++)
        {
            p[c] = Math.Exp(p[c] - max);
            sum += p[c];
        }

        for (int c = 0; c < p.Length; c++)
        {
            p[c] /= sum;
        }
    }
}
