using System.Text.Json;
using System.Text.Json.Serialization;

namespace RcML.Committor;

/// <summary>
/// Everything needed to evaluate a trained committor network on raw CVs, independent of TorchSharp:
/// raw CVs -> periodic sin/cos expansion -> standardization (x - Mean) / Scale -> dense layers -> q.
/// p_B = sigmoid(q). It is written into the exported ONNX model's metadata, so a saved model zip describes itself.
/// </summary>
public sealed record CommittorNetworkSpec
{
    /// <summary>The raw inputs, in the order of the model's input vector.</summary>
    public required IReadOnlyList<NetworkInput> Inputs { get; init; }
    /// <summary>Per expanded feature mean (after sin/cos expansion); length = ExpandedDimension.</summary>
    public required float[] Mean { get; init; }
    /// <summary>Per expanded feature scale (standard deviation, never 0).</summary>
    public required float[] Scale { get; init; }
    /// <summary>Hidden layers followed by the final layer with one output and identity activation.</summary>
    public required IReadOnlyList<DenseLayer> Layers { get; init; }

    /// <summary>Width of the input after periodic expansion.</summary>
    [JsonIgnore]
    public int ExpandedDimension => InputExpansion.ExpandedWidth(Inputs);

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>JSON form, as stored in ONNX metadata.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the JSON form.</summary>
    public static CommittorNetworkSpec FromJson(string json) =>
        JsonSerializer.Deserialize<CommittorNetworkSpec>(json, Json)
        ?? throw new InvalidDataException("The committor network description is empty.");
}
