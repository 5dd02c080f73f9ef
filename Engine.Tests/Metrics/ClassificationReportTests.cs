using System.Text.Json;
using FashionCore.Metrics;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Metrics;

public class ClassificationReportTests
{
    private static JsonElement Case(string name) => GoldenJson.Load("selection/selection_golden.json").GetProperty("metrics").GetProperty(name);

    // Exact equality throughout: the report divides the same integer counts and sums in numpy's order (see the
    // ClassificationReport remarks), so every number is bit-identical to sklearn 1.2.1's.
    [TestCase("noisy")]
    [TestCase("named")]
    [TestCase("small")]
    public void Compute_SklearnPredictionVector_NumbersEqualSklearn(string name)
    {
        JsonElement g = Case(name);
        int[] yTrue = g.GetProperty("y_true").Ints();
        int[] yPred = g.GetProperty("y_pred").Ints();
        ClassificationReport report = ClassificationReport.Compute(yTrue, yPred);

        Assert.That(report.Classes.Select(c => c.Label), Is.EqualTo(g.GetProperty("labels").Ints()));
        Assert.That(report.Classes.Select(c => c.Precision), Is.EqualTo(g.GetProperty("precision").Doubles()));
        Assert.That(report.Classes.Select(c => c.Recall), Is.EqualTo(g.GetProperty("recall").Doubles()));
        Assert.That(report.Classes.Select(c => c.F1), Is.EqualTo(g.GetProperty("f1").Doubles()));
        Assert.That(report.Classes.Select(c => (int)c.Support), Is.EqualTo(g.GetProperty("support").Ints()));
        AssertAverage(report.MicroAverage, g.GetProperty("micro").Doubles());
        AssertAverage(report.MacroAverage, g.GetProperty("macro").Doubles());
        AssertAverage(report.WeightedAverage, g.GetProperty("weighted").Doubles());
        Assert.That(report.MicroIsAccuracy, Is.True);
        Assert.That(report.MicroAverage.Support, Is.EqualTo(yTrue.Length));
    }

    [TestCase("noisy")]
    [TestCase("named")]
    [TestCase("small")]
    public void ToText_SklearnPredictionVector_IsCharacterForCharacterSklearn(string name)
    {
        JsonElement g = Case(name);
        ClassificationReport report = ClassificationReport.Compute(g.GetProperty("y_true").Ints(), g.GetProperty("y_pred").Ints());

        Assert.That(report.ToText(), Is.EqualTo(g.GetProperty("report2").GetString()));
        Assert.That(report.ToString(), Is.EqualTo(g.GetProperty("report2").GetString()));
        Assert.That(report.ToText(digits: 4), Is.EqualTo(g.GetProperty("report4").GetString()));
    }

    [Test]
    public void ToText_TargetNames_IsCharacterForCharacterSklearn()
    {
        JsonElement g = Case("named");
        string[] names = [.. g.GetProperty("target_names").EnumerateArray().Select(e => e.GetString()!)];
        ClassificationReport report = ClassificationReport.Compute(g.GetProperty("y_true").Ints(), g.GetProperty("y_pred").Ints(), names);

        Assert.That(report.ToText(digits: 3), Is.EqualTo(g.GetProperty("report_named").GetString()));
        Assert.That(report.Classes[9].Name, Is.EqualTo("Ankle boot"));
    }

    // Expected texts printed by sklearn 1.2.1's classification_report: with no sample predicted right (over all
    // samples, reported labels or not) its counts are float arrays and the supports print as "1.0".
    [TestCase(new[] { 0, 1 }, new[] { 1, 0 }, null,
        "              precision    recall  f1-score   support\n\n           0       0.00      0.00      0.00       1.0\n           1       0.00      0.00      0.00       1.0\n\n    accuracy                           0.00       2.0\n   macro avg       0.00      0.00      0.00       2.0\nweighted avg       0.00      0.00      0.00       2.0\n")]
    [TestCase(new[] { 0, 1, 2 }, new[] { 1, 0, 2 }, new[] { 0, 1 },
        "              precision    recall  f1-score   support\n\n           0       0.00      0.00      0.00         1\n           1       0.00      0.00      0.00         1\n\n   micro avg       0.00      0.00      0.00         2\n   macro avg       0.00      0.00      0.00         2\nweighted avg       0.00      0.00      0.00         2\n")]
    [TestCase(new[] { 0, 1, 2 }, new[] { 1, 0, 0 }, new[] { 0, 1 },
        "              precision    recall  f1-score   support\n\n           0       0.00      0.00      0.00       1.0\n           1       0.00      0.00      0.00       1.0\n\n   micro avg       0.00      0.00      0.00       2.0\n   macro avg       0.00      0.00      0.00       2.0\nweighted avg       0.00      0.00      0.00       2.0\n")]
    public void ToText_NoCorrectPrediction_PrintsSupportsAsFloatsLikeSklearn(int[] yTrue, int[] yPred, int[]? labels, string expected)
    {
        ClassificationReport report = ClassificationReport.Compute(yTrue, yPred, labels: labels ?? []);

        Assert.That(report.ToText(), Is.EqualTo(expected));
    }

    // Python pads and measures names in code points; an emoji is one code point but two UTF-16 units (sklearn 1.2.1's
    // texts).
    [Test]
    public void ToText_NamesOutsideTheBasicPlane_AlignedByCodePointsLikeSklearn()
    {
        string[] long14 = [string.Concat(Enumerable.Repeat("\U0001F600", 14)), "b"];
        string[] short1 = ["\U0001F600", "b"];

        Assert.That(ClassificationReport.Compute([0, 1], [1, 0], long14).ToText(), Is.EqualTo(
            "                precision    recall  f1-score   support\n\n\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600       0.00      0.00      0.00       1.0\n             b       0.00      0.00      0.00       1.0\n\n      accuracy                           0.00       2.0\n     macro avg       0.00      0.00      0.00       2.0\n  weighted avg       0.00      0.00      0.00       2.0\n"));
        Assert.That(ClassificationReport.Compute([0, 1], [0, 0], short1).ToText(), Is.EqualTo(
            "              precision    recall  f1-score   support\n\n           \U0001F600       0.50      1.00      0.67         1\n           b       0.00      0.00      0.00         1\n\n    accuracy                           0.50         2\n   macro avg       0.25      0.50      0.33         2\nweighted avg       0.25      0.50      0.33         2\n"));
    }

    [Test]
    public void Compute_ClassNeverPredicted_PrecisionAndF1AreZero()
    {
        // noisy case: label 7 is never predicted (precision 0/0) and label 11 never occurs (recall 0/0, support 0).
        JsonElement g = Case("noisy");
        ClassificationReport report = ClassificationReport.Compute(g.GetProperty("y_true").Ints(), g.GetProperty("y_pred").Ints());
        ClassMetrics seven = report.Classes.Single(c => c.Label == 7);
        ClassMetrics eleven = report.Classes.Single(c => c.Label == 11);

        Assert.That((seven.Precision, seven.Recall, seven.F1, seven.Support), Is.EqualTo((0.0, 0.0, 0.0, 55L)));
        Assert.That((eleven.Precision, eleven.Recall, eleven.F1, eleven.Support), Is.EqualTo((0.0, 0.0, 0.0, 0L)));
    }

    [Test]
    public void Compute_RestrictedLabels_PrintsMicroAvgAndCountsAllPredictions()
    {
        int[] yTrue = [0, 0, 1, 1, 2, 2];
        int[] yPred = [0, 1, 1, 2, 2, 0];
        ClassificationReport report = ClassificationReport.Compute(yTrue, yPred, labels: [1, 0]);

        // sklearn: precision_recall_fscore_support(yTrue, yPred, labels=[1, 0]) -> p=[0.5, 0.5], r=[0.5, 0.5];
        // micro: tp=2, pred=4, true=4.
        Assert.That(report.Classes.Select(c => c.Label), Is.EqualTo(new[] { 1, 0 }));
        Assert.That(report.Classes.Select(c => c.Precision), Is.EqualTo(new[] { 0.5, 0.5 }));
        Assert.That(report.MicroIsAccuracy, Is.False);
        Assert.That(report.ToText(), Does.Contain("   micro avg       0.50      0.50      0.50         4\n"));
    }

    [Test]
    public void Compute_WrongNameCount_ThrowsNamingTargetNames()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0, 1], [0, 1], ["only one"]))!;
        Assert.That(e.ParamName, Is.EqualTo("targetNames"));
    }

    [Test]
    public void Compute_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([0, 1, 1], [0, 1]));
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([], []));
    }

    [TestCase(0.125, 2, "0.12")]
    [TestCase(0.375, 2, "0.38")]
    [TestCase(0.665, 2, "0.67")]
    [TestCase(2.5, 0, "2")]
    [TestCase(1.0, 4, "1.0000")]
    [TestCase(0.0, 2, "0.00")]
    [TestCase(0.1, 17, "0.10000000000000001")]
    public void Fixed_Value_MatchesPythonFormat(double value, int digits, string expected)
    {
        // Expected strings are Python's format(value, f'.{digits}f') (round half to even on the exact binary value).
        Assert.That(ReportFormatting.Fixed(value, digits), Is.EqualTo(expected));
    }

    private static void AssertAverage(AverageMetrics actual, double[] expected) =>
        Assert.That(new[] { actual.Precision, actual.Recall, actual.F1 }, Is.EqualTo(expected));
}
