using System.Globalization;
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
