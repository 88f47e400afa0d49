using RcML.Committor;
using RcML.Ensembles;
using RcML.IO;
using RcML.Onnx;

namespace RcML.Export;

/// <summary>File formats a trained committor network can be exported to.</summary>
public enum ExportFormat
{
    /// <summary>A PLUMED input of CUSTOM actions computing q (rc) and p_B (pb); see <see cref="PlumedExporter"/>.</summary>
    Plumed,
    /// <summary>
    /// The bare network as ONNX (raw CVs in, q and p_B out), standardization folded into the first layer;
    /// see <see cref="CommittorOnnxExporter"/>.
    /// </summary>
    Onnx,
}

/// <summary>Exports a committor network (e.g. read from a model zip by <see cref="CommittorScoring.ReadSpec(string)"/>) to a file.</summary>
public static class NetworkExport
{
    /// <summary>ONNX model bytes of the bare network with the standardization folded into the first layer.</summary>
    public static byte[] ToOnnx(CommittorNetworkSpec spec) => CommittorOnnxExporter.Export(spec, foldNormalization: true);

    /// <summary>
    /// Writes an ensemble (e.g. read by <see cref="CommittorScoring.ReadEnsemble(string)"/>): a one-member ensemble as its
    /// network; several members as one ONNX graph with q, p_B and p_B_std outputs (standardization folded in).
    /// </summary>
    /// <exception cref="ArgumentException">A format that describes one network only (PLUMED) for several members.</exception>
    public static void WriteFile(CommittorEnsembleSpec ensemble, ExportFormat format, string path, PlumedExportOptions? plumed = null)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        if (ensemble.Members.Count == 1)
        {
            WriteFile(ensemble.Members[0], format, path, plumed);
            return;
        }
        if (format != ExportFormat.Onnx)
            throw new ArgumentException($"{format} export takes a single network; this model is an ensemble of {ensemble.Members.Count} (export it as onnx).");
        var bytes = CommittorEnsembleOnnxExporter.Export(ensemble, foldNormalization: true);
        AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
    }

    /// <summary>Writes the network in <paramref name="format"/> to <paramref name="path"/> atomically (no partial file on error).</summary>
    public static void WriteFile(CommittorNetworkSpec spec, ExportFormat format, string path, PlumedExportOptions? plumed = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        switch (format)
        {
            case ExportFormat.Plumed:
                var text = PlumedExporter.Export(spec, plumed); // before touching the file system, so errors leave nothing
                AtomicFile.WriteAllText(path, text);
                break;
            case ExportFormat.Onnx:
                var bytes = ToOnnx(spec);
                AtomicFile.Write(path, temp => File.WriteAllBytes(temp, bytes));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format.");
        }
    }
}
