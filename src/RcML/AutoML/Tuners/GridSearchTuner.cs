namespace RcML.AutoML;

/// <summary>
/// Grid search: each numeric option takes <c>stepsPerNumeric</c> evenly spaced values in its (log) range, each categorical
/// all its choices; inactive conditional options are not expanded, so no grid point repeats. Cycles when exhausted.
/// </summary>
public sealed class GridSearchTuner : TunerBase
{
    private readonly int _steps;
    private IEnumerator<Parameter> _grid;

    /// <summary>Creates a grid search; <paramref name="shuffle"/> visits the grid in a seeded random order (needs the grid in memory).</summary>
    public GridSearchTuner(SearchSpace searchSpace, int stepsPerNumeric = 5, int seed = 0, bool shuffle = false) : base(searchSpace, seed)
    {
        if (stepsPerNumeric < 2) throw new ArgumentOutOfRangeException(nameof(stepsPerNumeric), "At least 2 steps (both ends).");
        _steps = stepsPerNumeric;
        Shuffle = shuffle;
        _grid = NewPass();
    }

    /// <summary>Whether the grid is visited in a random order.</summary>
    public bool Shuffle { get; }

    /// <summary>All grid points, lazily, in lexicographic order (earlier options vary slowest).</summary>
    public IEnumerable<Parameter> Enumerate() => Expand(0, new Dictionary<string, object>(StringComparer.Ordinal));

    private IEnumerable<Parameter> Expand(int i, Dictionary<string, object> values)
    {
        var options = SearchSpace.Options;
        if (i == options.Count) { yield return new Parameter(values); yield break; }
        var o = options[i];
        if (!SearchSpace.IsActive(o, values))
        {
            foreach (var p in Expand(i + 1, values)) yield return p;
            yield break;
        }
        foreach (var v in Levels(o))
        {
            values[o.Name] = v;
            foreach (var p in Expand(i + 1, values)) yield return p;
        }
        values.Remove(o.Name);
    }

    private IEnumerable<object> Levels(OptionBase o) =>
        o is ChoiceOption c ? c.Choices : Enumerable.Range(0, _steps).Select(k => o.FromUnit(k / (_steps - 1.0))).Distinct();

    private IEnumerator<Parameter> NewPass()
    {
        if (!Shuffle) return Enumerate().GetEnumerator();
        var all = Enumerate().ToArray();
        Random.Shuffle(all);
        return ((IEnumerable<Parameter>)all).GetEnumerator();
    }

    /// <inheritdoc/>
    protected override Parameter ProposeCore(TrialSettings settings)
    {
        if (!_grid.MoveNext())
        {
            _grid = NewPass();
            if (!_grid.MoveNext()) return SearchSpace.Default;
        }
        return _grid.Current;
    }
}
