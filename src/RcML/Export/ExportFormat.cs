using RcML.Onnx;

namespace RcML.Export;

/// <summary>File formats a trained committor network can be exported to.</summary>
public enum ExportFormat
{
    /// <summary>
    /// A PLUMED input running the network with <c>PYTORCH_MODEL</c> (labels rc = q, pb = p_B) and, beside it, the
    /// TorchScript file it loads; see <see cref="PlumedPytorchExporter"/>. Any network size.
    /// </summary>
    Plumed,
    /// <summary>A PLUMED input of CUSTOM actions computing q (rc) and p_B (pb), small networks only; see <see cref="PlumedExporter"/>.</summary>
    PlumedInline,
    /// <summary>
    /// The bare network as ONNX (raw CVs in, q and p_B out), standardization folded into the first layer;
    /// see <see cref="CommittorOnnxExporter"/>.
    /// </summary>
    Onnx,
    /// <summary>A TorchScript module (raw CVs in, q out) for PLUMED's PYTORCH_MODEL, Colvars' torchANN or libtorch; see <see cref="TorchScriptExporter"/>.</summary>
    TorchScript,
}
