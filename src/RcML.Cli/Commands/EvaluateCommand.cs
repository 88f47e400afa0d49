using System.CommandLine;
using System.Text.Json;
using Microsoft.ML;
using System.Globalization;
using System.Text.Json.Nodes;
using RcML.Analysis;
using RcML.Committor;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml evaluate</c>: cross-entropy per shot of a saved model on shooting data, a calibration table, and, where the
/// data has ref_committor, the reference cross-entropy, the excess over it and the RMSE of p_B; and the isocommittor
/// test (<see cref="IsocommittorTest"/>).
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<string>("--model") { Description = "The ML.NET model zip.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON." };
        var reference = new Option<string>("--reference") { Description = "Reference committor column, when present.", DefaultValueFactory = _ => "ref_committor" };
        var window = new Option<string>("--isocommittor-window")
        {
            Description = "Predicted p_B range LOW,HIGH of the isocommittor test.", DefaultValueFactory = _ => "0.4,0.6",
        };
        var command = new Command("evaluate", "Evaluate a saved model on shooting data.") { model, json, reference, window };
        data.AddTo(command);
        command.SetAction(result => CliRun.Guard(() =>
        {
            var ml = new MLContext();
            var (transformer, inputs) = CommittorModelFile.Load(ml, result.GetValue(model)!);
            var options = data.ToOptions(result);
            options.Features = inputs.ToList(); // the model decides which columns it reads
            var shooting = data.Load(result, options);
            var (_, p) = CommittorModelFile.Score(transformer, shooting.ToDataView());
            shooting.References.TryGetValue(result.GetValue(reference)!, out var refCommittor);
            var metrics = CommittorMetrics.Compute(p, shooting.CountA, shooting.CountB, refCommittor);
            var (low, high) = ParseWindow(result.GetValue(window)!);
            var isocommittor = IsocommittorTest.Compute(p, shooting.CountA, shooting.CountB, low, high);
            if (result.GetValue(json))
            {
                var node = JsonSerializer.SerializeToNode(metrics, JsonOutput.Options)!.AsObject();
                node["isocommittor"] = JsonSerializer.SerializeToNode(isocommittor, JsonOutput.Options);
                Console.WriteLine(node.ToJsonString(JsonOutput.Options));
            }
            else
            {
                Print(metrics);
                Print(isocommittor);
            }
            return 0;
        }));
        return command;
    }

    private static (double Low, double High) ParseWindow(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var low)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var high) && low >= 0 && low < high && high <= 1)
            return (low, high);
        throw new ArgumentException($"--isocommittor-window expects LOW,HIGH with 0 <= LOW < HIGH <= 1 (e.g. 0.4,0.6); got '{text}'.");
    }

    private static void Print(IsocommittorResult t)
    {
        Console.WriteLine();
        Console.WriteLine($"isocommittor test: {t.Configurations} configurations with predicted p_B in [{t.WindowLow:0.###}, {t.WindowHigh:0.###}], " +
            $"{t.MeanShots:0.#} shots each on average");
        if (t.Configurations > 0)
        {
            Console.WriteLine("fraction reaching B   observed   Binomial(n, p_B)");
            foreach (var bin in t.Histogram)
                Console.WriteLine($"[{bin.Low:F1}, {bin.High:F1}{(bin.High >= 1 ? "]" : ")")}          {bin.Observed,8:0}   {bin.Expected,16:F1}");
        }
        if (double.IsFinite(t.ChiSquare)) Console.WriteLine($"chi-square per degree of freedom: {t.ChiSquarePerDegreeOfFreedom:F2} ({t.DegreesOfFreedom} dof, p = {t.PValue:0.####})");
        Console.WriteLine(t.Verdict);
    }

    private static void Print(CommittorMetrics m)
    {
        Console.WriteLine($"configurations: {m.Configurations}, shots: {m.Shots:0.##}");
        Console.WriteLine($"cross-entropy:            {m.CrossEntropy:F5} nats/shot");
        Console.WriteLine($"constant-p baseline:      {m.ConstantCrossEntropy:F5} nats/shot");
        if (m.ReferenceCrossEntropy is { } r)
        {
            Console.WriteLine($"reference cross-entropy:  {r:F5} nats/shot");
            Console.WriteLine($"excess over reference:    {m.ExcessCrossEntropy:F5} nats/shot");
            Console.WriteLine($"RMSE of p_B to reference: {m.RmseToReference:F5}");
        }
        Console.WriteLine();
        Console.WriteLine("predicted p_B      configs    shots   mean predicted   observed");
        foreach (var bin in m.Calibration)
            Console.WriteLine($"[{bin.Low:F1}, {bin.High:F1})  {bin.Configurations,10} {bin.Shots,8:0.#} {bin.MeanPredicted,16:F4} {bin.Observed,10:F4}");
    }
}

/// <summary>JSON settings of machine-readable output: snake_case names.</summary>
internal static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
