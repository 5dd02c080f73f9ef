using System.Runtime.InteropServices;
using CommunityToolkit.HighPerformance;
using FashionCore.Abstractions;
using FashionCore.Internals;
using FashionCore.Numerics.LinearAlgebra;

namespace FashionCore.Models.Linear;

/// <summary>A fitted logistic regression (scikit-learn's fitted <c>LogisticRegression</c>). Immutable and thread-safe.</summary>
/// <remarks>
/// sklearn names: <see cref="Classes"/> = <c>classes_</c>, <see cref="Coefficients"/> = <c>coef_</c> (K×d, or 1×d for two
/// classes), <see cref="Intercept"/> = <c>intercept_</c>, <see cref="Iterations"/> = <c>n_iter_</c>. Decisions are
/// evaluated in double by a register-tiled kernel over row blocks, fused with the softmax/sigmoids/argmax; batches of
/// more than about 8 M multiply-adds run in parallel over static row ranges (bounded by the current scheduler, as every
/// engine loop), with results identical for any thread count. Predict/probability/decision methods write into caller
/// spans and allocate nothing when they run on one thread (for up to 256 classes); the parallel path allocates only
/// the loop's task objects, independent of the batch size. They reject a row holding NaN or ±∞ with the
/// <see cref="ArgumentException"/> <see cref="LogisticRegression"/>'s Fit gives, found from the few decision values per
/// row rather than by an extra pass over the input.
/// </remarks>
public sealed class LogisticRegressionModel : IClassifier
{
    private readonly int[] _classes;
    private readonly double[] _coef;
    private readonly double[] _intercept;
    private readonly double[] _packed;
    private readonly int[] _iterations;
    private readonly bool[] _converged;
    private readonly double[] _finalChange;

    /// <summary>Creates a model (used by <see cref="LogisticRegression"/> and model loading).</summary>
    /// <exception cref="ArgumentException">
    /// The values do not describe a fitted model: classes not sorted and distinct or fewer than two, a coefficient or
    /// intercept shape that does not fit the classes, a non-finite coefficient or intercept, or per-problem fit facts
    /// of the wrong count or a negative iteration count.
    /// </exception>
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
        Validate(multinomial, classes, featureCount, coef, intercept, iterations, converged, finalChange);
        Options = options;
        IsMultinomial = multinomial;
        _classes = classes;
        FeatureCount = featureCount;
        _coef = coef;
        _intercept = intercept;
        _packed = DecisionKernel.Pack(coef, intercept.Length, featureCount);
        _iterations = iterations;
        _converged = converged;
        _finalChange = finalChange;
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
    /// <exception cref="ArgumentException">
    /// The shapes do not match, a row of <paramref name="x"/> holds NaN or ±∞ (named by row and column), or a row's
    /// values are so large that its decision values overflow double. <paramref name="destination"/> is then partly written.
    /// </exception>
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
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> has no rows (the accuracy of nothing is undefined, as <c>Accuracy.Score</c> says), the
    /// shapes do not match, or a row holds NaN or ±∞.
    /// </exception>
    public double Score(ReadOnlySpan2D<float> x, ReadOnlySpan<int> y)
    {
        Check.Length(y, x.Height);
        if (x.Height == 0)
        {
            ThrowHelper.ThrowArgument("'x' must have at least one row to score.", nameof(x));
        }

        int[] predicted = new int[x.Height];
        Predict(x, predicted);
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == y[i] ? 1 : 0;
        }

        return (double)correct / x.Height;
    }

    // Model files reach this constructor too, so it checks what the prediction code relies on: the argmax maps decision
    // column c to classes[c] (one column for two classes), and a non-finite weight would make every decision NaN.
    private static void Validate(
        bool multinomial, int[] classes, int featureCount, double[] coef, double[] intercept, int[] iterations, bool[] converged, double[] finalChange)
    {
        if (classes.Length < 2)
        {
            ThrowHelper.ThrowArgument($"'classes' must hold at least 2 classes but holds {classes.Length}.", nameof(classes));
        }

        for (int i = 1; i < classes.Length; i++)
        {
            if (classes[i] <= classes[i - 1])
            {
                ThrowHelper.ThrowArgument($"'classes' must be sorted and distinct (sklearn classes_), but classes[{i}] = {classes[i]} follows {classes[i - 1]}.", nameof(classes));
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        int rows = classes.Length == 2 ? 1 : classes.Length;
        if (intercept.Length != rows)
        {
            ThrowHelper.ThrowArgument(
                $"{classes.Length} classes need {rows} decision rows (one per class, one for two classes) but 'intercept' has {intercept.Length}.", nameof(intercept));
        }

        if (coef.Length != (long)rows * featureCount)
        {
            ThrowHelper.ThrowArgument($"'coef' must hold {rows}x{featureCount} values but holds {coef.Length}.", nameof(coef));
        }

        for (int i = 0; i < coef.Length; i++)
        {
            if (!double.IsFinite(coef[i]))
            {
                ThrowHelper.ThrowArgument($"'coef' contains {coef[i]} at decision row {i / featureCount}, column {i % featureCount}; all coefficients must be finite.", nameof(coef));
            }
        }

        for (int i = 0; i < intercept.Length; i++)
        {
            if (!double.IsFinite(intercept[i]))
            {
                ThrowHelper.ThrowArgument($"'intercept' contains {intercept[i]} at decision row {i}; all intercepts must be finite.", nameof(intercept));
            }
        }

        // One problem for multinomial or two classes, else one binary problem per class (sklearn's n_iter_ shape).
        int problems = multinomial || classes.Length == 2 ? 1 : classes.Length;
        if (iterations.Length != problems || converged.Length != problems || finalChange.Length != problems)
        {
            ThrowHelper.ThrowArgument(
                $"{problems} fitted problem(s) need as many iteration counts, convergence flags and final changes, but there are {iterations.Length}, {converged.Length} and {finalChange.Length}.",
                nameof(iterations));
        }

        foreach (int count in iterations)
        {
            if (count < 0)
            {
                ThrowHelper.ThrowArgument($"'iterations' contains {count}; iteration counts are at least 0.", nameof(iterations));
            }
        }
    }

    private void DecisionCore<T>(ReadOnlySpan2D<T> x, Span2D<double> destination)
        where T : unmanaged
    {
        Check.Columns(x, FeatureCount);
        Check.Shape(destination, x.Height, DecisionCount);
        Run(x, PredictionOutput.Decision, ref destination.DangerousGetReference(), Strides.Of(destination));
    }

    private void PredictCore<T>(ReadOnlySpan2D<T> x, Span<int> destination)
        where T : unmanaged
    {
        Check.Columns(x, FeatureCount);
        Check.Length<int>(destination, x.Height);
        Run(x, PredictionOutput.Labels, ref MemoryMarshal.GetReference(destination), 1);
    }

    private void ProbabilityCore<T, TOut>(ReadOnlySpan2D<T> x, Span2D<TOut> destination)
        where T : unmanaged
        where TOut : unmanaged
    {
        Check.Columns(x, FeatureCount);
        Check.Shape(destination, x.Height, _classes.Length);
        PredictionOutput output = typeof(TOut) == typeof(float) ? PredictionOutput.ProbabilitiesFloat : PredictionOutput.ProbabilitiesDouble;
        Run(x, output, ref destination.DangerousGetReference(), Strides.Of(destination));
    }

    private unsafe void Run<T, TOut>(ReadOnlySpan2D<T> x, PredictionOutput output, ref TOut destination, nint ldd)
        where T : unmanaged
        where TOut : unmanaged
    {
        if (x.Height == 0)
        {
            return;
        }

        fixed (T* px = &x.DangerousGetReference())
        fixed (double* w = _coef)
        fixed (double* packed = _packed)
        fixed (double* b = _intercept)
        fixed (int* classes = _classes)
        fixed (TOut* pd = &destination)
        {
            var job = new PredictionJob<T>(px, Strides.Of(x), x.Height, FeatureCount, w, packed, b, DecisionCount, classes, IsMultinomial, output, pd, ldd);
            LinearPrediction.Run(job);
        }
    }
}
