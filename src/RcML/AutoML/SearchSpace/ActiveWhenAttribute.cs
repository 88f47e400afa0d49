namespace RcML.AutoML;

/// <summary>
/// Makes the property it decorates conditional: the parameter is active only when the sibling property
/// <see cref="Parent"/> is active and has one of <see cref="Values"/>, or (numeric parent) lies in [<see cref="Min"/>, <see cref="Max"/>].
/// Combine with Microsoft.ML.SearchSpace's Range/Choice/BooleanChoice/NestOption attributes.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = true)]
public sealed class ActiveWhenAttribute : Attribute
{
    /// <summary>Active when <paramref name="parent"/> (a sibling property name) has one of <paramref name="values"/>; with no values, set <see cref="Min"/>/<see cref="Max"/>.</summary>
    public ActiveWhenAttribute(string parent, params object[] values) { Parent = parent; Values = values; }
    /// <summary>Sibling property (or parameter) name of the parent.</summary>
    public string Parent { get; }
    /// <summary>Allowed parent values (empty for a numeric range).</summary>
    public object[] Values { get; }
    /// <summary>Inclusive lower bound for a numeric parent.</summary>
    public double Min { get; set; } = double.NegativeInfinity;
    /// <summary>Inclusive upper bound for a numeric parent.</summary>
    public double Max { get; set; } = double.PositiveInfinity;

    internal Condition ToCondition(string parentName) =>
        Values.Length > 0 ? Condition.In(parentName, Values) : Condition.Between(parentName, Min, Max);
}
