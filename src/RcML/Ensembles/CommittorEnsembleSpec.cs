using System.Text.Json;
using System.Text.Json.Serialization;
using RcML.Committor;

namespace RcML.Ensembles;

/// <summary>
/// The member networks of a committor ensemble, all reading the same raw CVs. The ensemble's outputs are defined by
/// <see cref="CommittorEnsembleTransformer"/>: Committor = mean of the members' p_B, ReactionCoordinate = its logit,
/// CommittorStdDev = the members' standard deviation of p_B (divided by k). It is written into the ensemble's ONNX
/// metadata, so a saved ensemble describes itself.
/// </summary>
public sealed record CommittorEnsembleSpec
{
    /// <summary>The member networks; at least one.</summary>
    public required IReadOnlyList<CommittorNetworkSpec> Members { get; init; }

    /// <summary>
    /// The raw CV names the ensemble reads, in the order of its input vector: the first member's input order. The
    /// other members may list the same names in another order (the graph reorders their inputs).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> InputNames => Members[0].Inputs.Select(i => i.Name).ToArray();

    /// <summary>Checks that there is at least one member and that every member reads exactly the same CV names.</summary>
    /// <exception cref="ArgumentException">No member, duplicate input names, or members reading different CVs.</exception>
    public void Validate()
    {
        if (Members is null || Members.Count == 0)
            throw new ArgumentException("An ensemble needs at least one member network.");
        var names = InputNames;
        if (names.Distinct().Count() != names.Count)
            throw new ArgumentException($"The first member lists an input twice: {string.Join(", ", names)}.");
        for (int m = 1; m < Members.Count; m++)
        {
            var other = Members[m].Inputs.Select(i => i.Name).ToArray();
            if (other.Length != names.Count || !other.ToHashSet().SetEquals(names))
                throw new ArgumentException(
                    $"Member {m + 1} reads {string.Join(", ", other)}, but member 1 reads {string.Join(", ", names)}; ensemble members must read the same CVs.");
        }
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>JSON form, as stored in ONNX metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the JSON form.</summary>
    public static CommittorEnsembleSpec FromJson(string json) =>
        JsonSerializer.Deserialize<CommittorEnsembleSpec>(json, Json)
        ?? throw new InvalidDataException("The committor ensemble description is empty.");
}
