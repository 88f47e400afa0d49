using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RcML.AutoML;

/// <summary>
/// One point of a search space: a read-only map from parameter name to value (double, int, string or bool).
/// Inactive conditional parameters are simply absent. Serializes to a flat JSON object.
/// </summary>
[JsonConverter(typeof(ParameterJsonConverter))]
public sealed class Parameter : IReadOnlyDictionary<string, object>, IEquatable<Parameter>
{
    private readonly SortedDictionary<string, object> _values;

    /// <summary>The empty parameter set.</summary>
    public static Parameter Empty { get; } = new(new Dictionary<string, object>());

    /// <summary>Creates a parameter set from name/value pairs; values must be double, float, int, long, string or bool.</summary>
    public Parameter(IEnumerable<KeyValuePair<string, object>> values)
    {
        _values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (k, v) in values) _values[k] = Normalize(v);
    }

    /// <summary>Value of a parameter; throws when absent.</summary>
    public object this[string key] => _values[key];
    /// <summary>Parameter names, in ordinal order.</summary>
    public IEnumerable<string> Keys => _values.Keys;
    /// <summary>Parameter values, in key order.</summary>
    public IEnumerable<object> Values => _values.Values;
    /// <summary>Number of (active) parameters.</summary>
    public int Count => _values.Count;
    /// <summary>Whether the parameter is present (active).</summary>
    public bool ContainsKey(string key) => _values.ContainsKey(key);
    /// <summary>Looks a parameter up.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out object value) => _values.TryGetValue(key, out value);
    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A numeric parameter as double.</summary>
    public double GetDouble(string key) => Convert.ToDouble(_values[key], CultureInfo.InvariantCulture);
    /// <summary>A numeric parameter as int.</summary>
    public int GetInt(string key) => Convert.ToInt32(_values[key], CultureInfo.InvariantCulture);
    /// <summary>A string parameter.</summary>
    public string GetString(string key) => (string)_values[key];
    /// <summary>A bool parameter.</summary>
    public bool GetBool(string key) => (bool)_values[key];

    /// <summary>A copy with one value set (or added).</summary>
    public Parameter With(string key, object value)
    {
        var d = new Dictionary<string, object>(_values) { [key] = value };
        return new Parameter(d);
    }

    /// <summary>Serializes to a flat JSON object. Doubles always carry a '.' or exponent so they read back as doubles.</summary>
    public string ToJson(bool indented = false) => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = indented });

    /// <summary>Reads a parameter set written by <see cref="ToJson"/>.</summary>
    public static Parameter FromJson(string json) => JsonSerializer.Deserialize<Parameter>(json) ?? Empty;

    /// <inheritdoc/>
    public bool Equals(Parameter? other)
    {
        if (other is null || other.Count != Count) return false;
        foreach (var (k, v) in _values)
            if (!other._values.TryGetValue(k, out var o) || !ValueEquals(v, o)) return false;
        return true;
    }
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Parameter p && Equals(p);
    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var (k, v) in _values) { h.Add(k); h.Add(v); }
        return h.ToHashCode();
    }
    /// <inheritdoc/>
    public override string ToString() => ToJson();

    internal static bool ValueEquals(object a, object b) => a.GetType() == b.GetType() && a.Equals(b);

    // One canonical CLR type per JSON kind, so equality and JSON round trips are exact.
    internal static object Normalize(object v) => v switch
    {
        double or int or string or bool => v,
        float f => (double)f,
        long l => checked((int)l),
        short s => (int)s,
        byte b => (int)b,
        decimal m => (double)m,
        Enum e => e.ToString(),
        _ => throw new ArgumentException($"Unsupported parameter value type {v.GetType()}."),
    };

    internal static void WriteValue(Utf8JsonWriter w, object v)
    {
        switch (v)
        {
            case double d:
                if (!double.IsFinite(d)) { w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break; }
                var s = d.ToString("R", CultureInfo.InvariantCulture);
                if (!s.Contains('.') && !s.Contains('E')) s += ".0";
                w.WriteRawValue(s);
                break;
            case int i: w.WriteNumberValue(i); break;
            case string str: w.WriteStringValue(str); break;
            case bool b: w.WriteBooleanValue(b); break;
            default: throw new JsonException($"Unsupported parameter value {v}.");
        }
    }

    internal static object ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => IsIntegerLiteral(e.GetRawText()) && e.TryGetInt32(out var i) ? (object)i : e.GetDouble(),
        _ => throw new JsonException($"Unsupported parameter JSON value {e.ValueKind}."),
    };

    private static bool IsIntegerLiteral(string raw) => raw.IndexOfAny(['.', 'e', 'E']) < 0;
}
