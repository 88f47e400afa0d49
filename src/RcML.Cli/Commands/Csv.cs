namespace RcML.Cli.Commands;

/// <summary>CSV field quoting.</summary>
internal static class Csv
{
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
