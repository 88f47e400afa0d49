using RcML.Committor;
using RcML.Data;
using RcML.Ensembles;
using RcML.IO;
using RcML.Onnx;

namespace RcML.Export;

/// <summary>
/// Exports a committor network or ensemble (e.g. read from a model zip by <see cref="CommittorScoring.ReadEnsemble(string)"/>)
/// to a file.
/// </summary>
public static class NetworkExport
{
    /// <summary>ONNX model bytes of the bare network with the standardization folded into the first layer.</summary>
    public static byte[] ToOnnx(CommittorNetworkSpec spec) => CommittorOnnxExporter.Export(spec, foldNormalization: true);

    /// <summary>The TorchScript file <see cref="ExportFormat.Plumed"/> writes beside <paramref name="plumedPath"/>: same name, extension .pt.</summary>
    public static string TorchScriptBeside(string plumedPath)
    {
        var beside = Path.ChangeExtension(plumedPath, ".pt");
        return beside == plumedPath ? plumedPath + ".pt" : beside;
    }

    /// <inheritdoc cref="WriteFile(CommittorEnsembleSpec, ExportFormat, string, PlumedExportOptions?, TorchScriptExportOptions?)"/>
    public static IReadOnlyList<string> WriteFile(CommittorNetworkSpec spec, ExportFormat format, string path,
        PlumedExportOptions? plumed = null, TorchScriptExportOptions? torchScript = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return WriteFile(new CommittorEnsembleSpec { Members = [spec] }, format, path, plumed, torchScript);
    }

    /// <summary>
    /// Writes a network or ensemble in <paramref name="format"/> to <paramref name="path"/> (and, for
    /// <see cref="ExportFormat.Plumed"/>, the TorchScript file <see cref="TorchScriptBeside"/>) atomically: an error leaves
    /// no new file and replaces no good one. A one-member ensemble is written as its network; several members as one
    /// ONNX graph or TorchScript module that also outputs the members' spread.
    /// </summary>
    /// <param name="ensemble">The member networks.</param>
    /// <param name="format">The format.</param>
    /// <param name="path">The output file.</param>
    /// <param name="plumed">Labels and, for <see cref="ExportFormat.PlumedInline"/>, its angle unit and size limits.</param>
    /// <param name="torchScript">
    /// For <see cref="ExportFormat.TorchScript"/>: the angle unit and outputs; for <see cref="ExportFormat.Plumed"/>: the
    /// angle unit (the file always outputs q and p_B there).
    /// </param>
    /// <returns>The files written.</returns>
    /// <exception cref="ArgumentException"><see cref="ExportFormat.PlumedInline"/> for several members, or a network the format refuses.</exception>
    public static IReadOnlyList<string> WriteFile(CommittorEnsembleSpec ensemble, ExportFormat format, string path,
        PlumedExportOptions? plumed = null, TorchScriptExportOptions? torchScript = null)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ensemble.Validate();
        bool single = ensemble.Members.Count == 1;
        // Every file's content is made before touching the file system, so errors leave nothing.
        switch (format)
        {
            case ExportFormat.PlumedInline:
                if (!single)
                    throw new ArgumentException($"The CUSTOM-line PLUMED form takes a single network; this model is an ensemble of " +
                        $"{ensemble.Members.Count}: export it with PLUMED's PYTORCH_MODEL (without --inline) instead.");
                var text = PlumedExporter.Export(ensemble.Members[0], plumed);
                AtomicFile.WriteAllText(path, text);
                return [path];
            case ExportFormat.Plumed:
            {
                var angles = torchScript is null ? AngleUnit.Radians : torchScript.Angles;
                var modelPath = TorchScriptBeside(path);
                var fragment = PlumedPytorchExporter.Export(ensemble, Path.GetFileName(modelPath), angles, plumed);
                var model = TorchScriptExporter.Export(ensemble, PlumedPytorchExporter.ModelOptions(angles));
                bool existed = File.Exists(modelPath);
                AtomicFile.Write(modelPath, temp => File.WriteAllBytes(temp, model));
                try
                {
                    AtomicFile.WriteAllText(path, fragment);
                }
                catch when (!existed)
                {
                    File.Delete(modelPath);
                    throw;
                }
                return [path, modelPath];
            }
            case ExportFormat.Onnx:
                var bytes = single ? ToOnnx(ensemble.Members[0]) : CommittorEnsembleOnnxExporter.Export(ensemble, foldNormalization: true);
                AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
                return [path];
            case ExportFormat.TorchScript:
                TorchScriptExporter.WriteFile(ensemble, path, torchScript);
                return [path];
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format.");
        }
    }
}
