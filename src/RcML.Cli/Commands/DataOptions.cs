using System.CommandLine;
using RcML.Data;

namespace RcML.Cli.Commands;

/// <summary>The options every command that reads shooting data shares.</summary>
internal sealed class DataOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "Shooting data: CSV with a header, or a PLUMED COLVAR file (with --outcomes).", Required = true };
    public Option<string?> Outcomes { get; } = new("--outcomes") { Description = "Outcome table (CSV with n_A, n_B and the join column) for a COLVAR --data file." };
    public Option<string> JoinOn { get; } = new("--join-on") { Description = "Column shared by the COLVAR file and the outcome table.", DefaultValueFactory = _ => "time" };
    public Option<string?> Label { get; } = new("--label") { Description = "Read committor estimates from this column (e.g. p_B) instead of counts n_A, n_B." };
    public Option<string?> WeightColumn { get; } = new("--weight-column") { Description = "With --label: the number of shots behind each estimate." };
    public Option<string[]> Features { get; } = new("--features") { Description = "Feature columns or glob patterns (default: every other numeric column except id and ref_*).", AllowMultipleArgumentsPerToken = true };
    public Option<string[]> Periodic { get; } = new("--periodic") { Description = "Glob patterns of periodic CVs (angles), expanded to sin/cos inside the model, e.g. 'dih_*'.", AllowMultipleArgumentsPerToken = true };
    public Option<bool> Radians { get; } = new("--radians") { Description = "Periodic CVs are in radians (default: degrees)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Outcomes, JoinOn, Label, WeightColumn, Features, Periodic, Radians })
            command.Options.Add(option);
    }

    public ShootingDataOptions ToOptions(ParseResult result) => new()
    {
        ProbabilityColumn = result.GetValue(Label),
        WeightColumn = result.GetValue(WeightColumn),
        Features = result.GetValue(Features) is { Length: > 0 } f ? f : null,
        Periodic = result.GetValue(Periodic) ?? [],
        PeriodicUnit = result.GetValue(Radians) ? AngleUnit.Radians : AngleUnit.Degrees,
        JoinColumn = result.GetValue(JoinOn)!,
    };

    /// <summary>Loads the data; values far outside their column's range are reported on stderr.</summary>
    public ShootingData Load(ParseResult result, ShootingDataOptions? options = null)
    {
        var data = ShootingData.Load(result.GetValue(Data)!, options ?? ToOptions(result), result.GetValue(Outcomes));
        CliRun.Warn(data.Warnings);
        return data;
    }
}
