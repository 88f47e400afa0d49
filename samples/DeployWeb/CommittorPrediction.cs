using System.Text.Json.Serialization;

namespace DeployWeb;

/// <summary>The model's outputs.</summary>
public sealed class CommittorPrediction
{
    /// <summary>The learned reaction coordinate q.</summary>
    [JsonPropertyName("reaction_coordinate")] public float ReactionCoordinate { get; set; }
    /// <summary>The committor p_B = sigmoid(q).</summary>
    [JsonPropertyName("committor")] public float Committor { get; set; }
}
