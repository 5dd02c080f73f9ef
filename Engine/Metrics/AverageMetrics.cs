namespace FashionCore.Metrics;

/// <summary>An averaged row of a <see cref="ClassificationReport"/> (micro, macro or weighted).</summary>
/// <param name="Precision">Averaged precision.</param>
/// <param name="Recall">Averaged recall.</param>
/// <param name="F1">Averaged F1 (for macro/weighted the mean of the per-class F1, not recomputed from P and R).</param>
/// <param name="Support">Total support of the reported classes.</param>
public readonly record struct AverageMetrics(double Precision, double Recall, double F1, long Support);
