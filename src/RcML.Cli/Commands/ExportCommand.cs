using System.CommandLine;
using RcML.Export;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml export</c>: writes a saved model's network as a PLUMED input (CUSTOM actions computing rc = q and pb = p_B)
/// or as a bare ONNX model with the standardization folded in (an ensemble as one graph that also outputs p_B_std).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The ML.NET model zip.", Required = true };
        var format = new Option<string>("--format") { Description = "plumed: PLUMED input of CUSTOM actions; onnx: the bare network.", Required = true };
        format.AcceptOnlyFromAmong("plumed", "onnx");
        var output = new Option<string>("--out") { Description = "Output file.", Required = true };
        var radians = new Option<bool>("--plumed-radians")
        {
            Description = "PLUMED feeds angles in radians (e.g. TORSION) although the model was trained on degrees: drop the degree conversion.",
        };
        var command = new Command("export", "Export a saved model's network to PLUMED or ONNX.") { model, format, output, radians };
        command.SetAction(result => CliRun.Guard(() =>
        {
            var ensemble = ModelFiles.ReadEnsemble(result.GetValue(model)!);
            var path = result.GetValue(output)!;
            var kind = result.GetValue(format) == "onnx" ? ExportFormat.Onnx : ExportFormat.Plumed;
            NetworkExport.WriteFile(ensemble, kind, path, new PlumedExportOptions { AnglesInRadians = result.GetValue(radians) });
            var inputs = string.Join(", ", ensemble.InputNames);
            Console.WriteLine(kind == ExportFormat.Plumed
                ? $"PLUMED input: rc (q) and pb (p_B) from {inputs} -> {Path.GetFullPath(path)}"
                : ensemble.Members.Count > 1
                    ? $"ONNX model: input \"Features\" [N, {ensemble.InputNames.Count}] ({inputs}), outputs q, p_B and p_B_std of an ensemble of {ensemble.Members.Count} -> {Path.GetFullPath(path)}"
                    : $"ONNX model: input \"Features\" [N, {ensemble.InputNames.Count}] ({inputs}), outputs q and p_B -> {Path.GetFullPath(path)}");
            return 0;
        }));
        return command;
    }
}
