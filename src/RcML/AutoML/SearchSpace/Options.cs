using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RcML.AutoML;

/// <summary>
/// When a conditional parameter is active: its parent is active and the parent's value is one of
/// <see cref="Values"/>, or (numeric parent) lies within [<see cref="Min"/>, <see cref="Max"/>].
/// </summary>
public sealed class Condition
{
    /// <summary>Name of the parent parameter.</summary>
    public string Parent { get; }
    /// <summary>Allowed parent values, or null for a numeric range condition.</summary>
    public IReadOnlyList<object>? Values { get; }
    /// <summary>Inclusive lower bound on a numeric parent (range condition).</summary>
    public double Min { get; }
    /// <summary>Inclusive upper bound on a numeric parent (range condition).</summary>
    public double Max { get; }

    private Condition(string parent, IReadOnlyList<object>? values, double min, double max)
    {
        Parent = parent; Values = values; Min = min; Max = max;
    }

    /// <summary>Active when the parent equals one of <paramref name="values"/>.</summary>
    public static Condition In(string parent, params object[] values) =>
        new(parent, values.Select(Parameter.Normalize).ToArray(), double.NaN, double.NaN);

    /// <summary>Active when the numeric parent lies in [min, max].</summary>
    public static Condition Between(string parent, double min, double max) => new(parent, null, min, max);

    /// <summary>Active when the numeric parent is at least <paramref name="min"/> (e.g. nodes_3 when layers &gt;= 3).</summary>
    public static Condition AtLeast(string parent, double min) => Between(parent, min, double.PositiveInfinity);

    /// <summary>Whether a value of the parent satisfies this condition.</summary>
    public bool IsSatisfiedBy(object parentValue)
    {
        if (Values is not null) return Values.Any(v => Parameter.ValueEquals(v, parentValue) || NumericEquals(v, parentValue));
        if (parentValue is string or bool) return false;
        var x = Convert.ToDouble(parentValue, CultureInfo.InvariantCulture);
        return x >= Min && x <= Max;
    }

    private static bool NumericEquals(object a, object b) =>
        a is int or double && b is int or double && Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture);

    /// <summary>A copy that refers to <paramref name="prefix"/> + parent (for nested spaces).</summary>
    internal Condition WithPrefix(string prefix) => new(prefix + Parent, Values, Min, Max);

    internal JsonObject ToJson()
    {
        var o = new JsonObject { ["parent"] = Parent };
        if (Values is not null) o["values"] = OptionJson.Array(Values);
        else
        {
            o["min"] = double.IsInfinity(Min) ? null : Min;
            o["max"] = double.IsInfinity(Max) ? null : Max;
        }
        return o;
    }

    internal static Condition FromJson(JsonObject o)
    {
        var parent = (string)o["parent"]!;
        if (o["values"] is JsonArray a) return In(parent, OptionJson.ReadArray(a));
        var min = o["min"] is JsonNode mn ? (double)mn : double.NegativeInfinity;
        var max = o["max"] is JsonNode mx ? (double)mx : double.PositiveInfinity;
        return Between(parent, min, max);
    }
}

/// <summary>
/// One dimension of a search space. Each option maps to exactly one coordinate of the unit hypercube
/// (a categorical option to one coordinate split into equal bins: choice i covers [i/k, (i+1)/k)).
/// </summary>
public abstract class OptionBase
{
    private readonly List<Condition> _conditions = new();

    /// <summary>Creates an option.</summary>
    protected OptionBase(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("Option name is empty.", nameof(name));
        Name = name;
    }

    /// <summary>Parameter name.</summary>
    public string Name { get; }
    /// <summary>Conditions that must all hold for the option to be active; empty for an unconditional option.</summary>
    public IReadOnlyList<Condition> Conditions => _conditions;
    /// <summary>Default value (used as the initial point and by <see cref="SearchSpace.Default"/>).</summary>
    public abstract object Default { get; }
    /// <summary>Number of choices of a categorical option; 0 for numeric options.</summary>
    public virtual int ChoiceCount => 0;

    /// <summary>Maps a value to its coordinate in [0, 1].</summary>
    public abstract double ToUnit(object value);
    /// <summary>Maps a coordinate in [0, 1] (clamped) to a value.</summary>
    public abstract object FromUnit(double u);
    /// <summary>Whether a value is of the right type and in range.</summary>
    public abstract bool IsValid(object value);

    internal void AddCondition(Condition c) => _conditions.Add(c);
    internal abstract OptionBase CloneWithName(string name);
    internal abstract JsonObject ToJsonCore();

    internal JsonObject ToJson()
    {
        var o = ToJsonCore();
        o["name"] = Name;
        if (_conditions.Count > 0) o["when"] = new JsonArray(_conditions.Select(c => (JsonNode)c.ToJson()).ToArray());
        return o;
    }

    internal static OptionBase FromJson(JsonObject o)
    {
        var name = (string)o["name"]!;
        OptionBase opt = (string)o["type"]! switch
        {
            "double" => new UniformDoubleOption(name, (double)o["min"]!, (double)o["max"]!, (bool)o["log"]!, (double)o["default"]!),
            "int" => new UniformIntOption(name, (int)o["min"]!, (int)o["max"]!, (bool)o["log"]!, (int)o["default"]!),
            "choice" => new ChoiceOption(name, OptionJson.ReadArray((JsonArray)o["choices"]!), OptionJson.ReadValue(o["default"]!)),
            var t => throw new JsonException($"Unknown option type '{t}'."),
        };
        if (o["when"] is JsonArray when)
            foreach (var c in when) opt.AddCondition(Condition.FromJson((JsonObject)c!));
        return opt;
    }

    internal static double Clamp01(double u) => double.IsNaN(u) ? 0.5 : Math.Clamp(u, 0.0, 1.0);
}

/// <summary>A real parameter uniform on [Min, Max], or log-uniform when <see cref="LogBase"/> is set.</summary>
public sealed class UniformDoubleOption : OptionBase
{
    /// <summary>Creates a real option; the default is the (geometric, if log) midpoint unless given.</summary>
    public UniformDoubleOption(string name, double min, double max, bool logBase = false, double? defaultValue = null) : base(name)
    {
        if (!(min < max)) throw new ArgumentException($"{name}: min must be < max.");
        if (logBase && min <= 0) throw new ArgumentException($"{name}: a log range needs min > 0.");
        Min = min; Max = max; LogBase = logBase;
        DefaultValue = defaultValue ?? (double)FromUnit(0.5);
        if (!IsValid(DefaultValue)) throw new ArgumentException($"{name}: default {DefaultValue} outside [{min}, {max}].");
    }

    /// <summary>Lower bound.</summary>
    public double Min { get; }
    /// <summary>Upper bound.</summary>
    public double Max { get; }
    /// <summary>Whether the range is searched on a log scale.</summary>
    public bool LogBase { get; }
    /// <summary>Default value.</summary>
    public double DefaultValue { get; }
    /// <inheritdoc/>
    public override object Default => DefaultValue;

    /// <inheritdoc/>
    public override double ToUnit(object value)
    {
        var x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        var u = LogBase ? (Math.Log(x) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) : (x - Min) / (Max - Min);
        return Clamp01(u);
    }

    /// <inheritdoc/>
    public override object FromUnit(double u)
    {
        u = Clamp01(u);
        var x = LogBase ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
        return Math.Clamp(x, Min, Max); // exp/log rounding must not leave the range
    }

    /// <inheritdoc/>
    public override bool IsValid(object value) => value is double d && d >= Min && d <= Max;

    internal override OptionBase CloneWithName(string name) => new UniformDoubleOption(name, Min, Max, LogBase, DefaultValue);
    internal override JsonObject ToJsonCore() => new() { ["type"] = "double", ["min"] = Min, ["max"] = Max, ["log"] = LogBase, ["default"] = DefaultValue };
}

/// <summary>An integer parameter uniform on [Min, Max], or log-uniform (rounded) when <see cref="LogBase"/> is set.</summary>
public sealed class UniformIntOption : OptionBase
{
    /// <summary>Creates an integer option; the default is the (geometric, if log) midpoint unless given.</summary>
    public UniformIntOption(string name, int min, int max, bool logBase = false, int? defaultValue = null) : base(name)
    {
        if (!(min < max)) throw new ArgumentException($"{name}: min must be < max.");
        if (logBase && min <= 0) throw new ArgumentException($"{name}: a log range needs min > 0.");
        Min = min; Max = max; LogBase = logBase;
        DefaultValue = defaultValue ?? (int)FromUnit(0.5);
        if (!IsValid(DefaultValue)) throw new ArgumentException($"{name}: default {DefaultValue} outside [{min}, {max}].");
    }

    /// <summary>Lower bound (inclusive).</summary>
    public int Min { get; }
    /// <summary>Upper bound (inclusive).</summary>
    public int Max { get; }
    /// <summary>Whether the range is searched on a log scale.</summary>
    public bool LogBase { get; }
    /// <summary>Default value.</summary>
    public int DefaultValue { get; }
    /// <inheritdoc/>
    public override object Default => DefaultValue;

    // Linear: Max-Min+1 equal bins, value v sits at its bin centre. Log: rounded log-uniform, value v at log-position of v.
    /// <inheritdoc/>
    public override double ToUnit(object value)
    {
        var v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return LogBase
            ? Clamp01((Math.Log(v) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)))
            : Clamp01((v - Min + 0.5) / (Max - Min + 1.0));
    }

    /// <inheritdoc/>
    public override object FromUnit(double u)
    {
        u = Clamp01(u);
        var v = LogBase
            ? Math.Round(Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))))
            : Min + Math.Floor(u * (Max - Min + 1.0));
        return (int)Math.Clamp(v, Min, Max);
    }

    /// <inheritdoc/>
    public override bool IsValid(object value) => value is int i && i >= Min && i <= Max;

    internal override OptionBase CloneWithName(string name) => new UniformIntOption(name, Min, Max, LogBase, DefaultValue);
    internal override JsonObject ToJsonCore() => new() { ["type"] = "int", ["min"] = Min, ["max"] = Max, ["log"] = LogBase, ["default"] = DefaultValue };
}

/// <summary>A categorical parameter over strings, numbers or bools. Choice i maps to the centre of bin i of k equal bins.</summary>
public sealed class ChoiceOption : OptionBase
{
    /// <summary>Creates a categorical option; the default is the first choice unless given.</summary>
    public ChoiceOption(string name, IEnumerable<object> choices, object? defaultValue = null) : base(name)
    {
        Choices = choices.Select(Parameter.Normalize).ToArray();
        if (Choices.Count == 0) throw new ArgumentException($"{name}: no choices.");
        if (Choices.Distinct().Count() != Choices.Count) throw new ArgumentException($"{name}: duplicate choices.");
        DefaultValue = defaultValue is null ? Choices[0] : Parameter.Normalize(defaultValue);
        if (IndexOf(DefaultValue) < 0) throw new ArgumentException($"{name}: default {defaultValue} is not a choice.");
    }

    /// <summary>The choices, in order.</summary>
    public IReadOnlyList<object> Choices { get; }
    /// <summary>Default choice.</summary>
    public object DefaultValue { get; }
    /// <inheritdoc/>
    public override object Default => DefaultValue;
    /// <inheritdoc/>
    public override int ChoiceCount => Choices.Count;

    /// <summary>Index of a choice, or -1.</summary>
    public int IndexOf(object value)
    {
        var v = Parameter.Normalize(value);
        for (var i = 0; i < Choices.Count; i++) if (Parameter.ValueEquals(Choices[i], v)) return i;
        return -1;
    }

    /// <summary>Choice index for a coordinate in [0, 1].</summary>
    public int IndexFromUnit(double u) => Math.Min(Choices.Count - 1, (int)Math.Floor(Clamp01(u) * Choices.Count));

    /// <inheritdoc/>
    public override double ToUnit(object value)
    {
        var i = IndexOf(value);
        if (i < 0) throw new ArgumentException($"{Name}: {value} is not a choice.");
        return (i + 0.5) / Choices.Count;
    }

    /// <inheritdoc/>
    public override object FromUnit(double u) => Choices[IndexFromUnit(u)];
    /// <inheritdoc/>
    public override bool IsValid(object value) => IndexOf(value) >= 0;

    internal override OptionBase CloneWithName(string name) => new ChoiceOption(name, Choices, DefaultValue);
    internal override JsonObject ToJsonCore() => new() { ["type"] = "choice", ["choices"] = OptionJson.Array(Choices), ["default"] = OptionJson.Value(DefaultValue) };
}

internal static class OptionJson
{
    public static JsonNode Value(object v)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) Parameter.WriteValue(w, v);
        return JsonNode.Parse(buffer.WrittenSpan)!;
    }

    public static JsonArray Array(IEnumerable<object> values) => new(values.Select(v => (JsonNode?)Value(v)).ToArray());

    public static object ReadValue(JsonNode n)
    {
        using var doc = JsonDocument.Parse(n.ToJsonString());
        return Parameter.ReadValue(doc.RootElement);
    }

    public static object[] ReadArray(JsonArray a) => a.Select(n => ReadValue(n!)).ToArray();
}
