using FashionCore.Tools.Commands;

namespace FashionCore.Tests.Report;

/// <summary>How <c>fashion report</c> shows progress: never with <c>--json</c>, whatever stderr is.</summary>
public class ReportProgressTests
{
    [TestCase(true, true, "None")]
    [TestCase(true, false, "None")]
    [TestCase(false, true, "Lines")]
    [TestCase(false, false, "Bars")]
    public void ProgressKind_NoneWithJsonElseLinesWhenRedirectedAndBarsOnATerminal(bool json, bool errorRedirected, string expected) =>
        Assert.That(ReportCommand.ProgressKind(json, errorRedirected).ToString(), Is.EqualTo(expected));
}
