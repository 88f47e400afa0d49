namespace RcML.Onnx;

/// <summary>
/// The names of an exported committor graph's input and outputs. ONNX value names become ML.NET column names inside an
/// OnnxTransformer, so the scorer writes its graph with the column names it needs instead of renaming values afterwards.
/// </summary>
/// <param name="Input">The raw CVs, float [N, raw CV count].</param>
/// <param name="ReactionCoordinate">q, float [N, 1].</param>
/// <param name="Committor">p_B = sigmoid(q), float [N, 1].</param>
/// <param name="CommittorStdDev">An ensemble's standard deviation of its members' p_B, float [N, 1].</param>
public sealed record OnnxValueNames(
    string Input = CommittorOnnxExporter.InputName,
    string ReactionCoordinate = CommittorOnnxExporter.ReactionCoordinateOutputName,
    string Committor = CommittorOnnxExporter.CommittorOutputName,
    string CommittorStdDev = CommittorEnsembleOnnxExporter.CommittorStdDevOutputName)
{
    /// <summary>"Features" in; "q", "p_B" and "p_B_std" out.</summary>
    public static OnnxValueNames Default { get; } = new();

    /// <summary>Throws when two of the names are the same (ONNX values must be unique).</summary>
    public void Validate()
    {
        string[] all = [Input, ReactionCoordinate, Committor, CommittorStdDev];
        if (all.Any(string.IsNullOrEmpty) || all.Distinct().Count() != all.Length)
            throw new ArgumentException($"The graph's input and output names must be distinct and non-empty: {string.Join(", ", all)}.");
    }
}
