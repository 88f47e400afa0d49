using System.Globalization;
using System.Text;

namespace RcML.Data;

/// <summary>
/// A delimited text table as read from disk: a header and rows of raw fields, each row remembering its line
/// number so errors can point at it. Reads CSV (comma, optional quotes) and PLUMED COLVAR files
/// (<c>#! FIELDS</c> header, whitespace separated).
/// </summary>
public sealed class TextTable
{
    /// <summary>The file it came from.</summary>
    public string File { get; }
    /// <summary>Column names, in file order.</summary>
    public IReadOnlyList<string> Header { get; }
    /// <summary>Rows of raw fields, each as long as the header.</summary>
    public IReadOnlyList<string[]> Rows { get; }
    /// <summary>1-based line number of each row.</summary>
    public IReadOnlyList<int> Lines { get; }

    private TextTable(string file, IReadOnlyList<string> header, List<string[]> rows, List<int> lines)
    {
        File = file;
        Header = header;
        Rows = rows;
        Lines = lines;
    }

    /// <summary>Index of a column, or -1.</summary>
    public int IndexOf(string column) => Header.ToList().IndexOf(column);

    /// <summary>
    /// Parses a field as a finite number within single precision's range (models compute in float32), or throws an
    /// error naming file, line and column.
    /// </summary>
    public double Number(int row, int column, string expected = "a finite number")
    {
        var text = Rows[row][column];
        if (IsNonFiniteWord(text) || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsFinite(value)))
            throw new DataFormatException(File, Lines[row], Header[column],
                $"expected {expected}, found {Shorten(text)} (NaN and infinity are not allowed).");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            throw new DataFormatException(File, Lines[row], Header[column],
                $"expected {expected}, found '{Shorten(text)}'.");
        if (Math.Abs(value) > float.MaxValue)
            throw new DataFormatException(File, Lines[row], Header[column],
                $"expected {expected} within single precision (|x| <= 3.4e38), found {Shorten(text)}.");
        return value;
    }

    /// <summary>
    /// Warnings for values far outside a numeric column's robust range (beyond the quartiles by
    /// <see cref="OutlierReach"/> interquartile ranges), naming the column and the line of the farthest one.
    /// </summary>
    public IReadOnlyList<string> OutlierWarnings(IEnumerable<int> columns)
    {
        var warnings = new List<string>();
        foreach (var c in columns)
        {
            var values = new double[Rows.Count];
            for (int r = 0; r < values.Length; r++) values[r] = Number(r, c);
            if (values.Length < 4) continue;
            var sorted = values.Order().ToArray();
            double q1 = Quantile(sorted, 0.25), q3 = Quantile(sorted, 0.75);
            double spread = q3 - q1 > 0 ? q3 - q1 : Math.Max(Math.Abs(Quantile(sorted, 0.5)), 1);
            double low = q1 - OutlierReach * spread, high = q3 + OutlierReach * spread;
            var far = Enumerable.Range(0, values.Length).Where(r => values[r] < low || values[r] > high).ToList();
            if (far.Count == 0) continue;
            int worst = far.MaxBy(r => Math.Abs(values[r] - (q1 + q3) / 2));
            warnings.Add($"{File}:{Lines[worst]}: column '{Header[c]}': {Rows[worst][c]} is far outside the column's range " +
                         $"(quartiles {q1.ToString("G4", CultureInfo.InvariantCulture)} to {q3.ToString("G4", CultureInfo.InvariantCulture)})" +
                         (far.Count > 1 ? $"; {far.Count} such values" : "") + "; check the data.");
        }
        return warnings;
    }

    /// <summary>How many interquartile ranges beyond the quartiles a value must lie to be called far outside.</summary>
    public const double OutlierReach = 100;

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>True if the field parses as a number (finite or not).</summary>
    public bool IsNumeric(int row, int column) =>
        IsNonFiniteWord(Rows[row][column]) ||
        double.TryParse(Rows[row][column], NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>Spellings of NaN and infinity that other tools (numpy, PLUMED) print.</summary>
    private static bool IsNonFiniteWord(string text) =>
        text.TrimStart('+', '-').ToLowerInvariant() is "nan" or "inf" or "infinity";

    /// <summary>Reads a file, choosing COLVAR when its first line is a <c>#! FIELDS</c> header, CSV otherwise.</summary>
    public static TextTable Read(string path)
    {
        if (Directory.Exists(path))
            throw new DataFormatException(path, null, null, "this is a folder; expected a CSV or PLUMED COLVAR file.");
        if (!System.IO.File.Exists(path))
            throw new DataFormatException(path, null, null, "file not found.");
        using var reader = new StreamReader(path, Encoding.UTF8);
        var first = reader.ReadLine();
        if (first is null)
            throw new DataFormatException(path, null, null, "the file is empty; expected a header line and data rows.");
        return first.StartsWith("#! FIELDS", StringComparison.Ordinal)
            ? ReadColvar(path, first, reader)
            : ReadCsv(path, first, reader);
    }

    private static TextTable ReadCsv(string path, string headerLine, StreamReader reader)
    {
        var header = SplitCsv(headerLine).Select(h => h.Trim()).ToArray();
        if (header.Length == 1 && headerLine.IndexOfAny([';', '\t', '|']) is var at and >= 0)
            throw new DataFormatException(path, 1, null,
                $"the header is one field holding '{(headerLine[at] == '\t' ? "\\t" : headerLine[at].ToString())}'; expected comma-separated fields (CSV), e.g. id,x,n_A,n_B.");
        return ReadRows(path, header, reader, "comma-separated fields as in the header",
            (line, _) => SplitCsv(line).Select(f => f.Trim()).ToArray());
    }

    private static TextTable ReadColvar(string path, string fieldsLine, StreamReader reader)
    {
        var header = ColvarFields(fieldsLine);
        return ReadRows(path, header, reader, "whitespace-separated fields as in '#! FIELDS'", (line, lineNumber) =>
        {
            if (!line.StartsWith('#')) return line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            // PLUMED repeats the FIELDS line on restart; it must agree with the first one.
            if (line.StartsWith("#! FIELDS", StringComparison.Ordinal) && !ColvarFields(line).SequenceEqual(header))
                throw new DataFormatException(path, lineNumber, null, "a later '#! FIELDS' line names other fields than the first.");
            return null;
        });
    }

    private static string[] ColvarFields(string fieldsLine) =>
        fieldsLine["#! FIELDS".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Reads data lines after the header; <paramref name="split"/> returns a line's fields, or null to skip it.</summary>
    private static TextTable ReadRows(string path, string[] header, StreamReader reader, string layout, Func<string, int, string[]?> split)
    {
        CheckHeader(path, header);
        var rows = new List<string[]>();
        var lines = new List<int>();
        int lineNumber = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || split(line, lineNumber) is not { } fields) continue;
            if (fields.Length != header.Length)
                throw new DataFormatException(path, lineNumber, null, $"expected {header.Length} {layout}, found {fields.Length}.");
            rows.Add(fields);
            lines.Add(lineNumber);
        }
        return new TextTable(path, header, rows, lines);
    }

    private static void CheckHeader(string path, IReadOnlyList<string> header)
    {
        for (int i = 0; i < header.Count; i++)
        {
            if (header[i].Length == 0)
                throw new DataFormatException(path, 1, null, $"header field {i + 1} is empty; every column needs a name.");
            for (int j = 0; j < i; j++)
                if (header[j] == header[i])
                    throw new DataFormatException(path, 1, header[i], "the column name appears twice in the header.");
        }
    }

    /// <summary>Splits one CSV line, honouring double quotes.</summary>
    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
