using System.Globalization;
using System.Text.Json.Nodes;

namespace RcML.AutoML;

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
