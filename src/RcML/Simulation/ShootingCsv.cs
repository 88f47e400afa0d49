using System.Globalization;
using RcML.IO;

namespace RcML.Simulation;

/// <summary>Writes a <see cref="ShootingDataset"/> as CSV: id,x,y,noise_1..noise_k,n_A,n_B,ref_committor (a pool without n_A,n_B).</summary>
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
        foreach (var row in dataset.Rows)
            writer.WriteLine(string.Join(',', Fields(dataset, row)));
    }

    /// <summary>The CSV fields of one row, in <see cref="ShootingDataset.ColumnNames"/> order.</summary>
    public static IEnumerable<string> Fields(ShootingDataset dataset, ShootingPoint row)
    {
        yield return row.Id.ToString(CultureInfo.InvariantCulture);
        yield return Format(row.X);
        yield return Format(row.Y);
        foreach (double value in row.Noise) yield return Format(value);
        if (dataset.ShotsPerPoint > 0)
        {
            yield return row.CountA.ToString(CultureInfo.InvariantCulture);
            yield return row.CountB.ToString(CultureInfo.InvariantCulture);
        }
        yield return Format(row.ReferenceCommittor);
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
