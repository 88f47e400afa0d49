namespace RcML.AutoML;

/// <summary>Value the GP pretends a pending trial returned (in standardized units), so parallel proposals differ.</summary>
public enum ConstantLiarStrategy
{
    /// <summary>The mean of the observed values.</summary>
    Mean,
    /// <summary>The worst observed value (most repulsive).</summary>
    Worst,
    /// <summary>The best observed value (most exploratory elsewhere).</summary>
    Best,
}
