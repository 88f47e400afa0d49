using System.Globalization;
using RcML.Committor;

namespace RcML.AutoML;

/// <summary>
/// A committor trainer whose hyperparameters come from a search space, as ML.NET AutoML's sweepable estimators:
/// a parameter set turns into a <see cref="CommittorTrainer"/>. Parameters it does not find (or a space without
/// them) keep the values of <see cref="BaseOptions"/>. Recognized names are those of
/// <see cref="CommittorSearchSpace"/>: layers, nodes_1..nodes_6, activation, dropout, learning_rate, weight_decay,
/// batch_mode, batch_size, optimizer, normalization.
/// </summary>
public sealed class SweepableCommittorEstimator
{
    /// <summary>Creates the sweepable trainer over <paramref name="searchSpace"/> (default: <see cref="CommittorSearchSpace"/>).</summary>
    public SweepableCommittorEstimator(SearchSpace? searchSpace = null, CommittorTrainerOptions? baseOptions = null)
    {
        SearchSpace = searchSpace ?? new SearchSpace<CommittorSearchSpace>();
        BaseOptions = baseOptions ?? new CommittorTrainerOptions();
    }

    /// <summary>The space searched.</summary>
    public SearchSpace SearchSpace { get; }

    /// <summary>Options not searched: columns, inputs, epochs, patience, validation fraction...</summary>
    public CommittorTrainerOptions BaseOptions { get; }

    /// <summary>The trainer options for one parameter set and trial seed.</summary>
    public CommittorTrainerOptions ToOptions(Parameter parameter, int seed)
    {
        var b = BaseOptions;
        var o = new CommittorTrainerOptions
        {
            FeatureColumnName = b.FeatureColumnName, CountAColumnName = b.CountAColumnName, CountBColumnName = b.CountBColumnName,
            Inputs = b.Inputs, Periodic = b.Periodic, PeriodicUnit = b.PeriodicUnit, Standardize = b.Standardize,
            HiddenLayers = b.HiddenLayers, Nodes = b.Nodes, LayerWidths = b.LayerWidths, Activation = b.Activation,
            Dropout = b.Dropout, Normalization = b.Normalization, Optimizer = b.Optimizer, LearningRate = b.LearningRate,
            WeightDecay = b.WeightDecay, InputGroupLasso = b.InputGroupLasso, BatchSize = b.BatchSize, MaxEpochs = b.MaxEpochs, Patience = b.Patience,
            MinDelta = b.MinDelta, ValidationFraction = b.ValidationFraction, Device = b.Device, Seed = seed,
        };
        if (parameter.TryGetValue("layers", out var layers))
        {
            int n = Convert.ToInt32(layers, CultureInfo.InvariantCulture);
            var widths = new int[n];
            for (int i = 0; i < n; i++)
                widths[i] = parameter.TryGetValue($"nodes_{i + 1}", out var w) ? Convert.ToInt32(w, CultureInfo.InvariantCulture)
                    : parameter.TryGetValue("nodes", out var all) ? Convert.ToInt32(all, CultureInfo.InvariantCulture) : b.Nodes;
            o.LayerWidths = widths;
            o.HiddenLayers = n;
        }
        if (parameter.TryGetValue("activation", out var activation)) o.Activation = (string)activation;
        if (parameter.TryGetValue("dropout", out var dropout)) o.Dropout = Convert.ToDouble(dropout, CultureInfo.InvariantCulture);
        if (parameter.TryGetValue("learning_rate", out var lr)) o.LearningRate = Convert.ToDouble(lr, CultureInfo.InvariantCulture);
        if (parameter.TryGetValue("weight_decay", out var wd)) o.WeightDecay = Convert.ToDouble(wd, CultureInfo.InvariantCulture);
        if (parameter.TryGetValue("input_lasso", out var lasso)) o.InputGroupLasso = Convert.ToDouble(lasso, CultureInfo.InvariantCulture);
        if (parameter.TryGetValue("batch_mode", out var mode))
            o.BatchSize = (string)mode == "full" ? 0
                : parameter.TryGetValue("batch_size", out var size) ? Convert.ToInt32(size, CultureInfo.InvariantCulture) : b.BatchSize;
        else if (parameter.TryGetValue("batch_size", out var onlySize)) o.BatchSize = Convert.ToInt32(onlySize, CultureInfo.InvariantCulture);
        if (parameter.TryGetValue("optimizer", out var optimizer)) o.Optimizer = Enum.Parse<CommittorOptimizer>((string)optimizer, ignoreCase: true);
        if (parameter.TryGetValue("normalization", out var norm)) o.Normalization = Enum.Parse<LayerNormalization>((string)norm, ignoreCase: true);
        return o;
    }
}
