using System.Globalization;
using System.Text.Json.Nodes;

namespace RcML.AutoML;

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
