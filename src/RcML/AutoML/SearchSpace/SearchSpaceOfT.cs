using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;

namespace RcML.AutoML;

/// <summary>
/// A search space built from the attributes of an options class, like ML.NET AutoML's SearchSpace&lt;T&gt;:
/// Microsoft.ML.SearchSpace's <see cref="RangeAttribute"/>, <see cref="ChoiceAttribute"/>, <see cref="BooleanChoiceAttribute"/>
/// and <see cref="NestOptionAttribute"/>, plus <see cref="ActiveWhenAttribute"/> for conditionals.
/// A parameter is named by its [JsonPropertyName] if present, else by the property name; nested ones as "outer.inner".
/// </summary>
public sealed class SearchSpace<T> : SearchSpace where T : class, new()
{
    /// <summary>Builds the space from <typeparamref name="T"/>'s attributes; defaults come from the attribute or else from <c>new T()</c>.</summary>
    public SearchSpace() => AddProperties(typeof(T), "", null);

    private void AddProperties(Type type, string prefix, Condition? inherited)
    {
        var template = Activator.CreateInstance(type);
        var props = Tunable(type).ToList();
        var nameOf = props.ToDictionary(p => p.Name, p => prefix + ParameterName(p));
        var pending = props.ToList();
        // Add parents before children whatever the declaration order.
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(p => p.GetCustomAttributes<ActiveWhenAttribute>().All(a => IndexOf(Resolve(a.Parent, nameOf, prefix)) >= 0))
                ?? throw new InvalidOperationException($"{type.Name}: conditional parents form a cycle or are missing.");
            pending.Remove(ready);
            var conditions = ready.GetCustomAttributes<ActiveWhenAttribute>().Select(a => a.ToCondition(Resolve(a.Parent, nameOf, prefix))).ToList();
            if (inherited is not null) conditions.Add(inherited);
            var name = nameOf[ready.Name];
            if (ready.GetCustomAttribute<NestOptionAttribute>() is not null)
            {
                if (conditions.Count > 1) throw new NotSupportedException($"{name}: a nested option takes at most one condition.");
                AddProperties(ready.PropertyType, name + ".", conditions.FirstOrDefault());
                continue;
            }
            var option = CreateOption(ready, name, ready.GetValue(template));
            foreach (var c in conditions) option.AddCondition(c);
            Add(option);
        }
    }

    private static string Resolve(string parent, Dictionary<string, string> nameOf, string prefix) =>
        nameOf.TryGetValue(parent, out var n) ? n : prefix + parent;

    private static IEnumerable<PropertyInfo> Tunable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && (p.IsDefined(typeof(RangeAttribute)) || p.IsDefined(typeof(ChoiceAttribute))
                || p.IsDefined(typeof(BooleanChoiceAttribute)) || p.IsDefined(typeof(NestOptionAttribute))))
            .OrderBy(p => p.MetadataToken);

    private static string ParameterName(PropertyInfo p) => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name;

    private static OptionBase CreateOption(PropertyInfo p, string name, object? current)
    {
        if (p.GetCustomAttribute<RangeAttribute>() is { } r)
        {
            var isInt = r.Min is int || p.PropertyType == typeof(int);
            if (isInt)
            {
                int min = Convert.ToInt32(r.Min, CultureInfo.InvariantCulture), max = Convert.ToInt32(r.Max, CultureInfo.InvariantCulture);
                int? init = r.Init is not null ? Convert.ToInt32(r.Init, CultureInfo.InvariantCulture)
                    : current is int c && c >= min && c <= max ? c : null;
                return new UniformIntOption(name, min, max, r.LogBase, init);
            }
            double dmin = Convert.ToDouble(r.Min, CultureInfo.InvariantCulture), dmax = Convert.ToDouble(r.Max, CultureInfo.InvariantCulture);
            double? dinit = r.Init is not null ? Convert.ToDouble(r.Init, CultureInfo.InvariantCulture)
                : current is double or float && Convert.ToDouble(current, CultureInfo.InvariantCulture) is var d && d >= dmin && d <= dmax ? d : null;
            return new UniformDoubleOption(name, dmin, dmax, r.LogBase, dinit);
        }
        if (p.GetCustomAttribute<ChoiceAttribute>() is { } ch)
        {
            var choice = new ChoiceOption(name, ch.Candidates, ch.DefaultValue ?? FirstOrCurrent(ch.Candidates, current));
            return choice;
        }
        var b = p.GetCustomAttribute<BooleanChoiceAttribute>()!;
        return new ChoiceOption(name, [false, true], b.DefaultValue);
    }

    private static object? FirstOrCurrent(object[] candidates, object? current)
    {
        if (current is null) return null;
        var v = current is Enum e ? e.ToString() : current;
        return candidates.Any(c => Equals(Parameter.Normalize(c), Parameter.Normalize(v))) ? v : null;
    }

    /// <summary>Creates a <typeparamref name="T"/> with the parameter set's values; inactive properties keep their defaults from <c>new T()</c>.</summary>
    public T ToOptions(Parameter parameter) => (T)Fill(typeof(T), "", parameter);

    private static object Fill(Type type, string prefix, Parameter parameter)
    {
        var target = Activator.CreateInstance(type)!;
        foreach (var p in Tunable(type))
        {
            var name = prefix + ParameterName(p);
            if (p.IsDefined(typeof(NestOptionAttribute))) { p.SetValue(target, Fill(p.PropertyType, name + ".", parameter)); continue; }
            if (parameter.TryGetValue(name, out var v)) p.SetValue(target, ConvertTo(v, p.PropertyType));
        }
        return target;
    }

    private static object ConvertTo(object v, Type t)
    {
        var u = Nullable.GetUnderlyingType(t) ?? t;
        if (u.IsEnum) return Enum.Parse(u, Convert.ToString(v, CultureInfo.InvariantCulture)!, ignoreCase: true);
        if (u == typeof(object)) return v;
        return Convert.ChangeType(v, u, CultureInfo.InvariantCulture);
    }

    /// <summary>The parameter set describing an options object (only its active parameters).</summary>
    public Parameter FromOptions(T options)
    {
        var all = new Dictionary<string, object>(StringComparer.Ordinal);
        Collect(options, "", all);
        return KeepActive(all);
    }

    private static void Collect(object obj, string prefix, Dictionary<string, object> all)
    {
        foreach (var p in Tunable(obj.GetType()))
        {
            var name = prefix + ParameterName(p);
            var v = p.GetValue(obj);
            if (v is null) continue;
            if (p.IsDefined(typeof(NestOptionAttribute))) Collect(v, name + ".", all);
            else all[name] = v is Enum e ? e.ToString() : v;
        }
    }
}
