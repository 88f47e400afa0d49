using System.Text.Json.Serialization;
using FluentAssertions;
using Microsoft.ML.SearchSpace;
using RcML.AutoML;
using Xunit;

namespace RcML.Tests.AutoML;

public class SearchSpaceTests
{
    internal static SearchSpace MixedSpace() => new SearchSpace()
        .AddFloat("lr", 1e-5, 1e-1, log: true)
        .AddFloat("dropout", 0, 0.5)
        .AddInt("layers", 1, 6)
        .AddInt("width", 8, 512, log: true)
        .AddInt("nodes_3", 8, 512, log: true, when: Condition.AtLeast("layers", 3))
        .AddChoice("act", ["tanh", "relu", "gelu"])
        .AddChoice("bs", [32, 64, 128])
        .AddChoice("scale", [0.5, 1.5])
        .AddBool("flag", true)
        .AddChoice("mode", ["full", "mini"])
        .AddInt("batch", 32, 4096, log: true, when: Condition.In("mode", "mini"));

    [Fact]
    public void Hypercube_round_trip_is_exact_for_every_option_type_and_conditional()
    {
        var space = MixedSpace();
        var rng = new Random(1);
        var sawActive = false; var sawInactive = false;
        for (var i = 0; i < 500; i++)
        {
            var p = space.Sample(rng);
            space.IsValid(p).Should().BeTrue();
            var u = space.MappingToFeatureSpace(p);
            u.Should().HaveCount(space.FeatureSpaceDim).And.OnlyContain(x => x >= 0 && x <= 1);
            space.SampleFromFeatureSpace(u).Should().Equal(p);
            if (p.ContainsKey("nodes_3")) sawActive = true; else sawInactive = true;
            p.ContainsKey("nodes_3").Should().Be(p.GetInt("layers") >= 3);
            p.ContainsKey("batch").Should().Be(p.GetString("mode") == "mini");
        }
        (sawActive && sawInactive).Should().BeTrue();
    }

    [Fact]
    public void Unit_mapping_covers_ranges_and_types()
    {
        var space = MixedSpace();
        var lo = space.SampleFromFeatureSpace(Enumerable.Repeat(0.0, space.FeatureSpaceDim).ToArray());
        var hi = space.SampleFromFeatureSpace(Enumerable.Repeat(1.0, space.FeatureSpaceDim).ToArray());
        lo.GetDouble("lr").Should().BeApproximately(1e-5, 1e-12);
        hi.GetDouble("lr").Should().BeApproximately(1e-1, 1e-12);
        lo["layers"].Should().Be(1); hi["layers"].Should().Be(6);
        lo["width"].Should().Be(8); hi["width"].Should().Be(512);
        lo["act"].Should().Be("tanh"); hi["act"].Should().Be("gelu");
        lo["bs"].Should().Be(32); hi["scale"].Should().Be(1.5);
        lo["flag"].Should().Be(false); hi["flag"].Should().Be(true);
        lo.ContainsKey("batch").Should().BeFalse(); hi.GetInt("batch").Should().Be(4096);
        // log-uniform: the midpoint of the cube is the geometric mean
        space["lr"].FromUnit(0.5).Should().BeOfType<double>().Which.Should().BeApproximately(1e-3, 1e-12);
        // linear int bins are equal: each of 6 layers gets 1/6 of the axis
        Enumerable.Range(0, 6).Select(k => space["layers"].FromUnit((k + 0.5) / 6)).Should().Equal(1, 2, 3, 4, 5, 6);
    }

    [Fact]
    public void Parameter_json_round_trip_keeps_types()
    {
        var p = new Parameter(new Dictionary<string, object> { ["a"] = 1.0, ["b"] = 3, ["c"] = "x", ["d"] = true, ["e"] = 1e-7, ["f"] = 0.1f });
        var json = p.ToJson();
        var back = Parameter.FromJson(json);
        back.Should().Equal(p);
        back["a"].Should().BeOfType<double>();
        back["b"].Should().BeOfType<int>();
        back["f"].Should().Be((double)0.1f);
        var space = MixedSpace(); var rng = new Random(2);
        for (var i = 0; i < 50; i++) { var q = space.Sample(rng); Parameter.FromJson(q.ToJson()).Should().Equal(q); }
    }

    [Fact]
    public void Space_json_round_trip_preserves_options_and_conditions()
    {
        var space = MixedSpace();
        var back = SearchSpace.FromJson(space.ToJson(indented: true));
        back.ToJson().Should().Be(space.ToJson());
        back.Options.Select(o => o.GetType()).Should().Equal(space.Options.Select(o => o.GetType()));
        var rng = new Random(3);
        for (var i = 0; i < 100; i++)
        {
            var u = Enumerable.Range(0, space.FeatureSpaceDim).Select(_ => rng.NextDouble()).ToArray();
            back.SampleFromFeatureSpace(u).Should().Equal(space.SampleFromFeatureSpace(u));
        }
    }

    [Fact]
    public void Committor_space_has_the_documented_ranges()
    {
        var space = new SearchSpace<CommittorSearchSpace>();
        space.Options.Select(o => o.Name).Should().Equal("layers", "nodes_1", "nodes_2", "nodes_3", "nodes_4", "nodes_5", "nodes_6",
            "activation", "dropout", "learning_rate", "weight_decay", "input_lasso", "batch_mode", "batch_size", "optimizer", "normalization");
        space["layers"].Should().BeOfType<UniformIntOption>().Which.Should().Match<UniformIntOption>(o => o.Min == 1 && o.Max == 6 && !o.LogBase);
        for (var k = 1; k <= 6; k++)
        {
            var n = space[$"nodes_{k}"].Should().BeOfType<UniformIntOption>().Subject;
            (n.Min, n.Max, n.LogBase).Should().Be((8, 512, true));
            if (k == 1) n.Conditions.Should().BeEmpty();
            else n.Conditions.Should().ContainSingle().Which.Should().Match<Condition>(c => c.Parent == "layers" && c.Min == k);
        }
        space["activation"].Should().BeOfType<ChoiceOption>().Which.Choices.Should().Equal("tanh", "relu", "elu", "gelu", "silu", "sigmoid");
        space["dropout"].Should().BeOfType<UniformDoubleOption>().Which.Should().Match<UniformDoubleOption>(o => o.Min == 0 && o.Max == 0.5 && !o.LogBase);
        space["learning_rate"].Should().BeOfType<UniformDoubleOption>().Which.Should().Match<UniformDoubleOption>(o => o.Min == 1e-5 && o.Max == 1e-1 && o.LogBase);
        space["weight_decay"].Should().BeOfType<UniformDoubleOption>().Which.Should().Match<UniformDoubleOption>(o => o.Min == 1e-8 && o.Max == 1e-1 && o.LogBase);
        space["input_lasso"].Should().BeOfType<UniformDoubleOption>().Which.Should().Match<UniformDoubleOption>(o => o.Min == 1e-5 && o.Max == 1e-2 && o.LogBase);
        space["batch_mode"].Should().BeOfType<ChoiceOption>().Which.Choices.Should().Equal("full", "mini");
        var bs = space["batch_size"].Should().BeOfType<UniformIntOption>().Subject;
        (bs.Min, bs.Max, bs.LogBase).Should().Be((32, 4096, true));
        bs.Conditions.Should().ContainSingle().Which.Values.Should().Equal("mini");
        space["optimizer"].Should().BeOfType<ChoiceOption>().Which.Choices.Should().Equal("Adam", "AdamW");
        space["normalization"].Should().BeOfType<ChoiceOption>().Which.Choices.Should().Equal("none", "batch", "layer");
    }

    [Fact]
    public void Committor_space_to_options_and_back()
    {
        var space = new SearchSpace<CommittorSearchSpace>();
        var defaults = space.Default;
        space.FromOptions(new CommittorSearchSpace()).Should().Equal(defaults);
        var rng = new Random(4);
        for (var i = 0; i < 200; i++)
        {
            var p = space.Sample(rng);
            var o = space.ToOptions(p);
            o.Layers.Should().Be(p.GetInt("layers"));
            o.HiddenWidths().Should().HaveCount(o.Layers);
            o.HiddenWidths()[^1].Should().Be(p.GetInt($"nodes_{o.Layers}"));
            o.LearningRate.Should().Be(p.GetDouble("learning_rate"));
            o.EffectiveBatchSize.Should().Be(p.GetString("batch_mode") == "full" ? null : p.GetInt("batch_size"));
            space.FromOptions(o).Should().Equal(p);
        }
    }

    private enum Kind { Small, Large }

    private sealed class Inner
    {
        [Range(0.1f, 2f, 1f)] public float Scale { get; set; } = 1f;
        [BooleanChoice(true)] public bool Center { get; set; } = true;
    }

    private sealed class Outer
    {
        [ActiveWhen(nameof(Kind), "Large"), Range(1, 10)] public int Extra { get; set; } = 3; // declared before its parent
        [Choice(new object[] { "Small", "Large" })] public Kind Kind { get; set; } = Kind.Large;
        [JsonPropertyName("rate"), Range(1e-4, 1.0, 1e-2, true)] public double Rate { get; set; }
        [NestOption, ActiveWhen(nameof(Kind), "Small")] public Inner Inner { get; set; } = new();
        public int NotTuned { get; set; } = 7;
    }

    [Fact]
    public void Attribute_space_handles_nesting_enums_floats_and_out_of_order_conditions()
    {
        var space = new SearchSpace<Outer>();
        space.Options.Select(o => o.Name).Should().Equal("Kind", "Extra", "rate", "Inner.Scale", "Inner.Center");
        space["Kind"].Default.Should().Be("Large");
        space["Extra"].Default.Should().Be(3);
        space["Inner.Scale"].Should().BeOfType<UniformDoubleOption>().Which.Max.Should().Be(2.0);
        space.Default.Keys.Should().BeEquivalentTo("Kind", "Extra", "rate");
        var small = space.SampleFromFeatureSpace([0.1, 0.5, 0.5, 0.0, 0.1]);
        small.Keys.Should().BeEquivalentTo("Kind", "rate", "Inner.Scale", "Inner.Center");
        var o = space.ToOptions(small);
        o.Kind.Should().Be(Kind.Small);
        o.Inner.Scale.Should().BeApproximately(0.1f, 1e-6f);
        o.Inner.Center.Should().BeFalse();
        o.Extra.Should().Be(3);
        o.NotTuned.Should().Be(7);
        SearchSpace.FromJson(space.ToJson()).ToJson().Should().Be(space.ToJson());
    }

    [Fact]
    public void Code_built_nested_space_is_prefixed_and_conditional()
    {
        var adam = new SearchSpace().AddFloat("beta1", 0.8, 0.99).AddBool("amsgrad");
        var space = new SearchSpace().AddChoice("opt", ["sgd", "adam"]).AddSpace("adam", adam, Condition.In("opt", "adam"));
        space.Options.Select(o => o.Name).Should().Equal("opt", "adam.beta1", "adam.amsgrad");
        space.SampleFromFeatureSpace([0.2, 0.5, 0.5]).Keys.Should().Equal("opt");
        space.SampleFromFeatureSpace([0.7, 0.5, 0.9]).Keys.Should().BeEquivalentTo("opt", "adam.beta1", "adam.amsgrad");
    }

    [Fact]
    public void Invalid_definitions_are_rejected()
    {
        var act = () => new SearchSpace().AddInt("a", 1, 3, when: Condition.In("missing", 1));
        act.Should().Throw<ArgumentException>();
        ((Action)(() => new SearchSpace().AddFloat("x", 0, 1, log: true))).Should().Throw<ArgumentException>();
        ((Action)(() => new SearchSpace().AddFloat("x", 0, 1).AddInt("x", 0, 3))).Should().Throw<ArgumentException>();
        var space = MixedSpace();
        space.IsValid(space.Default.With("lr", 2.0)).Should().BeFalse();
        space.IsValid(space.Default.With("nodes_3", 16)).Should().Be(space.Default.GetInt("layers") >= 3);
    }
}
