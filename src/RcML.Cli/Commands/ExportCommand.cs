using System.CommandLine;
using RcML.Data;
using RcML.Export;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml export</c>: writes a saved model's network for an MD engine or another runtime: a PLUMED input with
/// PYTORCH_MODEL and the TorchScript file it loads (or, with --inline, CUSTOM actions), a TorchScript module, or a bare
/// ONNX model with the standardization folded in.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The ML.NET model zip.", Required = true };
        var format = Choices.Required("--format",
            "plumed: PLUMED input (PYTORCH_MODEL) + the TorchScript file beside it (.pt); torchscript: the TorchScript " +
            "module alone (PLUMED, Colvars torchANN, libtorch); onnx: the bare network.",
            ["plumed", "torchscript", "onnx"]);
        var output = new Option<string>("--out") { Description = "Output file.", Required = true };
        var inline = new Option<bool>("--inline")
        {
            Description = "With --format plumed: write the network as CUSTOM actions instead (no libtorch needed in PLUMED; " +
                "at most 512 neurons and 128 inputs per neuron).",
        };
        var angles = Choices.Of("--angles",
            "Unit of periodic inputs of the TorchScript module: radians (PLUMED's TORSION; default), degrees (Colvars' " +
            "dihedral) or training (the training data's unit).",
            "radians", ["radians", "degrees", "training"]);
        var committor = new Option<bool>("--committor")
        {
            Description = "With --format torchscript: output [q, p_B] (an ensemble: [q, p_B, p_B_std]) instead of q alone.",
        };
        var radians = new Option<bool>("--plumed-radians")
        {
            Description = "With --inline: PLUMED feeds angles in radians (e.g. TORSION) although the model was trained on degrees: drop the degree conversion.",
        };
        var command = new Command("export", "Export a saved model's network to PLUMED, TorchScript or ONNX.")
        {
            model, format, output, inline, angles, committor, radians,
        };
        command.SetAction(result => CliRun.Guard(() =>
        {
            var kind = (result.GetValue(format), result.GetValue(inline)) switch
            {
                ("plumed", true) => ExportFormat.PlumedInline,
                (_, true) => throw new ArgumentException("--inline applies to --format plumed only."),
                ("onnx", _) => ExportFormat.Onnx,
                ("torchscript", _) => ExportFormat.TorchScript,
                _ => ExportFormat.Plumed,
            };
            var ensemble = ModelFiles.ReadEnsemble(result.GetValue(model)!);
            var path = result.GetValue(output)!;
            AngleUnit? unit = result.GetValue(angles) switch { "degrees" => AngleUnit.Degrees, "training" => null, _ => AngleUnit.Radians };
            var torchScript = new TorchScriptExportOptions { Angles = unit, IncludeCommittor = result.GetValue(committor) };
            IReadOnlyList<string> files;
            try
            {
                files = NetworkExport.WriteFile(ensemble, kind, path, new PlumedExportOptions { AnglesInRadians = result.GetValue(radians) }, torchScript);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return CliRun.Error($"cannot write '{path}': {e.Message}", CliRun.BadInput);
            }
            var inputs = string.Join(", ", ensemble.InputNames);
            int n = ensemble.InputNames.Count, k = ensemble.Members.Count;
            string members = k > 1 ? $" of an ensemble of {k}" : "";
            Console.WriteLine(kind switch
            {
                ExportFormat.Plumed => $"PLUMED input: PYTORCH_MODEL with rc (q) and pb (p_B){(k > 1 ? " and pb_std" : "")}{members} from {inputs} -> {Path.GetFullPath(files[0])}; " +
                    $"TorchScript model ({result.GetValue(angles)}) -> {Path.GetFullPath(files[1])}",
                ExportFormat.PlumedInline => $"PLUMED input: rc (q) and pb (p_B) from {inputs} -> {Path.GetFullPath(path)}",
                ExportFormat.TorchScript => $"TorchScript module{members}: forward(x) with x [N, {n}] ({inputs}; angles in {result.GetValue(angles)}) " +
                    $"returns [{string.Join(", ", TorchScriptExporter.OutputNames(ensemble, torchScript))}] -> {Path.GetFullPath(path)}",
                _ => $"ONNX model: input \"Features\" [N, {n}] ({inputs}), outputs {(k > 1 ? $"q, p_B and p_B_std{members}" : "q and p_B")} -> {Path.GetFullPath(path)}",
            });
            return 0;
        }));
        return command;
    }
}
