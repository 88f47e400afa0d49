using System.Text.Json;
using System.Text.Json.Serialization;

namespace RcML.Committor;

/// <summary>How a raw input CV enters the network.</summary>
public enum InputKind
{
    /// <summary>Used as it is.</summary>
    Linear,
    /// <summary>A periodic angle in degrees: becomes the pair sin(x), cos(x).</summary>
    PeriodicDegrees,
    /// <summary>A periodic angle in radians: becomes the pair sin(x), cos(x).</summary>
    PeriodicRadians,
}

/// <summary>One raw input CV of a committor network.</summary>
/// <param name="Name">The CV's column name in the data.</param>
/// <param name="Kind">Linear, or periodic (expanded to sin/cos).</param>
public sealed record NetworkInput(string Name, InputKind Kind);

/// <summary>
/// A dense layer y = act(norm(W x + b)). Weights are row-major [Out, In].
/// Batch norm is stored already folded into W and b (inference mode), so only layer norm remains as a norm.
/// </summary>
public sealed record DenseLayer
{
    /// <summary>Number of inputs.</summary>
    public required int In { get; init; }
    /// <summary>Number of outputs.</summary>
    public required int Out { get; init; }
    /// <summary>Row-major weights, length Out*In.</summary>
    public required float[] Weight { get; init; }
    /// <summary>Bias, length Out.</summary>
    public required float[] Bias { get; init; }
    /// <summary>Layer-norm scale (length Out) or null when the layer has no layer norm.</summary>
    public float[]? LayerNormScale { get; init; }
    /// <summary>Layer-norm shift (length Out) or null.</summary>
    public float[]? LayerNormBias { get; init; }
    /// <summary>Layer-norm epsilon.</summary>
    public float LayerNormEpsilon { get; init; } = 1e-5f;
    /// <summary>Activation name (<see cref="Committor.Activation.Name"/>): identity or one of <see cref="Committor.Activation.Names"/>.</summary>
    public string Activation { get; init; } = "identity";
}

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
    public int ExpandedDimension => Inputs.Sum(i => i.Kind == InputKind.Linear ? 1 : 2);

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
