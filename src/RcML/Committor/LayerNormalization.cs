namespace RcML.Committor;

/// <summary>Normalization inside each hidden block.</summary>
public enum LayerNormalization
{
    /// <summary>No normalization.</summary>
    None,
    /// <summary>Batch normalization (folded into the dense weights at export).</summary>
    Batch,
    /// <summary>Layer normalization.</summary>
    Layer,
}
