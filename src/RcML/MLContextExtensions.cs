using Microsoft.ML;

namespace RcML;

/// <summary>Extension methods that hang RcML off an <see cref="MLContext"/>.</summary>
public static class MLContextExtensions
{
    /// <summary>RcML's catalog: committor trainers, shooting-data loading, ensembles, sweepable estimators and tuning experiments.</summary>
    public static ReactionCoordinatesCatalog ReactionCoordinates(this MLContext context) => new(context);
}
