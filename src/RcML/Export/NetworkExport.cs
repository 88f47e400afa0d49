using RcML.Committor;
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
