using FluentAssertions;
using RcML.Analysis;
using RcML.AutoML;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Analysis;

public class HyperparameterImportanceTests
{
    private static readonly SearchSpace Space = new SearchSpace()
        .AddFloat("learning_rate", 1e-4, 1e-1, log: true)
        .AddInt("nodes", 4, 64)
        .AddChoice("activation", ["tanh", "relu", "gelu"]);

    /// <summary>The value depends strongly on the learning rate, weakly on the width, not at all on the activation.</summary>
    private static List<StoredTrial> Trials(int count, int seed)
    {
        var random = new Random(seed);
        var trials = new List<StoredTrial>();
        for (int i = 0; i < count; i++)
        {
            var p = Space.Sample(random);
            double lr = Space["learning_rate"].ToUnit(p["learning_rate"]), nodes = Space["nodes"].ToUnit(p["nodes"]);
            double value = 0.5 + 3 * (lr - 0.6) * (lr - 0.6) + 0.1 * nodes;
            trials.Add(StudyTrials.Trial(i, p, value));
        }
        trials.Add(StudyTrials.Trial(count, Space.Default, null, TrialState.Failed));
        trials.Add(StudyTrials.Trial(count + 1, Space.Default, 100, TrialState.Pruned));
        return trials;
    }

    [Fact]
    public void Ranks_a_strong_a_weak_and_an_irrelevant_parameter()
    {
        var result = HyperparameterImportance.Compute(Space, Trials(80, seed: 1));

        result.Trials.Should().Be(80, "only complete trials count");
        result.Parameters.Select(p => p.Name).Should().Equal("learning_rate", "nodes", "activation");
        result.Parameters.Sum(p => p.Importance).Should().BeApproximately(1, 1e-9);
        result.Parameters[0].Importance.Should().BeGreaterThan(0.6);
        result.Parameters[2].Importance.Should().BeLessThan(0.05);
        result.Parameters.Sum(p => p.VarianceFraction).Should().BeLessThanOrEqualTo(1 + 1e-9);
        result.Trees.Should().BeGreaterThan(0);
    }

    [Fact]
    public void A_value_of_one_parameter_alone_is_all_main_effect()
    {
        // Trees split only on the learning rate (other splits gain nothing), so its marginal carries each tree's whole variance:
        // a check of the exact decomposition over the leaves' boxes.
        var random = new Random(3);
        var trials = Enumerable.Range(0, 60).Select(i =>
        {
            var p = Space.Sample(random);
            return (p, Math.Sin(4 * Space["learning_rate"].ToUnit(p["learning_rate"])));
        }).ToArray();
        var result = HyperparameterImportance.Compute(Space, trials);
        result.Parameters[0].Name.Should().Be("learning_rate");
        result.Parameters[0].VarianceFraction.Should().BeGreaterThan(0.97);
        result.Parameters[0].Importance.Should().BeGreaterThan(0.97);
    }

    [Fact]
    public void Marginal_effects_follow_the_true_dependence()
    {
        var result = HyperparameterImportance.Compute(Space, Trials(80, seed: 2), new HyperparameterImportanceOptions { MarginalEffects = 3, GridPoints = 11 });

        result.MarginalEffects.Select(e => e.Parameter).Should().Equal("learning_rate", "nodes", "activation");
        var lr = result.MarginalEffects[0].Points;
        lr.Should().HaveCount(11);
        var lowest = lr.MinBy(p => p.Predicted)!;
        lowest.Unit.Should().BeInRange(0.4, 0.8, "the value is smallest at unit 0.6");
        lr[0].Predicted.Should().BeGreaterThan(lowest.Predicted + 0.3);
        lowest.Value.Should().BeOfType<double>();

        var activation = result.MarginalEffects[2].Points;
        activation.Select(p => p.Value).Should().Equal("tanh", "relu", "gelu");
        (activation.Max(p => p.Predicted) - activation.Min(p => p.Predicted)).Should().BeLessThan(0.1);

        var nodes = result.MarginalEffects[1].Points;
        nodes.Select(p => p.Value).Should().AllBeOfType<int>().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void Inactive_conditional_parameters_are_encoded_and_too_few_trials_are_refused()
    {
        var space = new SearchSpace().AddInt("layers", 1, 3).AddFloat("dropout", 0, 0.5, when: Condition.AtLeast("layers", 2));
        var random = new Random(5);
        var trials = Enumerable.Range(0, 40).Select(i =>
        {
            var p = space.Sample(random);
            return StudyTrials.Trial(i, p, p.GetInt("layers"));
        }).ToList();
        trials.Should().Contain(t => !t.Parameters.ContainsKey("dropout"), "some trials have dropout inactive");
        var result = HyperparameterImportance.Compute(space, trials);
        result.Parameters[0].Name.Should().Be("layers");
        result.Parameters.Sum(p => p.Importance).Should().BeApproximately(1, 1e-9);

        var act = () => HyperparameterImportance.Compute(space, trials.Take(3));
        act.Should().Throw<ArgumentException>().WithMessage("*at least 4 complete trials*");
    }
}
