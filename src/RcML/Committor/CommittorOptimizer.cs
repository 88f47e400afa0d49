namespace RcML.Committor;

/// <summary>Optimizer of the committor network.</summary>
public enum CommittorOptimizer
{
    /// <summary>Adam; weight decay acts as an L2 penalty on the gradient.</summary>
    Adam,
    /// <summary>AdamW; weight decay is decoupled from the adaptive step.</summary>
    AdamW,
}
