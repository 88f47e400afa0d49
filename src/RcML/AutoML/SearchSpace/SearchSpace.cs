using System.Text.Json;
using System.Text.Json.Nodes;

namespace RcML.AutoML;

/// <summary>
/// A search space: an ordered list of options (parents before their conditional children).
/// The feature space is the unit hypercube with one coordinate per option (<see cref="FeatureSpaceDim"/>);
/// coordinates of inactive options are ignored on the way back and written as 0.5 on the way in.
/// </summary>
public class SearchSpace
{
    private readonly List<OptionBase> _options = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>The options, parents before children.</summary>
    public IReadOnlyList<OptionBase> Options => _options;
    /// <summary>Dimension of the unit-hypercube encoding (one per option).</summary>
    public int FeatureSpaceDim => _options.Count;
    /// <summary>An option by name.</summary>
    public OptionBase this[string name] => _options[_index[name]];
    /// <summary>Position of an option in <see cref="Options"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Adds an option; the parents of its conditions must already be in the space.</summary>
    public SearchSpace Add(OptionBase option, Condition? when = null)
    {
        if (_index.ContainsKey(option.Name)) throw new ArgumentException($"Duplicate option '{option.Name}'.");
        if (when is not null) option.AddCondition(when);
        foreach (var c in option.Conditions)
            if (!_index.ContainsKey(c.Parent)) throw new ArgumentException($"{option.Name}: parent '{c.Parent}' must be added first.");
        _index[option.Name] = _options.Count;
        _options.Add(option);
        return this;
    }

    /// <summary>Adds a real option, log-uniform when <paramref name="log"/> is set.</summary>
    public SearchSpace AddFloat(string name, double min, double max, bool log = false, double? defaultValue = null, Condition? when = null) =>
        Add(new UniformDoubleOption(name, min, max, log, defaultValue), when);

    /// <summary>Adds an integer option, log-uniform when <paramref name="log"/> is set.</summary>
    public SearchSpace AddInt(string name, int min, int max, bool log = false, int? defaultValue = null, Condition? when = null) =>
        Add(new UniformIntOption(name, min, max, log, defaultValue), when);

    /// <summary>Adds a categorical option over strings, numbers or bools.</summary>
    public SearchSpace AddChoice(string name, IEnumerable<object> choices, object? defaultValue = null, Condition? when = null) =>
        Add(new ChoiceOption(name, choices, defaultValue), when);

    /// <summary>Adds a boolean option.</summary>
    public SearchSpace AddBool(string name, bool defaultValue = false, Condition? when = null) =>
        Add(new ChoiceOption(name, [false, true], defaultValue), when);

    /// <summary>
    /// Adds a nested space: its options are added as "<paramref name="name"/>.child", with their conditions
    /// re-pointed to the prefixed names, and all made conditional on <paramref name="when"/> if given.
    /// </summary>
    public SearchSpace AddSpace(string name, SearchSpace nested, Condition? when = null)
    {
        var prefix = name + ".";
        foreach (var o in nested.Options)
        {
            var copy = o.CloneWithName(prefix + o.Name);
            foreach (var c in o.Conditions) copy.AddCondition(c.WithPrefix(prefix));
            if (when is not null) copy.AddCondition(when);
            Add(copy);
        }
        return this;
    }

    // Options come parents-first, so one forward pass decides activity.
    internal static bool IsActive(OptionBase o, IReadOnlyDictionary<string, object> values)
    {
        foreach (var c in o.Conditions)
            if (!values.TryGetValue(c.Parent, out var pv) || !c.IsSatisfiedBy(pv)) return false;
        return true;
    }

    /// <summary>Decodes a point of the unit hypercube (length <see cref="FeatureSpaceDim"/>) into a parameter set.</summary>
    public Parameter SampleFromFeatureSpace(double[] feature)
    {
        if (feature.Length != FeatureSpaceDim) throw new ArgumentException($"Expected {FeatureSpaceDim} coordinates, got {feature.Length}.");
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < _options.Count; i++)
            if (IsActive(_options[i], values)) values[_options[i].Name] = _options[i].FromUnit(feature[i]);
        return new Parameter(values);
    }

    /// <summary>Encodes a parameter set as a point of the unit hypercube; inactive options get 0.5.</summary>
    public double[] MappingToFeatureSpace(Parameter parameter)
    {
        var u = new double[FeatureSpaceDim];
        for (var i = 0; i < _options.Count; i++)
            u[i] = parameter.TryGetValue(_options[i].Name, out var v) ? _options[i].ToUnit(v) : 0.5;
        return u;
    }

    /// <summary>Keeps the active entries of a full assignment (e.g. every property of an options object).</summary>
    internal Parameter KeepActive(IReadOnlyDictionary<string, object> all)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var o in _options)
            if (IsActive(o, values) && all.TryGetValue(o.Name, out var v)) values[o.Name] = Parameter.Normalize(v);
        return new Parameter(values);
    }

    /// <summary>A mask of the options active in a parameter set.</summary>
    public bool[] ActiveMask(Parameter parameter) => _options.Select(o => parameter.ContainsKey(o.Name)).ToArray();

    /// <summary>Samples a parameter set uniformly in the feature space.</summary>
    public Parameter Sample(Random random)
    {
        var u = new double[FeatureSpaceDim];
        for (var i = 0; i < u.Length; i++) u[i] = random.NextDouble();
        return SampleFromFeatureSpace(u);
    }

    /// <summary>The parameter set made of every active option's default.</summary>
    public Parameter Default
    {
        get
        {
            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var o in _options) if (IsActive(o, values)) values[o.Name] = o.Default;
            return new Parameter(values);
        }
    }

    /// <summary>Whether a parameter set has exactly the active options of this space, each with a valid value.</summary>
    public bool IsValid(Parameter parameter)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var o in _options)
        {
            var active = IsActive(o, values);
            var present = parameter.TryGetValue(o.Name, out var v);
            if (active != present) return false;
            if (!present) continue;
            if (!o.IsValid(v!)) return false;
            values[o.Name] = v!;
        }
        return parameter.Count == values.Count;
    }

    /// <summary>Serializes the space (options, ranges, defaults, conditions) to JSON.</summary>
    public string ToJson(bool indented = false)
    {
        var root = new JsonObject { ["options"] = new JsonArray(_options.Select(o => (JsonNode)o.ToJson()).ToArray()) };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });
    }

    /// <summary>Reads a space written by <see cref="ToJson"/>.</summary>
    public static SearchSpace FromJson(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("Empty search space JSON.");
        var space = new SearchSpace();
        foreach (var n in (JsonArray)root["options"]!) space.Add(OptionBase.FromJson((JsonObject)n!));
        return space;
    }
}
