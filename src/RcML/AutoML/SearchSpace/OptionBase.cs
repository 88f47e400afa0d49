using System.Text.Json;
using System.Text.Json.Nodes;

namespace RcML.AutoML;

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
