using FashionCore.Selection;

namespace FashionCore.Tests.Selection;

public class ParameterGridTests
{
    [Test]
    public void Constructor_TwoKeys_SortedKeysLastFastest()
    {
        // sklearn: list(ParameterGrid({'logreg__solver': ['saga', 'newton-cg'], 'logreg__C': [0.1, 1, 10]}))
        // -> keys sorted ('logreg__C' < 'logreg__solver'), solver varies fastest.
        ParameterGrid grid = new(new Dictionary<string, IReadOnlyList<object?>>
        {
            ["logreg__solver"] = ["saga", "newton-cg"],
            ["logreg__C"] = [0.1, 1, 10],
        });

        Assert.That(grid.Select(p => p.ToString()), Is.EqualTo(new[]
        {
            "{'logreg__C': 0.1, 'logreg__solver': 'saga'}",
            "{'logreg__C': 0.1, 'logreg__solver': 'newton-cg'}",
            "{'logreg__C': 1, 'logreg__solver': 'saga'}",
            "{'logreg__C': 1, 'logreg__solver': 'newton-cg'}",
            "{'logreg__C': 10, 'logreg__solver': 'saga'}",
            "{'logreg__C': 10, 'logreg__solver': 'newton-cg'}",
        }));
    }

    [Test]
    public void Constructor_UppercaseSortsBeforeLowercase_LikePython()
    {
        ParameterGrid grid = new(new Dictionary<string, IReadOnlyList<object?>> { ["a"] = [1], ["C"] = [2, 3] });

        Assert.That(grid[0].Select(p => p.Key), Is.EqualTo(new[] { "C", "a" }));
        Assert.That(grid.Count, Is.EqualTo(2));
    }

    [Test]
    public void Constructor_ListOfGrids_ConcatenatesInOrder()
    {
        ParameterGrid grid = new([
            new Dictionary<string, IReadOnlyList<object?>> { ["x"] = [1, 2] },
            new Dictionary<string, IReadOnlyList<object?>>(),
            new Dictionary<string, IReadOnlyList<object?>> { ["y"] = ["a"] },
        ]);

        Assert.That(grid.Select(p => p.ToString()), Is.EqualTo(new[] { "{'x': 1}", "{'x': 2}", "{}", "{'y': 'a'}" }));
    }

    [Test]
    public void Constructor_EmptyValueList_Throws()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new ParameterGrid(new Dictionary<string, IReadOnlyList<object?>> { ["nc.shrink_threshold"] = [] }))!;

        Assert.That(e.Message, Does.Contain("nc.shrink_threshold"));
    }
}
