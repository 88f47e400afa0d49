using System.Diagnostics;
using RcML.Data;
using RcML.IO;
using RcML.Simulation;

namespace RcML.Cli.Commands;

/// <summary>
/// The active-learning side of <c>rcml simulate</c>: <c>--pool N</c> draws candidate configurations without shots,
/// <c>--from FILE</c> shoots from the configurations a file lists (e.g. the picks of <c>rcml suggest</c>).
/// </summary>
internal static class SimulateCandidates
{
    /// <summary>Writes a pool of <paramref name="count"/> candidates: id, x, y, noise CVs, ref_committor.</summary>
    public static void Pool(IModelSystem system, int count, CandidatePool from, int noiseDimensions, long seed, string path)
    {
        if (count < 1) throw new ArgumentException($"--pool must be at least 1, got {count}.");
        var stopwatch = Stopwatch.StartNew();
        var pool = Simulator(system, 1, noiseDimensions, seed).DrawPool(count, from);
        ShootingCsv.Write(pool, path);
        string where = from == CandidatePool.Equilibrium ? "outside A and B" : "within 0.02 <= q <= 0.98";
        Console.WriteLine($"{pool.SystemName}: pool of {count} configurations (Boltzmann at kT = {pool.KT} {where}; no shots) " +
            $"in {stopwatch.Elapsed.TotalSeconds:F1} s -> {Path.GetFullPath(path)}");
    }

    /// <summary>
    /// Shoots from the x, y of every row of <paramref name="fromPath"/>. The output has the simulate columns (id from the
    /// file when it has one; noise CVs regenerated; counts; ref_committor), then the file's other columns unchanged.
    /// </summary>
    public static void From(IModelSystem system, string fromPath, int shots, int noiseDimensions, long seed, string path)
    {
        if (shots < 1) throw new ArgumentException($"--shots must be at least 1, got {shots}.");
        var stopwatch = Stopwatch.StartNew();
        var table = TextTable.Read(fromPath);
        if (table.Rows.Count == 0) throw new DataFormatException(table.File, 2, null, "the file has no configurations.");
        int xColumn = Require(table, "x"), yColumn = Require(table, "y"), idColumn = table.IndexOf("id");
        var configurations = Enumerable.Range(0, table.Rows.Count).Select(r => (table.Number(r, xColumn), table.Number(r, yColumn))).ToArray();
        ShootingDataset shot;
        try
        {
            shot = Simulator(system, shots, noiseDimensions, seed).ShootFrom(configurations);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{fromPath}: {e.Message}", e);
        }

        var regenerated = shot.ColumnNames.ToHashSet();
        var kept = Enumerable.Range(0, table.Header.Count).Where(c => !regenerated.Contains(table.Header[c]) && !IsNoiseColumn(table.Header[c])).ToArray();
        AtomicFile.WriteText(path, writer =>
        {
            writer.NewLine = "\n";
            writer.WriteLine(string.Join(",", shot.ColumnNames.Concat(kept.Select(c => Csv.Quote(table.Header[c])))));
            for (int r = 0; r < shot.Rows.Count; r++)
            {
                var fields = ShootingCsv.Fields(shot, shot.Rows[r]).ToArray();
                if (idColumn >= 0) fields[0] = Csv.Quote(table.Rows[r][idColumn]);
                writer.WriteLine(string.Join(",", fields.Concat(kept.Select(c => Csv.Quote(table.Rows[r][c])))));
            }
        });
        Console.WriteLine($"{shot.SystemName}: {shot.Rows.Count} configurations from {fromPath} x {shots} shots " +
            $"in {stopwatch.Elapsed.TotalSeconds:F1} s -> {Path.GetFullPath(path)}");
        if (shot.FailedShots > 0)
            Console.Error.WriteLine($"rcml: warning: {shot.FailedShots} shots reached neither state within the step limit and were left out.");
    }

    // Noise CVs of another count than this run's are dropped too: they would not match the regenerated ones.
    private static bool IsNoiseColumn(string name) => name.StartsWith("noise_", StringComparison.Ordinal);

    private static int Require(TextTable table, string column)
    {
        int index = table.IndexOf(column);
        if (index < 0)
            throw new DataFormatException(table.File, 1, column,
                $"configurations to shoot from need columns x and y; the header has: {string.Join(", ", table.Header)}.");
        return index;
    }

    private static ShootingSimulator Simulator(IModelSystem system, int shots, int noiseDimensions, long seed) =>
        new(new ShootingSimulator.Options { System = system, ShotsPerPoint = shots, NoiseDimensions = noiseDimensions, Seed = seed });
}
