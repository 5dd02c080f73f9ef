using System.Globalization;
using System.Text;

namespace FashionCore.Selection;

/// <summary>One grid-search candidate: option paths and values in the grid's (sorted) key order — sklearn's <c>params</c> entry.</summary>
public sealed class ParameterSet : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _items;

    /// <summary>Wraps the pairs, keeping their order.</summary>
    /// <param name="items">Option paths and values.</param>
    public ParameterSet(IEnumerable<KeyValuePair<string, object?>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => _items[index];

    /// <summary>Whether the candidate sets <paramref name="path"/> (exact, ordinal), and its value.</summary>
    /// <param name="path">The option path as written in the grid.</param>
    /// <param name="value">The value, if set.</param>
    /// <returns>Whether it is set.</returns>
    public bool TryGetValue(string path, out object? value)
    {
        foreach (KeyValuePair<string, object?> pair in _items)
        {
            if (pair.Key == path)
            {
                value = pair.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_items).GetEnumerator();

    /// <inheritdoc/>
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Python-dict-like text, e.g. <c>{'logreg.C': 0.1, 'logreg.Solver': Saga}</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        StringBuilder sb = new("{");
        for (int i = 0; i < _items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append('\'').Append(_items[i].Key).Append("': ").Append(FormatValue(_items[i].Value));
        }

        return sb.Append('}').ToString();
    }

    internal static string FormatValue(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
