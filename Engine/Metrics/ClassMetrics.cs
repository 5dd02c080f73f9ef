namespace FashionCore.Metrics;

/// <summary>One row of a <see cref="ClassificationReport"/>: the scores of one class.</summary>
/// <param name="Label">The class label.</param>
/// <param name="Name">The printed name (target name, or the label as text).</param>
/// <param name="Precision">TP / (TP + FP); 0 when the class is never predicted (sklearn zero_division).</param>
/// <param name="Recall">TP / (TP + FN); 0 when the class never occurs in the true labels.</param>
/// <param name="F1">2·P·R / (P + R); 0 when P + R = 0.</param>
/// <param name="Support">Number of true samples of the class.</param>
public readonly record struct ClassMetrics(int Label, string Name, double Precision, double Recall, double F1, long Support);
