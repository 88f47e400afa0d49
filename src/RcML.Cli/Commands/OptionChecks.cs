using System.CommandLine;
using System.Globalization;

namespace RcML.Cli.Commands;

/// <summary>Range and path checks on options, reported by the parser as one line naming the option, the value and what is expected.</summary>
internal static class OptionChecks
{
    /// <summary>The value must be at least <paramref name="min"/>.</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, T min) where T : struct, IComparable<T>, IFormattable =>
        option.Check(v => v.CompareTo(min) >= 0, $"at least {Text(min)}");

    /// <summary>When given, the value must be above <paramref name="min"/>.</summary>
    public static Option<T?> Above<T>(this Option<T?> option, T min) where T : struct, IComparable<T>, IFormattable
    {
        option.Validators.Add(result =>
        {
            if (Parsed<T?>(result, out var value) && value is { } v && v.CompareTo(min) <= 0)
                result.AddError($"{option.Name}: {Text(v)} is out of range; expected more than {Text(min)}.");
        });
        return option;
    }

    /// <summary>When given, the value must be at least <paramref name="min"/>.</summary>
    public static Option<T?> AtLeast<T>(this Option<T?> option, T min) where T : struct, IComparable<T>, IFormattable
    {
        option.Validators.Add(result =>
        {
            if (Parsed<T?>(result, out var value) && value is { } v && v.CompareTo(min) < 0)
                result.AddError($"{option.Name}: {Text(v)} is out of range; expected at least {Text(min)}.");
        });
        return option;
    }

    /// <summary>A fraction strictly between 0 and 1 (or also 0 when <paramref name="allowZero"/>).</summary>
    public static Option<double> Fraction(this Option<double> option, bool allowZero = false) =>
        option.Check(v => (allowZero ? v >= 0 : v > 0) && v < 1, allowZero ? "a fraction in [0, 1)" : "a fraction between 0 and 1 (exclusive)");

    /// <summary>The value must satisfy <paramref name="valid"/>; otherwise the error names <paramref name="expected"/>.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, bool> valid, string expected)
    {
        option.Validators.Add(result =>
        {
            if (Parsed<T>(result, out var value) && value is not null && !valid(value))
                result.AddError($"{option.Name}: {Text(value)} is out of range; expected {expected}.");
        });
        return option;
    }

    /// <summary>A file to write: not an existing folder.</summary>
    public static Option<T> OutputFile<T>(this Option<T> option) where T : class?
    {
        option.Validators.Add(result =>
        {
            if (!Parsed<T>(result, out var value) || value is not string path || path.Length == 0) return;
            if (Directory.Exists(path))
                result.AddError($"{option.Name}: '{path}' is a folder; expected a file path to write.");
        });
        return option;
    }

    /// <summary>The option's value; false when its text did not parse (the parser reports that error itself).</summary>
    private static bool Parsed<T>(System.CommandLine.Parsing.OptionResult result, out T? value)
    {
        try { value = result.GetValueOrDefault<T>(); return true; }
        catch (InvalidOperationException) { value = default; return false; }
    }

    private static string Text<T>(T value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : $"{value}";
}
