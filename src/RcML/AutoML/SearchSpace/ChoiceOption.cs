using System.Text.Json.Nodes;

namespace RcML.AutoML;

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
