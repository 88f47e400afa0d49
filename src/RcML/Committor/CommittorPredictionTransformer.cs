using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Onnx;

namespace RcML.Committor;

/// <summary>
/// A trained committor network, scoring through ONNX Runtime. It delegates scoring and saving to a chain of
/// built-in ML.NET transformers, so <c>ml.Model.Save</c> writes a plain ML.NET model that loads (as that chain)
/// in any ML.NET app without RcML or TorchSharp. It also keeps what training learned: the network, its ONNX
/// form and the learning curve.
/// </summary>
public sealed class CommittorPredictionTransformer : ITransformer
{
    private readonly ITransformer _scoring;

    private CommittorPredictionTransformer(ITransformer scoring, CommittorTrainingResult training, byte[] onnx)
    {
        _scoring = scoring;
        Training = training;
        OnnxModel = onnx;
    }

    /// <summary>The trained network.</summary>
    public CommittorNetworkSpec Network => Training.Network;

    /// <summary>Training history and losses.</summary>
    public CommittorTrainingResult Training { get; }

    /// <summary>The network as ONNX (raw CVs in, q and p_B out), with its description in the metadata.</summary>
    public byte[] OnnxModel { get; }

    internal static CommittorPredictionTransformer Create(MLContext ml, CommittorTrainingResult training, string featureColumn)
    {
        var onnx = CommittorOnnxExporter.Export(training.Network);
        return new CommittorPredictionTransformer(CommittorScoring.CreateTransformer(ml, onnx, featureColumn), training, onnx);
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => _scoring.IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scoring.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scoring.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _scoring.Transform(input);

    /// <summary>Saves the built-in scoring chain: the loaded model is that chain.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _scoring.Save(ctx);
}
