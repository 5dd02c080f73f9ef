using System.Text.Json;
using FashionCore.Models.Linear;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Models.Linear;

/// <summary>The Moré–Thuente search against MINPACK-2's dcsrch as scipy 1.10.1 runs it (goldens from make_dcsrch_golden.py).</summary>
public class MoreThuenteSearchTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        int i = 0;
        foreach (JsonElement c in GoldenJson.Load("logreg/dcsrch.json").GetProperty("cases").EnumerateArray())
        {
            yield return new TestCaseData(i++).SetName($"Next_{c.GetProperty("function").GetString()}_{c.GetProperty("params").GetString()}_stp0_{c.GetProperty("stp0").GetDouble()}_AsksForDcsrchsSteps");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Next_GoldenCase_AsksForDcsrchsStepsAndEndsWithItsTask(int index)
    {
        JsonElement c = GoldenJson.Load("logreg/dcsrch.json").GetProperty("cases")[index];
        MoreThuenteSearch search = new(
            c.GetProperty("ftol").GetDouble(), c.GetProperty("gtol").GetDouble(), c.GetProperty("xtol").GetDouble(),
            c.GetProperty("stpmin").GetDouble(), c.GetProperty("stpmax").GetDouble());
        double[] expectedSteps = c.GetProperty("steps").Doubles();
        string[] tasks = [.. c.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()!)];
        JsonElement[] fed = [.. c.GetProperty("fed").EnumerateArray()];

        double stp = c.GetProperty("stp0").GetDouble();
        double f = c.GetProperty("f0").GetDouble(), g = c.GetProperty("g0").GetDouble();
        List<double> steps = [];
        LineSearchTask task = LineSearchTask.Evaluate;
        for (int call = 0; call < expectedSteps.Length; call++)
        {
            task = search.Next(ref stp, f, g);
            steps.Add(stp);
            if (task != LineSearchTask.Evaluate)
            {
                break;
            }

            if (call < fed.Length)
            {
                f = fed[call][0].GetDouble();
                g = fed[call][1].GetDouble();
            }
        }

        Assert.That(steps, Is.EqualTo(expectedSteps).Within(1e-13).Percent, "the steps asked for, and the final step");
        Assert.That(task, Is.EqualTo(TaskOf(tasks[^1])));
    }

    [Test]
    public void Next_AscentDirectionOrStepOutsideTheBounds_IsAnError()
    {
        double stp = 1.0;
        Assert.That(new MoreThuenteSearch(1e-4, 0.9, 1e-14, 1e-8, 50).Next(ref stp, 0.0, 1.0), Is.EqualTo(LineSearchTask.Error));
        stp = 100.0;
        Assert.That(new MoreThuenteSearch(1e-4, 0.9, 1e-14, 1e-8, 50).Next(ref stp, 0.0, -1.0), Is.EqualTo(LineSearchTask.Error));
    }

    private static LineSearchTask TaskOf(string task) => task switch
    {
        _ when task.StartsWith("FG", StringComparison.Ordinal) => LineSearchTask.Evaluate,
        _ when task.StartsWith("CONVERGENCE", StringComparison.Ordinal) => LineSearchTask.Converged,
        _ when task.StartsWith("WARNING: ROUNDING", StringComparison.Ordinal) => LineSearchTask.WarningRounding,
        _ when task.StartsWith("WARNING: XTOL", StringComparison.Ordinal) => LineSearchTask.WarningXtol,
        _ when task.StartsWith("WARNING: STP = STPMAX", StringComparison.Ordinal) => LineSearchTask.WarningStpmax,
        _ when task.StartsWith("WARNING: STP = STPMIN", StringComparison.Ordinal) => LineSearchTask.WarningStpmin,
        _ => LineSearchTask.Error,
    };
}
