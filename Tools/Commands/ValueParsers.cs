using System.CommandLine;
using System.Globalization;
using FashionCore.Tools.Study;

namespace FashionCore.Tools.Commands;

/// <summary>Parsers of the tool's compact option values (<c>8x8</c>, <c>100:600</c>, <c>0-4</c>, <c>0,2,4</c>); errors name the option.</summary>
internal static class ValueParsers
{
    /// <summary>An optional integer option whose parse error reads "--name: 'abc' is not an integer".</summary>
    public static Option<int?> NullableInt(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => ParseInt(result, name),
    };

    /// <summary>An integer option with a default whose parse error reads "--name: 'abc' is not an integer", as <see cref="NullableInt"/>'s.</summary>
    public static Option<int> Int(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseInt(result, name) ?? defaultValue,
    };

    // The option's last token as an int; otherwise the option's error ("--name: 'abc' is not an integer") and null.
    private static int? ParseInt(System.CommandLine.Parsing.ArgumentResult result, string name)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }

        result.AddError($"{name}: '{text}' is not an integer.");
        return null;
    }

    /// <summary>An optional number option whose parse error reads "--name: 'abc' is not a number".</summary>
    public static Option<double?> NullableDouble(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not a finite number.");
            return null;
        },
    };

    /// <summary><c>RxC</c> (rows × columns, both ≥ 1), e.g. <c>8x8</c>; a single number means a square.</summary>
    public static (int Rows, int Columns) Size(string option, string text)
    {
        string[] parts = text.Split('x', 'X', '×');
        if (parts.Length is 1 or 2 && TryPositive(parts[0], out int rows))
        {
            if (parts.Length == 1)
            {
                return (rows, rows);
            }

            if (TryPositive(parts[1], out int columns))
            {
                return (rows, columns);
            }
        }

        throw new OptionException(option, $"expected ROWSxCOLUMNS with positive integers (e.g. 8x8), got '{text}'.");
    }

    /// <summary><c>A:B</c> → rows A..B−1 of <paramref name="count"/> (either end may be omitted); <see langword="null"/> → all rows.</summary>
    public static (int Start, int End) Range(string option, string? text, int count)
    {
        if (text is null)
        {
            return (0, count);
        }

        string[] parts = text.Split(':');
        if (parts.Length == 2
            && TryInt(parts[0], 0, out int start)
            && TryInt(parts[1], count, out int end))
        {
            if (start < 0 || end > count || start >= end)
            {
                throw new OptionException(option, $"range {text} must satisfy 0 <= A < B <= {count} (the number of rows).");
            }

            return (start, end);
        }

        throw new OptionException(option, $"expected A:B (rows A to B-1, e.g. 0:1000), got '{text}'.");
    }

    /// <summary>A list of non-negative integers: <c>0-4</c>, <c>0,2,4</c> or a mix (<c>0-2,7</c>); sorted, without duplicates.</summary>
    public static int[] IntegerList(string option, string text, int min, int max)
    {
        SortedSet<int> values = [];
        foreach (string item in text.Split(','))
        {
            string[] ends = item.Split('-');
            if (ends.Length is 1 or 2
                && int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                && (ends.Length == 1 || int.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                int b = ends.Length == 1 ? a : int.Parse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture);
                if (a > b || a < min || b > max)
                {
                    throw new OptionException(option, $"'{item}' must lie within {min}-{max} (and A <= B in A-B).");
                }

                // Counted in long: an int loop to b = int.MaxValue would wrap around and never end.
                for (long v = a; v <= b; v++)
                {
                    values.Add((int)v);
                }

                continue;
            }

            throw new OptionException(option, $"expected integers or ranges like 0-4 or 0,2,4, got '{text}'.");
        }

        return [.. values];
    }

    /// <summary>
    /// An output file's path, checked before any work (the same rule for every option that names a file to write): a
    /// file, not a directory, in a directory that exists — a typo in the path is not silently turned into new folders.
    /// </summary>
    /// <exception cref="OptionException">Empty, an existing directory, or in a missing directory.</exception>
    public static string OutputFile(string option, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new OptionException(option, "must name a file.");
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full) || Path.EndsInDirectorySeparator(path))
        {
            throw new OptionException(option, $"{path} is a directory; name a file in it.");
        }

        string directory = Path.GetDirectoryName(full) ?? ".";
        return Directory.Exists(directory) ? path : throw new OptionException(option, $"directory {directory} does not exist.");
    }

    /// <summary>
    /// A grid value for an option of type <paramref name="type"/> (<see langword="null"/>: unknown): a non-negative
    /// integer for <see cref="uint"/>, an integer for <see cref="long"/>, <c>RxC</c> or <c>N</c> (a square) for a
    /// (rows, columns) pair as <c>--cell</c> reads it; otherwise as <see cref="GridValue(string)"/>.
    /// </summary>
    /// <exception cref="OptionException">The text is not a value of that type.</exception>
    public static object GridValue(string name, string text, Type? type)
    {
        if (type == typeof(uint))
        {
            return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint u)
                ? u
                : throw new OptionException("--grid", $"{name}={text}: expected an integer from 0 to {uint.MaxValue}.");
        }

        if (type == typeof(long))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)
                ? l
                : throw new OptionException("--grid", $"{name}={text}: expected an integer.");
        }

        if (type == typeof((int, int)))
        {
            (int rows, int columns) = Size("--grid", text);
            return (rows, columns);
        }

        return GridValue(text);
    }

    /// <summary>A grid value: integer, floating-point, true/false, otherwise the text (enum names such as <c>newton-cg</c>).</summary>
    public static object GridValue(string text)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i))
        {
            return i;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return d;
        }

        return bool.TryParse(text, out bool b) ? b : text;
    }

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1;

    private static bool TryInt(string text, int fallback, out int value)
    {
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
