using System.Text.Json;
using FashionCore.Models.Linear;
using FashionCore.Tests.Golden;

namespace FashionCore.Tests.Models.Linear;

/// <summary>
/// The newton-cg fallback line search against scipy 1.10.1's <c>scalar_search_wolfe2</c>, <c>_cubicmin</c> and
/// <c>_quadmin</c> (Golden/logreg/make_wolfe2_golden.py): the same calls in the same order, to the bit. Eight of the
/// minimiser inputs need libm's <c>pow</c> for the squares, as scipy takes them (glibc here and in CI).
/// </summary>
public class WolfeZoomSearchTests
{
    private static readonly Lazy<JsonElement> s_golden = new(() => GoldenJson.Load("logreg/wolfe2.json"));

    private static IEnumerable<TestCaseData> Searches()
    {
        int count = GoldenJson.Load("logreg/wolfe2.json").GetProperty("searches").GetArrayLength();
        for (int i = 0; i < count; i++)
        {
            yield return new TestCaseData(i).SetName($"Search_Case{i:D3}_CallsAndResultOfScipy");
        }
    }

    [TestCaseSource(nameof(Searches))]
    public void Search_GoldenFunction_SameCallsAndStepAsScipy(int index)
    {
        JsonElement c = s_golden.Value.GetProperty("searches")[index];
        double[] p = c.GetProperty("params").Doubles();
        var line = new RecordingLine(c.GetProperty("kind").GetString()!, p);
        JsonElement previous = c.GetProperty("previous");

        (double alpha, double value) = WolfeZoomSearch.Search(
            line, c.GetProperty("phi0").GetDouble(), previous.ValueKind == JsonValueKind.Null ? double.NaN : previous.GetDouble(), c.GetProperty("derphi0").GetDouble());

        string[] expected = [.. c.GetProperty("calls").EnumerateArray().Select(e => $"{e[0].GetString()}({e[1].GetDouble():R})")];
        Assert.That(line.Calls, Is.EqualTo(expected), "the φ and φ' calls, in order");
        JsonElement expectedAlpha = c.GetProperty("alpha");
        if (expectedAlpha.ValueKind == JsonValueKind.Null)
        {
            Assert.That(alpha, Is.NaN, "scipy found no step");
        }
        else
        {
            Assert.That(alpha, Is.EqualTo(expectedAlpha.GetDouble()), "step");
            Assert.That(value, Is.EqualTo(c.GetProperty("value").GetDouble()), "φ at the step");
        }
    }

    [Test]
    public void CubicAndQuadMin_GoldenInputs_SameMinimizerOrNoneAsScipy()
    {
        int cubicNone = 0, quadNone = 0, count = 0;
        foreach (JsonElement m in s_golden.Value.GetProperty("minimizers").EnumerateArray())
        {
            double[] a = m.GetProperty("args").Doubles();
            double? cubic = WolfeZoomSearch.CubicMin(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            double? quad = WolfeZoomSearch.QuadMin(a[0], a[1], a[2], a[3], a[4]);
            Assert.That(cubic, Is.EqualTo(Nullable(m.GetProperty("cubic"))), $"cubic at [{string.Join(", ", a)}]");
            Assert.That(quad, Is.EqualTo(Nullable(m.GetProperty("quad"))), $"quad at [{string.Join(", ", a)}]");
            cubicNone += cubic is null ? 1 : 0;
            quadNone += quad is null ? 1 : 0;
            count++;
        }

        // The degenerate inputs do reach the paths where numpy raises.
        Assert.That(count, Is.GreaterThan(400));
        Assert.That(cubicNone, Is.GreaterThanOrEqualTo(5), "cubic: no step");
        Assert.That(quadNone, Is.GreaterThanOrEqualTo(3), "quad: no step");
    }

    private static double? Nullable(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    // The script's functions, with Python's operations in Python's order.
    private sealed class RecordingLine(string kind, double[] p) : ILineFunction
    {
        public List<string> Calls { get; } = [];

        public double Phi(double a)
        {
            Calls.Add($"phi({a:R})");
            return kind switch
            {
                "quartic" => ((((((p[4] * a) + p[3]) * a) + p[2]) * a) + p[1]) * a + p[0],
                "flat" => p[0],
                "rational" => (-p[0] * a / (1.0 + (a * a))) + (a * a / 100.0),
                _ => throw new ArgumentException($"unknown function kind '{kind}'", nameof(kind)),
            };
        }

        public double DerPhi(double a)
        {
            Calls.Add($"derphi({a:R})");
            switch (kind)
            {
                case "quartic":
                    return (((((4.0 * p[4] * a) + (3.0 * p[3])) * a) + (2.0 * p[2])) * a) + p[1];
                case "flat":
                    return a == 0.0 ? p[1] : p[2];
                case "rational":
                    double q = 1.0 + (a * a);
                    return (-p[0] * (1.0 - (a * a)) / (q * q)) + (a / 50.0);
                default:
                    throw new ArgumentException($"unknown function kind '{kind}'", nameof(kind));
            }
        }
    }
}
