using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Data;
using RcML.IO;
using RcML.Onnx;

namespace RcML.Committor;

/// <summary>
/// Saving and loading committor models as plain ML.NET model zips whose input schema is the raw CV columns,
/// and scoring them.
/// </summary>
public static class CommittorModelFile
{
    /// <summary>
    /// Saves <paramref name="model"/> with an input schema of Single columns <paramref name="inputColumns"/>,
    /// atomically: an error leaves no file, and never a partial one in place of a good one.
    /// </summary>
    public static void Save(MLContext ml, ITransformer model, IEnumerable<string> inputColumns, string path)
    {
        var inputSchema = InputSchema(inputColumns);
        AtomicFile.Write(path, temp => ml.Model.Save(model, inputSchema, temp));
    }

    /// <summary>The input schema a saved committor model declares: one Single column per raw CV.</summary>
    public static DataViewSchema InputSchema(IEnumerable<string> inputColumns)
    {
        var schema = new DataViewSchema.Builder();
        foreach (var name in inputColumns) schema.AddColumn(name, NumberDataViewType.Single);
        return schema.ToSchema();
    }

    /// <summary>Loads a model zip; returns it with the names of the raw input columns it reads.</summary>
    public static (ITransformer Model, IReadOnlyList<string> InputColumns) Load(MLContext ml, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' not found.", path);
        using var stream = File.OpenRead(path);
        return Load(ml, stream, $"'{path}'");
    }

    /// <summary>Loads a model zip from bytes (e.g. a model kept in a study store).</summary>
    public static (ITransformer Model, IReadOnlyList<string> InputColumns) Load(MLContext ml, byte[] modelZip, string source) =>
        Load(ml, new MemoryStream(modelZip, writable: false), source);

    private static (ITransformer Model, IReadOnlyList<string> InputColumns) Load(MLContext ml, Stream stream, string source)
    {
        ITransformer model;
        DataViewSchema schema;
        try
        {
            model = ml.Model.Load(stream, out schema);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source} is not an ML.NET model zip: {e.Message}", e);
        }
        return (model, schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
    }

    /// <summary>Scores a data view: q and p_B per row.</summary>
    public static (float[] ReactionCoordinate, float[] Committor) Score(ITransformer model, IDataView data)
    {
        var (q, p, _) = ScoreWithSpread(model, data);
        return (q, p);
    }

    /// <summary>
    /// Scores a data view: q, p_B and, for an ensemble, the members' standard deviation of p_B per row
    /// (<see cref="CommittorScoring.CommittorStdDevColumn"/>; null for a single network).
    /// </summary>
    public static (float[] ReactionCoordinate, float[] Committor, float[]? CommittorStdDev) ScoreWithSpread(ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        var q = scored.GetColumn<float>(CommittorScoring.ReactionCoordinateColumn).ToArray();
        var p = scored.GetColumn<float>(CommittorScoring.CommittorColumn).ToArray();
        var std = scored.Schema.GetColumnOrNull(CommittorScoring.CommittorStdDevColumn) is { } column
            ? scored.GetColumn<float>(column).ToArray() : null;
        return (q, p, std);
    }

    /// <summary>Reads <paramref name="table"/>'s columns named <paramref name="inputColumns"/> as Single, with located errors.</summary>
    public static IDataView InputView(TextTable table, IReadOnlyList<string> inputColumns)
    {
        var columns = new List<(string, float[])>();
        foreach (var name in inputColumns)
        {
            int index = table.IndexOf(name);
            if (index < 0)
                throw new DataFormatException(table.File, 1, name,
                    $"the model reads this column, but the file lacks it; the header has: {string.Join(", ", table.Header)}.");
            var values = new float[table.Rows.Count];
            for (int r = 0; r < values.Length; r++) values[r] = (float)table.Number(r, index);
            columns.Add((name, values));
        }
        return new ColumnarDataView(columns);
    }
}
