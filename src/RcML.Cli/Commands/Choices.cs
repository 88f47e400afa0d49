using System.CommandLine;

namespace RcML.Cli.Commands;

/// <summary>
/// Options whose value is one of a fixed set of names, as users type them: help and shell completion list the names,
/// any case is accepted, and a wrong value gets one line naming the option and every accepted value.
/// </summary>
internal static class Choices
{
    /// <summary>A string option whose value is one of <paramref name="values"/> (returned as spelled there).</summary>
    public static Option<string> Of(string name, string description, string defaultValue, IReadOnlyCollection<string> values)
    {
        var option = Create(name, description, values);
        option.DefaultValueFactory = _ => defaultValue;
        return option;
    }

    /// <summary>A string option that must be given, with a value among <paramref name="values"/> (returned as spelled there).</summary>
    public static Option<string> Required(string name, string description, IReadOnlyCollection<string> values)
    {
        var option = Create(name, description, values);
        option.Required = true;
        return option;
    }

    private static Option<string> Create(string name, string description, IReadOnlyCollection<string> values)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join("|", values),
            CustomParser = result => Match(result, name, values),
        };
        option.CompletionSources.Add(values.ToArray());
        return option;
    }

    /// <summary>An enum option; its values are the enum's names in lower case.</summary>
    public static Option<T> Of<T>(string name, string description, T defaultValue) where T : struct, Enum
    {
        var values = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray();
        var option = new Option<T>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = string.Join("|", values),
            CustomParser = result => Match(result, name, values) is { } text ? Enum.Parse<T>(text, ignoreCase: true) : default,
        };
        option.CompletionSources.Add(values);
        return option;
    }

    private static string? Match(System.CommandLine.Parsing.ArgumentResult result, string name, IReadOnlyCollection<string> values)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        var match = values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));
        if (match is null) result.AddError($"{name}: '{text}' is not one of {string.Join(", ", values)}.");
        return match;
    }
}
