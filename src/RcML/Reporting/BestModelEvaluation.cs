using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using RcML.Storage;

namespace RcML.Reporting;

/// <summary>A trial's model scored on shooting data.</summary>
/// <param name="TrialNumber">The trial whose model it is.</param>
/// <param name="DataSource">Where the data came from.</param>
/// <param name="InputColumns">The CV columns the model reads.</param>
/// <param name="ReactionCoordinate">q per configuration.</param>
/// <param name="Committor">p_B = sigmoid(q) per configuration.</param>
/// <param name="CountA">Shots that reached A per configuration.</param>
/// <param name="CountB">Shots that reached B per configuration.</param>
/// <param name="Metrics">Cross-entropy and calibration.</param>
public sealed record BestModelEvaluation(int TrialNumber, string DataSource, IReadOnlyList<string> InputColumns,
    float[] ReactionCoordinate, float[] Committor, float[] CountA, float[] CountB, CommittorMetrics Metrics)
{
    /// <summary>The reference committor column scored against, when the data has it.</summary>
    public const string ReferenceColumn = "ref_committor";

    /// <summary>Loads a model zip, reads <paramref name="dataPath"/> with the model's input columns, and scores it.</summary>
    public static BestModelEvaluation Score(StoredTrial trial, byte[] modelZip, string dataPath)
    {
        var ml = new MLContext(seed: 0);
        var (model, inputs) = CommittorModelFile.Load(ml, modelZip, $"the stored model of trial {trial.Number}");

        var data = ShootingData.Load(dataPath, new ShootingDataOptions { Features = inputs.ToList() });
        var (q, p) = CommittorModelFile.Score(model, data.ToDataView());
        data.References.TryGetValue(ReferenceColumn, out var reference);
        var metrics = CommittorMetrics.Compute(p, data.CountA, data.CountB, reference);
        return new BestModelEvaluation(trial.Number, data.Source, inputs, q, p, data.CountA, data.CountB, metrics);
    }
}
