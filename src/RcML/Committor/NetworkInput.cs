namespace RcML.Committor;

/// <summary>One raw input CV of a committor network.</summary>
/// <param name="Name">The CV's column name in the data.</param>
/// <param name="Kind">Linear, or periodic (expanded to sin/cos).</param>
public sealed record NetworkInput(string Name, InputKind Kind);
