using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Onnx;
using RcML.Storage;

namespace RcML.Ensembles;

/// <summary>
/// Building committor ensembles: <c>mlContext.ReactionCoordinates().Ensembles</c>. Every entry returns a
/// <see cref="CommittorEnsembleTransformer"/> (members' mean p_B, its logit, and the members' spread as
/// CommittorStdDev) that saves as a plain ML.NET model zip.
/// </summary>
public sealed class CommittorEnsembleCatalog
{
    private readonly MLContext _ml;

    internal CommittorEnsembleCatalog(MLContext ml) => _ml = ml;

    /// <summary>An ensemble of the given networks, reading the raw CVs from the vector column <paramref name="featureColumn"/>.</summary>
    /// <exception cref="ArgumentException">No network, or networks reading different CVs.</exception>
    public CommittorEnsembleTransformer FromNetworks(IEnumerable<CommittorNetworkSpec> members, string featureColumn = "Features")
    {
        ArgumentNullException.ThrowIfNull(members);
        return new CommittorEnsembleTransformer(_ml, new CommittorEnsembleSpec { Members = members.ToArray() }, featureColumn);
    }

    /// <summary>
    /// An ensemble of fitted committor models: <see cref="CommittorPredictionTransformer"/>s, ensembles (their members
    /// join), chains that contain them, or models loaded from RcML model zips.
    /// </summary>
    /// <exception cref="InvalidDataException">A model holds no RcML committor network.</exception>
    public CommittorEnsembleTransformer FromModels(IEnumerable<ITransformer> models, string featureColumn = "Features")
    {
        ArgumentNullException.ThrowIfNull(models);
        return FromNetworks(models.SelectMany(NetworksOf), featureColumn);
    }

    /// <summary>An ensemble of the networks in saved model zips (single networks or ensembles, whose members join).</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is not an RcML model zip.</exception>
    public CommittorEnsembleTransformer FromModelFiles(IEnumerable<string> paths, string featureColumn = "Features")
    {
        ArgumentNullException.ThrowIfNull(paths);
        return FromNetworks(paths.SelectMany(path =>
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' not found.", path);
            try
            {
                return CommittorScoring.ReadEnsemble(path).Members;
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{path}': {e.Message}", e);
            }
        }), featureColumn);
    }

    /// <summary>
    /// An ensemble of the <paramref name="top"/> best distinct trials of a study (see <see cref="TopDistinctTrials"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The study does not exist or has fewer than <paramref name="top"/> such trials.</exception>
    public CommittorEnsembleTransformer FromStudy(IStudyStorage storage, string study, int top, string featureColumn = "Features") =>
        FromNetworks(TopDistinctTrials(storage, study, top).Select(t => t.Network), featureColumn);

    /// <summary>
    /// The <paramref name="top"/> complete trials of a study with the lowest loss whose model is stored, one per
    /// distinct parameter set (a repeated configuration counts once, at its best), best first, with their networks.
    /// </summary>
    /// <exception cref="ArgumentException">The study does not exist or has fewer than <paramref name="top"/> such trials.</exception>
    public static IReadOnlyList<(StoredTrial Trial, CommittorNetworkSpec Network)> TopDistinctTrials(IStudyStorage storage, string study, int top)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var info = storage.FindStudy(study)
            ?? throw new ArgumentException($"The store has no study '{study}'; it has: {string.Join(", ", storage.ListStudies().Select(s => s.Name))}.");
        var chosen = new List<(StoredTrial, CommittorNetworkSpec)>();
        var seen = new List<AutoML.Parameter>();
        var candidates = storage.GetTrials(info.StudyId)
            .Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v))
            .OrderBy(t => t.Value).ThenBy(t => t.Number);
        foreach (var trial in candidates)
        {
            if (chosen.Count == top) break;
            if (seen.Any(p => p.Equals(trial.Parameters))) continue;
            var zip = storage.LoadModel(trial.TrialId);
            if (zip is null) continue;
            seen.Add(trial.Parameters);
            chosen.Add((trial, CommittorScoring.ReadSpec(new MemoryStream(zip))));
        }
        if (chosen.Count < top)
            throw new ArgumentException(
                $"Study '{study}' has {chosen.Count} distinct complete trials with a stored model; {top} were asked for.");
        return chosen;
    }

    /// <summary>A trainer of <paramref name="members"/> networks of one configuration from consecutive seeds.</summary>
    public CommittorEnsembleTrainer Trainer(CommittorTrainerOptions? memberOptions = null, int members = 5) => new(_ml, memberOptions, members);

    private IEnumerable<CommittorNetworkSpec> NetworksOf(ITransformer model)
    {
        var found = InMemory(model).ToArray();
        if (found.Length > 0) return found;
        // A loaded model is a chain of ML.NET's own transformers: the networks are in its saved form.
        using var stream = new MemoryStream();
        _ml.Model.Save(model, null, stream);
        stream.Position = 0;
        return CommittorScoring.ReadEnsemble(stream).Members;
    }

    private static IEnumerable<CommittorNetworkSpec> InMemory(ITransformer model) => model switch
    {
        CommittorPredictionTransformer single => [single.Network],
        CommittorEnsembleTransformer ensemble => ensemble.Members,
        IEnumerable<ITransformer> chain => chain.SelectMany(InMemory),
        _ => [],
    };
}
