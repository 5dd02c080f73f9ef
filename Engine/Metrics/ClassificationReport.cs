using System.Globalization;
using System.Text;
using FashionCore.Internals;
using FashionCore.Numerics;

namespace FashionCore.Metrics;

/// <summary>
/// Per-class precision, recall, F1 and support with micro (accuracy), macro and weighted averages — scikit-learn 1.2.1's
/// <c>classification_report</c> / <c>precision_recall_fscore_support</c> as data, and as text laid out identically.
/// </summary>
/// <remarks>
/// Every number is computed in the same floating-point order as scikit-learn (per-class divisions of integer counts,
/// <c>F1 = 2·P·R/(P+R)</c>, averages with numpy's pairwise summation), so they are bit-identical to sklearn's, and
/// <see cref="ToText"/> reproduces <c>classification_report(y_true, y_pred, digits=…)</c> character for character,
/// including Python's round-half-even on the exact binary value. Zero divisions (a class never predicted, a label never
/// true) give 0 like sklearn's default <c>zero_division="warn"</c> (without the warning).
/// </remarks>
public sealed class ClassificationReport
{
    private const string LongestHeading = "weighted avg";
    private readonly ClassMetrics[] _classes;

    // sklearn's counts are float arrays when no sample at all is predicted right (multilabel_confusion_matrix's
    // "pathological case"), and its text then prints the supports as floats ("1.0").
    private readonly bool _floatSupports;

    private ClassificationReport(ClassMetrics[] classes, bool microIsAccuracy, AverageMetrics micro, AverageMetrics macro, AverageMetrics weighted, bool floatSupports)
    {
        _classes = classes;
        _floatSupports = floatSupports;
        MicroIsAccuracy = microIsAccuracy;
        MicroAverage = micro;
        MacroAverage = macro;
        WeightedAverage = weighted;
    }

    /// <summary>One row per reported label, in label order (sorted unless labels were given).</summary>
    public IReadOnlyList<ClassMetrics> Classes => _classes;

    /// <summary>Micro average (sklearn <c>average="micro"</c>); with all labels reported its F1 is the accuracy.</summary>
    public AverageMetrics MicroAverage { get; }

    /// <summary>Unweighted mean of the per-class scores (sklearn <c>average="macro"</c>).</summary>
    public AverageMetrics MacroAverage { get; }

    /// <summary>Support-weighted mean of the per-class scores (sklearn <c>average="weighted"</c>).</summary>
    public AverageMetrics WeightedAverage { get; }

    /// <summary>Whether the micro row is printed as "accuracy" (labels not restricted), as sklearn decides it.</summary>
    public bool MicroIsAccuracy { get; }

    /// <summary>Computes the report.</summary>
    /// <param name="yTrue">True labels.</param>
    /// <param name="yPred">Predicted labels, same length.</param>
    /// <param name="targetNames">Printed names, one per reported label (sklearn <c>target_names</c>); default: the labels.</param>
    /// <param name="labels">Labels to report, in this order (sklearn <c>labels</c>); default: sorted union of both vectors.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">Lengths differ or are zero, duplicate labels, or the name count differs from the label count.</exception>
    public static ClassificationReport Compute(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, IReadOnlyList<string>? targetNames = null, ReadOnlySpan<int> labels = default)
    {
        Accuracy.CheckLabels(yTrue, yPred);
        int[] sorted = LabelSet.Resolve(yTrue, yPred, labels, out int[] order);
        int k = sorted.Length;
        if (targetNames is not null && targetNames.Count != k)
        {
            ThrowHelper.ThrowArgument($"'targetNames' has {targetNames.Count} names but {k} labels are reported.", nameof(targetNames));
        }

        // Counted over all samples like sklearn's multilabel_confusion_matrix: a prediction of a reported label counts
        // as a prediction even when its true label is not reported.
        long[] tp = new long[k];
        long[] predicted = new long[k];
        long[] actual = new long[k];
        bool anyRight = false;
        for (int i = 0; i < yTrue.Length; i++)
        {
            anyRight |= yTrue[i] == yPred[i];
            int t = Array.BinarySearch(sorted, yTrue[i]);
            int p = Array.BinarySearch(sorted, yPred[i]);
            if (t >= 0)
            {
                actual[order[t]]++;
                if (yTrue[i] == yPred[i])
                {
                    tp[order[t]]++;
                }
            }

            if (p >= 0)
            {
                predicted[order[p]]++;
            }
        }

        int[] reportLabels = labels.IsEmpty ? sorted : labels.ToArray();
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        ClassMetrics[] rows = new ClassMetrics[k];
        for (int c = 0; c < k; c++)
        {
            precision[c] = Divide(tp[c], predicted[c]);
            recall[c] = Divide(tp[c], actual[c]);
            f1[c] = FScore(precision[c], recall[c]);
            string name = targetNames?[c] ?? reportLabels[c].ToString(CultureInfo.InvariantCulture);
            rows[c] = new ClassMetrics(reportLabels[c], name, precision[c], recall[c], f1[c], actual[c]);
        }

        long totalSupport = actual.Sum();
        double microP = Divide(tp.Sum(), predicted.Sum());
        double microR = Divide(tp.Sum(), actual.Sum());
        AverageMetrics micro = new(microP, microR, FScore(microP, microR), totalSupport);
        AverageMetrics macro = new(NumpySum.Mean(precision), NumpySum.Mean(recall), NumpySum.Mean(f1), totalSupport);
        AverageMetrics weighted = totalSupport == 0
            ? new AverageMetrics(0, 0, 0, 0)
            : new AverageMetrics(Weighted(precision, actual), Weighted(recall, actual), Weighted(f1, actual), totalSupport);
        bool microIsAccuracy = labels.IsEmpty || SameSet(sorted, LabelSet.SortedUnion(yTrue, yPred));
        return new ClassificationReport(rows, microIsAccuracy, micro, macro, weighted, floatSupports: !anyRight);
    }

    /// <summary>
    /// The report as scikit-learn prints it: name column right-aligned to max(longest name, 12, digits), then four
    /// right-aligned width-9 columns (precision, recall, f1-score with <paramref name="digits"/> decimals, support).
    /// </summary>
    /// <param name="digits">Decimals of the scores (sklearn <c>digits</c>, default 2).</param>
    /// <returns>The text, ending with a newline, identical to sklearn's <c>classification_report</c> string.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digits"/> is negative or above 17.</exception>
    public string ToText(int digits = 2)
    {
        if (digits is < 0 or > 17)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(digits), digits, "digits must be in 0..17.");
        }

        int width = Math.Max(LongestHeading.Length, digits);
        foreach (ClassMetrics row in _classes)
        {
            width = Math.Max(width, CodePoints(row.Name));
        }

        StringBuilder sb = new();
        sb.Append(' ', width).Append(' ');
        foreach (string header in (ReadOnlySpan<string>)["precision", "recall", "f1-score", "support"])
        {
            sb.Append(' ').Append(header.PadLeft(9));
        }

        sb.Append("\n\n");
        foreach (ClassMetrics row in _classes)
        {
            AppendRow(sb, row.Name, row.Precision, row.Recall, row.F1, row.Support, width, digits);
        }

        sb.Append('\n');
        if (MicroIsAccuracy)
        {
            sb.Append("accuracy".PadLeft(width)).Append(' ');
            sb.Append(' ', 20);
            sb.Append(' ').Append(ReportFormatting.Fixed(MicroAverage.F1, digits).PadLeft(9));
            sb.Append(' ').Append(Support(MicroAverage.Support).PadLeft(9)).Append('\n');
        }
        else
        {
            AppendRow(sb, "micro avg", MicroAverage.Precision, MicroAverage.Recall, MicroAverage.F1, MicroAverage.Support, width, digits);
        }

        AppendRow(sb, "macro avg", MacroAverage.Precision, MacroAverage.Recall, MacroAverage.F1, MacroAverage.Support, width, digits);
        AppendRow(sb, LongestHeading, WeightedAverage.Precision, WeightedAverage.Recall, WeightedAverage.F1, WeightedAverage.Support, width, digits);
        return sb.ToString();
    }

    /// <summary>The report text with 2 decimals (<see cref="ToText"/>).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => ToText();

    // Python's str.format pads to a width in code points: a character outside the BMP (two UTF-16 units) counts once.
    private static int CodePoints(string s)
    {
        int count = 0;
        foreach (Rune _ in s.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    // Python's str() of the support: an int, or a float of an integer value ("12.0"; supports stay far below 1e16,
    // where Python would switch to an exponent).
    private string Support(long support) =>
        support.ToString(CultureInfo.InvariantCulture) + (_floatSupports ? ".0" : "");

    private void AppendRow(StringBuilder sb, string name, double p, double r, double f, long support, int width, int digits)
    {
        sb.Append(' ', Math.Max(0, width - CodePoints(name))).Append(name).Append(' ');
        sb.Append(' ').Append(ReportFormatting.Fixed(p, digits).PadLeft(9));
        sb.Append(' ').Append(ReportFormatting.Fixed(r, digits).PadLeft(9));
        sb.Append(' ').Append(ReportFormatting.Fixed(f, digits).PadLeft(9));
        sb.Append(' ').Append(Support(support).PadLeft(9)).Append('\n');
    }

    // sklearn _prf_divide: x / y with 0/0 (and any /0) reported as 0.
    private static double Divide(long numerator, long denominator) => denominator == 0 ? 0.0 : (double)numerator / denominator;

    // sklearn: (1 + β²)·P·R / (β²·P + R) with β = 1 and a zero denominator replaced by 1.
    private static double FScore(double p, double r)
    {
        double denominator = p + r;
        return 2.0 * p * r / (denominator == 0 ? 1.0 : denominator);
    }

    // np.average(a, weights=w) = sum(a·w) / sum(w), both sums pairwise in float64.
    private static double Weighted(double[] values, long[] weights)
    {
        double[] products = new double[values.Length];
        double[] w = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            w[i] = weights[i];
            products[i] = values[i] * w[i];
        }

        return NumpySum.Sum(products) / NumpySum.Sum(w);
    }

    private static bool SameSet(int[] sortedA, int[] sortedB) => sortedA.AsSpan().SequenceEqual(sortedB);
}
