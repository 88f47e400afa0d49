using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;

namespace RcML.AutoML;

/// <summary>
/// The default hyperparameter space of a committor network, as an options class:
/// <c>new SearchSpace&lt;CommittorSearchSpace&gt;()</c> builds the space and <c>ToOptions</c> fills an instance.
/// Widths are per layer: <c>nodes_k</c> exists only when <c>layers &gt;= k</c>; <c>batch_size</c> only when <c>batch_mode</c> is "mini".
/// The defaults (2 x 32 elu, full batch, AdamW at learning rate 0.01, weight decay 1e-4, CV selection 3e-4) are the configuration a study
/// tries first (<see cref="GaussianProcessTunerOptions.StartFromDefault"/>): on shooting sets of a few thousand
/// configurations it trains in seconds and lands near the good end of the space (Muller-Brown with noise CVs and the
/// 90-CV molecular-style system, bench/NOTES.md 2026-11-29), so racing starts from a cheap, strong incumbent.
/// </summary>
public sealed class CommittorSearchSpace
{
    /// <summary>Hidden layers, 1-6. Deeper nets can bend the isocommittor surfaces more sharply, at the cost of harder training on few transition-region samples.</summary>
    [JsonPropertyName("layers"), Range(1, 6, 2)]
    public int Layers { get; set; } = 2;

    /// <summary>Width of hidden layer 1, 8-512 (log). Wider layers resolve finer structure of q(x) but overfit sparse barrier data sooner.</summary>
    [JsonPropertyName("nodes_1"), Range(8, 512, 32, true)]
    public int Nodes1 { get; set; } = 32;

    /// <summary>Width of hidden layer 2, 8-512 (log); active when <see cref="Layers"/> &gt;= 2.</summary>
    [JsonPropertyName("nodes_2"), Range(8, 512, 32, true), ActiveWhen(nameof(Layers), Min = 2)]
    public int Nodes2 { get; set; } = 32;

    /// <summary>Width of hidden layer 3, 8-512 (log); active when <see cref="Layers"/> &gt;= 3.</summary>
    [JsonPropertyName("nodes_3"), Range(8, 512, 32, true), ActiveWhen(nameof(Layers), Min = 3)]
    public int Nodes3 { get; set; } = 32;

    /// <summary>Width of hidden layer 4, 8-512 (log); active when <see cref="Layers"/> &gt;= 4.</summary>
    [JsonPropertyName("nodes_4"), Range(8, 512, 32, true), ActiveWhen(nameof(Layers), Min = 4)]
    public int Nodes4 { get; set; } = 32;

    /// <summary>Width of hidden layer 5, 8-512 (log); active when <see cref="Layers"/> &gt;= 5.</summary>
    [JsonPropertyName("nodes_5"), Range(8, 512, 32, true), ActiveWhen(nameof(Layers), Min = 5)]
    public int Nodes5 { get; set; } = 32;

    /// <summary>Width of hidden layer 6, 8-512 (log); active when <see cref="Layers"/> = 6.</summary>
    [JsonPropertyName("nodes_6"), Range(8, 512, 32, true), ActiveWhen(nameof(Layers), Min = 6)]
    public int Nodes6 { get; set; } = 32;

    /// <summary>
    /// Hidden activation: tanh, relu, elu, gelu, silu or sigmoid. Smooth ones (tanh, gelu, silu, elu) give a smooth q(x)
    /// whose gradient, used for the committor's variational loss and for biasing, is continuous; relu gives a piecewise-linear q.
    /// </summary>
    [JsonPropertyName("activation"), Choice(new object[] { "tanh", "relu", "elu", "gelu", "silu", "sigmoid" }, "elu")]
    public string Activation { get; set; } = "elu";

    /// <summary>Dropout probability, 0-0.5. Regularizes against fitting noise in shooting outcomes; too much blurs the transition region.</summary>
    [JsonPropertyName("dropout"), Range(0.0, 0.5, 0.0)]
    public double Dropout { get; set; }

    /// <summary>Learning rate, 1e-5-1e-1 (log). Too high and the sharp sigmoid saturates (q collapses to 0/1); too low and training stalls.</summary>
    [JsonPropertyName("learning_rate"), Range(1e-5, 1e-1, 1e-2, true)]
    public double LearningRate { get; set; } = 1e-2;

    /// <summary>Weight decay (L2), 1e-8-1e-1 (log). Keeps weights small, so q(x) stays smooth and does not become a step function.</summary>
    [JsonPropertyName("weight_decay"), Range(1e-8, 1e-1, 1e-4, true)]
    public double WeightDecay { get; set; } = 1e-4;

    /// <summary>
    /// CV selection strength lambda, 1e-5-1e-2 (log): the first layer's weights from a CV the loss does not need shrink to
    /// exactly zero during training (<see cref="Committor.CommittorTrainerOptions.InputGroupLasso"/>). Irrelevant CVs
    /// cost more test error than anything else on shooting data; the best value depends on the data (about 1e-3 on
    /// Muller-Brown with 6 noise CVs, 1e-4 on the 90-CV molecular-style system; bench/NOTES.md), so it is searched.
    /// </summary>
    [JsonPropertyName("input_lasso"), Range(1e-5, 1e-2, 3e-4, true)]
    public double InputLasso { get; set; } = 3e-4;

    /// <summary>"full" (whole data set per step: deterministic, best for small shooting sets) or "mini" (mini-batches of <see cref="BatchSize"/>).</summary>
    [JsonPropertyName("batch_mode"), Choice(new object[] { "full", "mini" }, "full")]
    public string BatchMode { get; set; } = "full";

    /// <summary>Mini-batch size, 32-4096 (log); active when <see cref="BatchMode"/> is "mini". Smaller batches add gradient noise that can escape poor minima.</summary>
    [JsonPropertyName("batch_size"), Range(32, 4096, 256, true), ActiveWhen(nameof(BatchMode), "mini")]
    public int BatchSize { get; set; } = 256;

    /// <summary>Optimizer: Adam, or AdamW (decoupled weight decay, so <see cref="WeightDecay"/> acts as true shrinkage).</summary>
    [JsonPropertyName("optimizer"), Choice(new object[] { "Adam", "AdamW" }, "AdamW")]
    public string Optimizer { get; set; } = "AdamW";

    /// <summary>Normalization after each hidden linear layer: none, batch or layer. Batch norm depends on batch statistics (less apt for full-batch or tiny sets); layer norm does not.</summary>
    [JsonPropertyName("normalization"), Choice(new object[] { "none", "batch", "layer" }, "none")]
    public string Normalization { get; set; } = "none";

    /// <summary>The widths of the <see cref="Layers"/> hidden layers, in order.</summary>
    public int[] HiddenWidths() => new[] { Nodes1, Nodes2, Nodes3, Nodes4, Nodes5, Nodes6 }.Take(Layers).ToArray();

    /// <summary>The mini-batch size, or null for full-batch training.</summary>
    public int? EffectiveBatchSize => BatchMode == "full" ? null : BatchSize;
}
