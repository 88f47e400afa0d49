using Microsoft.ML;
using RcML.Committor;
using RcML.Onnx;

namespace RcML.Ensembles;

/// <summary>
/// Trains one committor configuration k times from different seeds (Seed, Seed + 1, ..., Seed + k - 1: the
/// initialization, the validation split and the mini-batch order all change) and fits into a
/// <see cref="CommittorEnsembleTransformer"/> of the k networks.
/// </summary>
public sealed class CommittorEnsembleTrainer : IEstimator<CommittorEnsembleTransformer>
{
    private readonly MLContext _ml;

    /// <summary>Creates the trainer; see <see cref="CommittorEnsembleCatalog.Trainer"/> for the usual entry point.</summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="memberOptions">Options of every member; member m trains with seed <c>memberOptions.Seed + m</c>.</param>
    /// <param name="members">Number of members k, at least 1.</param>
    public CommittorEnsembleTrainer(MLContext ml, CommittorTrainerOptions? memberOptions = null, int members = 5)
    {
        _ml = ml ?? throw new ArgumentNullException(nameof(ml));
        MemberOptions = memberOptions ?? new CommittorTrainerOptions();
        MemberOptions.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        Members = members;
    }

    /// <summary>Options of every member (seed aside).</summary>
    public CommittorTrainerOptions MemberOptions { get; }

    /// <summary>Number of members.</summary>
    public int Members { get; }

    /// <summary>Trains the members, each early-stopping on its own held-out ValidationFraction of <paramref name="input"/>.</summary>
    public CommittorEnsembleTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains the members on <paramref name="trainData"/>, early-stopping on <paramref name="validationData"/> when given.</summary>
    public CommittorEnsembleTransformer Fit(IDataView trainData, IDataView? validationData, CancellationToken cancellation = default)
    {
        var networks = new List<CommittorNetworkSpec>();
        for (int m = 0; m < Members; m++)
        {
            var trainer = new CommittorTrainer(_ml, MemberOptions.WithSeed(MemberOptions.Seed + m));
            networks.Add(trainer.Fit(trainData, validationData, cancellation).Network);
        }
        return new CommittorEnsembleTransformer(_ml, new CommittorEnsembleSpec { Members = networks }, MemberOptions.FeatureColumnName);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        new SchemaShape(new CommittorTrainer(_ml, MemberOptions).GetOutputSchema(inputSchema)
            .Where(c => c.Name != CommittorScoring.CommittorStdDevColumn)
            .Append(CommittorTrainer.ScalarSingle(CommittorScoring.CommittorStdDevColumn)));
}
