namespace RcML.Data;

/// <summary>
/// Input data that RcML cannot use, with the place it was found: file, 1-based line, column name,
/// and what was expected there.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>The file that holds the bad input.</summary>
    public string File { get; }
    /// <summary>1-based line number in the file, or null where the problem is not one line's.</summary>
    public int? Line { get; }
    /// <summary>The column's name, or null where the problem is not one column's.</summary>
    public string? Column { get; }

    /// <summary>Creates the error; the message is prefixed with "file:line: column 'c':".</summary>
    public DataFormatException(string file, int? line, string? column, string problem)
        : base(Format(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
    }

    private static string Format(string file, int? line, string? column, string problem)
    {
        var where = line is null ? file : $"{file}:{line}";
        return column is null ? $"{where}: {problem}" : $"{where}: column '{column}': {problem}";
    }
}
