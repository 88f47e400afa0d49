namespace RcML.AutoML;

/// <summary>Uniform random search in the unit-hypercube encoding.</summary>
public sealed class RandomSearchTuner : TunerBase
{
    /// <summary>Creates a random search tuner.</summary>
    public RandomSearchTuner(SearchSpace searchSpace, int seed = 0) : base(searchSpace, seed) { }

    /// <inheritdoc/>
    protected override Parameter ProposeCore(TrialSettings settings) => SearchSpace.SampleFromFeatureSpace(RandomFeature());
}
