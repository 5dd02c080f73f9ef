namespace FashionCore.Internals;

/// <summary>Checks shared by composite estimators: step names are non-empty, unique (ignoring case) and path-safe.</summary>
internal static class StepNames
{
    public static void Validate(IEnumerable<string> names, string paramName)
    {
        HashSet<string> seen = new(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Contains('.', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal))
            {
                ThrowHelper.ThrowArgument($"Step name '{name}' must be non-empty and contain neither '.' nor \"__\".", paramName);
            }

            if (!seen.Add(name))
            {
                ThrowHelper.ThrowArgument($"Step name '{name}' is used twice (names are case-insensitive).", paramName);
            }
        }
    }

    public static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        ThrowHelper.ThrowArgument($"No step is named '{name}'; the steps are: {string.Join(", ", names)}.", nameof(name));
        return -1;
    }
}
