using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Data;
using RcML.Onnx;

namespace RcML.Ensembles;

/// <summary>
/// An ensemble of committor networks scored as one ONNX graph inside a chain of built-in ML.NET transformers, so
/// <c>ml.Model.Save</c> writes a plain ML.NET model (loadable without RcML, like a single network's). Input: a
/// Vector&lt;Single&gt; of raw CVs in <see cref="InputColumns"/> order. Output Single columns:
/// <list type="bullet">
/// <item><c>Committor</c>: the mean of the members' p_B (averaging probabilities never scores worse in cross-entropy
/// than the members' average, as the loss is convex in p);</item>
/// <item><c>ReactionCoordinate</c>: its logit, so Committor = sigmoid(ReactionCoordinate) as for one network;</item>
/// <item><c>CommittorStdDev</c>: the members' standard deviation of p_B around that mean, sqrt(mean_m (p_m - p_B)^2)
/// (population form: 0 for a single member), in probability units.</item>
/// </list>
/// </summary>
public sealed class CommittorEnsembleTransformer : ITransformer
{
    private readonly MLContext _ml;
    private readonly ITransformer _scoring;

    internal CommittorEnsembleTransformer(MLContext ml, CommittorEnsembleSpec ensemble, string featureColumn)
    {
        ensemble.Validate();
        _ml = ml;
        Ensemble = ensemble;
        FeatureColumn = featureColumn;
        OnnxModel = CommittorEnsembleOnnxExporter.Export(ensemble);
        _scoring = CommittorScoring.CreateTransformer(ml, OnnxModel, featureColumn);
    }

    /// <summary>The member networks.</summary>
    public CommittorEnsembleSpec Ensemble { get; }

    /// <summary>The member networks (shorthand for <c>Ensemble.Members</c>).</summary>
    public IReadOnlyList<CommittorNetworkSpec> Members => Ensemble.Members;

    /// <summary>The raw CV columns, in the order of the feature vector.</summary>
    public IReadOnlyList<string> InputColumns => Ensemble.InputNames;

    /// <summary>The Vector&lt;Single&gt; column of raw CVs the transformer reads.</summary>
    public string FeatureColumn { get; }

    /// <summary>The ensemble as ONNX (raw CVs in; q, p_B and p_B_std out), with its members in the metadata.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>
    /// The model that reads the raw CV columns themselves (Concatenate into <see cref="FeatureColumn"/>, then this):
    /// what <see cref="Save"/> writes and <c>rcml predict</c> scores.
    /// </summary>
    public ITransformer ToModel()
    {
        var empty = new ColumnarDataView(InputColumns.Select(name => (name, Array.Empty<float>())).ToList());
        var concatenate = _ml.Transforms.Concatenate(FeatureColumn, InputColumns.ToArray()).Fit(empty);
        return new TransformerChain<ITransformer>(concatenate, this);
    }

    /// <summary>
    /// Saves <see cref="ToModel"/> as a plain ML.NET model zip whose input schema is the raw CV columns, atomically
    /// (as <see cref="CommittorModelFile.Save"/>).
    /// </summary>
    public void Save(string path) => CommittorModelFile.Save(_ml, ToModel(), InputColumns, path);

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
