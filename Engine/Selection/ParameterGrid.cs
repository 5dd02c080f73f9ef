using FashionCore.Internals;

namespace FashionCore.Selection;

/// <summary>
/// The candidates of a grid, in scikit-learn's <c>ParameterGrid</c> order: for each grid (dictionary) in turn, its keys
/// sorted (ordinal, as Python sorts strings, so <c>"C"</c> &lt; <c>"a"</c>), Cartesian product with the last key varying
/// fastest, values in the given order.
/// </summary>
public sealed class ParameterGrid : IReadOnlyList<ParameterSet>
{
    private readonly ParameterSet[] _candidates;

    /// <summary>One grid.</summary>
    /// <param name="grid">Option path → values to try. An empty dictionary yields one candidate that sets nothing.</param>
    /// <exception cref="ArgumentException">A value list is null or empty.</exception>
    public ParameterGrid(IReadOnlyDictionary<string, IReadOnlyList<object?>> grid)
        : this([grid])
    {
    }

    /// <summary>Several grids, explored one after another (sklearn's list of dicts).</summary>
    /// <param name="grids">The grids.</param>
    /// <exception cref="ArgumentException">No grids, a null grid, or a value list that is null or empty.</exception>
    public ParameterGrid(IEnumerable<IReadOnlyDictionary<string, IReadOnlyList<object?>>> grids)
    {
        ArgumentNullException.ThrowIfNull(grids);
        List<ParameterSet> candidates = [];
        int gridCount = 0;
        foreach (IReadOnlyDictionary<string, IReadOnlyList<object?>> grid in grids)
        {
            gridCount++;
            if (grid is null)
            {
                ThrowHelper.ThrowArgument("A grid must not be null.", nameof(grids));
            }

            string[] keys = [.. grid.Keys];
            Array.Sort(keys, StringComparer.Ordinal);
            foreach (string key in keys)
            {
                if (grid[key] is not { Count: > 0 })
                {
                    ThrowHelper.ThrowArgument($"Parameter grid for '{key}' must be a non-empty list of values.", nameof(grids));
                }
            }

            int[] index = new int[keys.Length];
            while (true)
            {
                KeyValuePair<string, object?>[] pairs = new KeyValuePair<string, object?>[keys.Length];
                for (int k = 0; k < keys.Length; k++)
                {
                    pairs[k] = new(keys[k], grid[keys[k]][index[k]]);
                }

                candidates.Add(new ParameterSet(pairs));
                int d = keys.Length - 1;
                while (d >= 0 && ++index[d] == grid[keys[d]].Count)
                {
                    index[d] = 0;
                    d--;
                }

                if (d < 0)
                {
                    break;
                }
            }
        }

        if (gridCount == 0)
        {
            ThrowHelper.ThrowArgument("At least one grid is needed.", nameof(grids));
        }

        _candidates = [.. candidates];
    }

    /// <inheritdoc/>
    public int Count => _candidates.Length;

    /// <inheritdoc/>
    public ParameterSet this[int index] => _candidates[index];

    /// <inheritdoc/>
    public IEnumerator<ParameterSet> GetEnumerator() => ((IEnumerable<ParameterSet>)_candidates).GetEnumerator();

    /// <inheritdoc/>
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
