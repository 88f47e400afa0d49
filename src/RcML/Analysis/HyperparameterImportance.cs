using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RcML.AutoML;
using RcML.Storage;

namespace RcML.Analysis;

/// <summary>
/// Hyperparameter importance by functional ANOVA on a random-forest surrogate of (parameters -> trial value), as Optuna's
/// FanovaImportanceEvaluator: parameters are encoded in the unit cube (<see cref="SearchSpace.MappingToFeatureSpace"/>;
/// an inactive conditional parameter takes its encoding 0.5, a categorical one its choice's bin), an ML.NET FastForest
/// regression is fitted, and each tree's variance over the uniform unit cube is split exactly into main effects using
/// its leaves' boxes: for parameter j, the marginal f_j(u) = integral of the tree over the other coordinates is piecewise
/// constant between the tree's thresholds on j, and its variance divided by the tree's total variance is the tree's
/// fraction for j. Fractions are averaged over trees and normalized to sum 1.
/// </summary>
public static class HyperparameterImportance
{
    /// <summary>The fewest complete trials the surrogate is fitted on.</summary>
    public const int MinimumTrials = 4;

    private const string FeaturesColumn = "Features";
    private const string LabelColumn = "Label";

    /// <summary>Importances from a study in a store (its search space and complete trials).</summary>
    public static HyperparameterImportanceResult Compute(IStudyStorage storage, string studyName, HyperparameterImportanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var study = storage.FindStudy(studyName) ?? throw new ArgumentException($"The store has no study named '{studyName}'.");
        return Compute(SearchSpace.FromJson(study.SearchSpaceJson), storage.GetTrials(study.StudyId), options);
    }

    /// <summary>Importances from the complete trials (with a finite value) among <paramref name="trials"/>.</summary>
    public static HyperparameterImportanceResult Compute(SearchSpace space, IEnumerable<StoredTrial> trials, HyperparameterImportanceOptions? options = null) =>
        Compute(space, trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v))
            .Select(t => (t.Parameters, t.Value!.Value)).ToArray(), options);

    /// <summary>Importances from (parameters, value) pairs.</summary>
    public static HyperparameterImportanceResult Compute(SearchSpace space, IReadOnlyList<(Parameter Parameters, double Value)> trials,
        HyperparameterImportanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(trials);
        options ??= new HyperparameterImportanceOptions();
        if (trials.Count < MinimumTrials)
            throw new ArgumentException($"Hyperparameter importance needs at least {MinimumTrials} complete trials; there are {trials.Count}.");
        if (space.FeatureSpaceDim == 0)
            throw new ArgumentException("The search space has no parameters.");

        var points = trials.Select(t => space.MappingToFeatureSpace(t.Parameters)).ToArray();
        var values = trials.Select(t => t.Value).ToArray();
        var ml = new MLContext(options.Seed);
        var forest = Fit(ml, points, values, options);
        var (fractions, trees) = MainEffectFractions(forest.Model.TrainedTreeEnsemble!, space.FeatureSpaceDim);

        double total = fractions.Sum();
        var importances = space.Options.Select((o, j) => new ParameterImportance(o.Name, total > 0 ? fractions[j] / total : 0, fractions[j]))
            .OrderByDescending(p => p.Importance).ThenBy(p => space.IndexOf(p.Name)).ToArray();
        var effects = importances.Take(options.MarginalEffects)
            .Select(p => Marginal(ml, forest, space, space.IndexOf(p.Name), points, options.GridPoints)).ToArray();
        return new HyperparameterImportanceResult(importances, effects, trials.Count, trees);
    }

    private static RegressionPredictionTransformer<FastForestRegressionModelParameters> Fit(MLContext ml, double[][] points, double[] values,
        HyperparameterImportanceOptions options)
    {
        var trainer = ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            FeatureColumnName = FeaturesColumn,
            LabelColumnName = LabelColumn,
            NumberOfTrees = options.Trees,
            NumberOfLeaves = Math.Max(2, options.MaxLeaves),
            MinimumExampleCountPerLeaf = options.MinTrialsPerLeaf,
            NumberOfThreads = 1, // deterministic, and the machine is shared
            Seed = options.Seed,
            FeatureFraction = 1,
        });
        return trainer.Fit(View(ml, points, values));
    }

    /// <summary>Per parameter, the tree-averaged fraction of variance of its main effect; and how many trees had variance.</summary>
    internal static (double[] Fractions, int Trees) MainEffectFractions(TreeEnsemble<QuantileRegressionTree> ensemble, int dimensions)
    {
        var sums = new double[dimensions];
        int trees = 0;
        foreach (var tree in ensemble.Trees)
        {
            var leaves = LeafBoxes(tree, dimensions);
            double mean = leaves.Sum(l => l.Volume * l.Value);
            double variance = leaves.Sum(l => l.Volume * (l.Value - mean) * (l.Value - mean));
            if (!(variance > 1e-300)) continue;
            trees++;
            for (int j = 0; j < dimensions; j++)
                sums[j] += MainEffectVariance(leaves, j, mean) / variance;
        }
        return (trees > 0 ? sums.Select(s => s / trees).ToArray() : sums, trees);
    }

    private sealed record LeafBox(double[] Lower, double[] Upper, double Value)
    {
        public double Volume { get; } = Lower.Select((l, j) => Upper[j] - l).Aggregate(1.0, (p, w) => p * w);
    }

    /// <summary>The leaves of a tree as boxes of the unit cube. FastTree sends x to the left child when x[feature] &lt;= threshold.</summary>
    private static List<LeafBox> LeafBoxes(RegressionTreeBase tree, int dimensions)
    {
        var leaves = new List<LeafBox>();
        var lower = new double[dimensions];
        var upper = Enumerable.Repeat(1.0, dimensions).ToArray();
        if (tree.NumberOfNodes == 0)
        {
            leaves.Add(new LeafBox(lower, upper, tree.LeafValues[0]));
            return leaves;
        }
        void Visit(int child, double[] lo, double[] hi)
        {
            if (child < 0)
            {
                leaves.Add(new LeafBox(lo, hi, tree.LeafValues[~child]));
                return;
            }
            int feature = tree.NumericalSplitFeatureIndexes[child];
            double threshold = Math.Clamp(tree.NumericalSplitThresholds[child], lo[feature], hi[feature]);
            var leftHi = (double[])hi.Clone();
            leftHi[feature] = threshold;
            var rightLo = (double[])lo.Clone();
            rightLo[feature] = threshold;
            Visit(tree.LeftChild[child], lo, leftHi);
            Visit(tree.RightChild[child], rightLo, hi);
        }
        Visit(0, lower, upper);
        return leaves;
    }

    /// <summary>Variance over u of f_j(u) = sum over leaves whose box holds u of value x (volume / width along j).</summary>
    private static double MainEffectVariance(List<LeafBox> leaves, int j, double mean)
    {
        var cuts = leaves.SelectMany(l => new[] { l.Lower[j], l.Upper[j] }).Append(0).Append(1).Distinct().Order().ToArray();
        double variance = 0;
        for (int c = 0; c + 1 < cuts.Length; c++)
        {
            double a = cuts[c], b = cuts[c + 1];
            if (b <= a) continue;
            double marginal = 0;
            foreach (var leaf in leaves)
                if (leaf.Lower[j] <= a && leaf.Upper[j] >= b && leaf.Upper[j] > leaf.Lower[j])
                    marginal += leaf.Value * leaf.Volume / (leaf.Upper[j] - leaf.Lower[j]);
            variance += (b - a) * (marginal - mean) * (marginal - mean);
        }
        return variance;
    }

    private static MarginalEffect Marginal(MLContext ml, ITransformer forest, SearchSpace space, int j, double[][] points, int gridPoints)
    {
        var option = space.Options[j];
        var grid = option.ChoiceCount > 0
            ? Enumerable.Range(0, option.ChoiceCount).Select(i => option.FromUnit((i + 0.5) / option.ChoiceCount))
            : Enumerable.Range(0, Math.Max(2, gridPoints)).Select(g => option.FromUnit(g / (Math.Max(2, gridPoints) - 1.0)));
        // Snap to the values' own coordinates (an integer parameter repeats values on a fine grid).
        var values = grid.Distinct().ToArray();
        var units = values.Select(option.ToUnit).ToArray();

        var rows = new List<double[]>();
        foreach (double u in units)
            foreach (var point in points)
            {
                var row = (double[])point.Clone();
                row[j] = u;
                rows.Add(row);
            }
        var scores = forest.Transform(View(ml, rows, new double[rows.Count])).GetColumn<float>("Score").ToArray();
        var curve = units.Select((u, g) => new MarginalEffectPoint(u, values[g],
            scores.Skip(g * points.Length).Take(points.Length).Average(s => (double)s))).ToArray();
        return new MarginalEffect(option.Name, curve);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    private static IDataView View(MLContext ml, IReadOnlyList<double[]> points, double[] values)
    {
        int d = points[0].Length;
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var rows = points.Select((p, i) => new Row { Features = p.Select(v => (float)v).ToArray(), Label = (float)values[i] }).ToArray();
        return ml.Data.LoadFromEnumerable(rows, definition);
    }
}
