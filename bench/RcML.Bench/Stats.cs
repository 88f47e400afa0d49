using System.Globalization;
using System.Text.Json.Nodes;

namespace RcML.Bench;

public static class Stats
{
    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    public static double Quantile(IEnumerable<double> values, double q)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        double pos = q * (v.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    /// <summary>Median, min, max, quartiles as a JSON object.</summary>
    public static JsonObject Summary(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return new JsonObject
        {
            ["median"] = J(Median(v)), ["q25"] = J(Quantile(v, 0.25)), ["q75"] = J(Quantile(v, 0.75)),
            ["min"] = J(v.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min()),
            ["max"] = J(v.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max()), ["n"] = v.Length,
        };
    }

    /// <summary>A finite double as a rounded JSON number, NaN/inf as null.</summary>
    public static JsonNode? J(double x) => double.IsFinite(x) ? JsonValue.Create(double.Parse(x.ToString("G7", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : null;

    public static JsonArray Arr(IEnumerable<double> values) => new(values.Select(J).ToArray());
}
