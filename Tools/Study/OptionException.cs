namespace FashionCore.Tools.Study;

/// <summary>A bad command-line value: the message starts with the option's name and is one line (the tool prints it and exits 2).</summary>
internal sealed class OptionException(string option, string problem) : ArgumentException($"{option}: {problem}")
{
    /// <summary>The option, e.g. <c>--C</c>.</summary>
    public string Option { get; } = option;
}
