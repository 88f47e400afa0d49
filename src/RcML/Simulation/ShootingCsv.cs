using System.Globalization;
using System.Text;
using RcML.IO;

namespace RcML.Simulation;

/// <summary>Writes a <see cref="ShootingDataset"/> as CSV: id,x,y,noise_1..noise_k,n_A,n_B,ref_committor.</summary>
public static class ShootingCsv
{
    /// <summary>
    /// Writes the dataset to <paramref name="path"/> through <see cref="AtomicFile"/>, so a failed write never
    /// replaces a good file with a partial one.
    /// </summary>
    public static void Write(ShootingDataset dataset, string path)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteText(path, writer => Write(dataset, writer));
    }

    /// <summary>Writes the dataset as CSV text; floats in invariant culture, round-trippable.</summary>
    public static void Write(ShootingDataset dataset, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(writer);
        writer.NewLine = "\n";
        writer.WriteLine(string.Join(',', dataset.ColumnNames));
        var line = new StringBuilder();
        foreach (var row in dataset.Rows)
        {
            line.Clear();
            line.Append(row.Id.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Format(row.X)).Append(',').Append(Format(row.Y));
            foreach (double value in row.Noise) line.Append(',').Append(Format(value));
            line.Append(',').Append(row.CountA.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(row.CountB.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(Format(row.ReferenceCommittor));
            writer.WriteLine(line);
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
