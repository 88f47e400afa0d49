using System.Text.Json.Serialization;
using Microsoft.ML.Data;

namespace DeployWeb;

// Generated for the model of `rcml demo` (rcml tune prints the same classes for any model):
// the raw CVs of simulated Muller-Brown data, x, y and six noise CVs.

/// <summary>One configuration's CVs, named as the model's input columns.</summary>
public sealed class Configuration
{
    public static readonly string[] Columns = ["x", "y", "noise_1", "noise_2", "noise_3", "noise_4", "noise_5", "noise_6"];

    [ColumnName("x"), JsonPropertyName("x")] public float X { get; set; }
    [ColumnName("y"), JsonPropertyName("y")] public float Y { get; set; }
    [ColumnName("noise_1"), JsonPropertyName("noise_1")] public float Noise_1 { get; set; }
    [ColumnName("noise_2"), JsonPropertyName("noise_2")] public float Noise_2 { get; set; }
    [ColumnName("noise_3"), JsonPropertyName("noise_3")] public float Noise_3 { get; set; }
    [ColumnName("noise_4"), JsonPropertyName("noise_4")] public float Noise_4 { get; set; }
    [ColumnName("noise_5"), JsonPropertyName("noise_5")] public float Noise_5 { get; set; }
    [ColumnName("noise_6"), JsonPropertyName("noise_6")] public float Noise_6 { get; set; }
}
