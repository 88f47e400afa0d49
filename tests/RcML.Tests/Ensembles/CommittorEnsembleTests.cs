using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Data;
using RcML.Ensembles;
using RcML.Onnx;
using RcML.Simulation;
using RcML.Tests.Onnx;
using Xunit;

namespace RcML.Tests.Ensembles;

public class CommittorEnsembleTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed class CvRow
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    private static IDataView Data(MLContext ml, float[][] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new CvRow { Features = r }));

    /// <summary>Member 3 lists the same CVs in another order; the graph must reorder its inputs.</summary>
    private static CommittorNetworkSpec[] Members()
    {
        var reordered = new[] { TestNetworks.MixedInputs[2], TestNetworks.MixedInputs[0], TestNetworks.MixedInputs[3], TestNetworks.MixedInputs[1] };
        return
        [
            TestNetworks.Create(1, TestNetworks.MixedInputs, ["tanh", "tanh"], layerNorm: false),
            TestNetworks.Create(2, TestNetworks.MixedInputs, ["relu"], layerNorm: true),
            TestNetworks.Create(3, reordered, ["elu", "softplus"], layerNorm: false),
        ];
    }

    private static (double Q, double P, double Std) Expected(CommittorNetworkSpec[] members, float[] row)
    {
        var names = TestNetworks.MixedInputs.Select(i => i.Name).ToList();
        var p = members.Select(m =>
        {
            var x = m.Inputs.Select(i => (double)row[names.IndexOf(i.Name)]).ToArray();
            return new CommittorNetworkEvaluator(m).Committor(x);
        }).ToArray();
        double mean = p.Average();
        return (Math.Log(mean / (1 - mean)), mean, Math.Sqrt(p.Select(v => (v - mean) * (v - mean)).Average()));
    }

    [Fact]
    public void Ensemble_scores_are_the_mean_committor_its_logit_and_the_members_spread()
    {
        var ml = new MLContext(seed: 1);
        var members = Members();
        var ensemble = ml.ReactionCoordinates().Ensembles.FromNetworks(members);
        var rows = TestNetworks.Rows(TestNetworks.MixedInputs, 30, seed: 7);
        var scored = ensemble.Transform(Data(ml, rows));

        scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name).Should()
            .Equal("Features", "CommittorStdDev", "ReactionCoordinate", "Committor");
        scored.Schema["CommittorStdDev"].Type.Should().Be(NumberDataViewType.Single);
        var q = scored.GetColumn<float>("ReactionCoordinate").ToArray();
        var p = scored.GetColumn<float>("Committor").ToArray();
        var std = scored.GetColumn<float>("CommittorStdDev").ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            var (eq, ep, es) = Expected(members, rows[i]);
            q[i].Should().BeApproximately((float)eq, 2e-4f, $"q of row {i}");
            p[i].Should().BeApproximately((float)ep, 2e-5f, $"p_B of row {i}");
            std[i].Should().BeApproximately((float)es, 2e-5f, $"spread of row {i}");
        }
        std.Should().Contain(s => s > 0.01f, "different networks disagree somewhere");
    }

    [Fact]
    public void Saturated_members_keep_the_reaction_coordinate_finite_and_exact()
    {
        // Members that output q = b exactly (all weights zero): p_B = mean of sigmoid(b).
        static CommittorNetworkSpec Constant(float q) => new()
        {
            Inputs = [new NetworkInput("x", InputKind.Linear)], Mean = [0f], Scale = [1f],
            Layers = [new DenseLayer { In = 1, Out = 1, Weight = [0f], Bias = [q] }],
        };
        var ml = new MLContext(seed: 1);
        (float[] Q, float Std) Score(params float[] qs)
        {
            var ensemble = ml.ReactionCoordinates().Ensembles.FromNetworks(qs.Select(Constant));
            var scored = ensemble.Transform(ml.Data.LoadFromEnumerable([new OneCv { Features = [0f] }]));
            return (scored.GetColumn<float>("ReactionCoordinate").ToArray(), scored.GetColumn<float>("CommittorStdDev").Single());
        }

        Score(60f, 80f).Q.Single().Should().BeApproximately(60f + MathF.Log(2f), 1e-3f, "logit of (sigmoid 60 + sigmoid 80) / 2 = 60 + ln 2 (tails add)");
        Score(-60f, -80f).Q.Single().Should().BeApproximately(-60f - MathF.Log(2f), 1e-3f);
        var (q, std) = Score(-50f, 50f);
        q.Single().Should().BeApproximately(0f, 1e-5f);
        std.Should().BeApproximately(0.5f, 1e-6f);
        Score(3f).Std.Should().Be(0f, "one member has no spread");
    }

    private sealed class OneCv
    {
        [VectorType(1)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void A_saved_ensemble_is_a_model_zip_with_raw_columns_that_reads_back_its_members()
    {
        var ml = new MLContext(seed: 1);
        var members = Members();
        var ensemble = ml.ReactionCoordinates().Ensembles.FromNetworks(members);
        var zip = _dir.File("ensemble.zip");
        ensemble.Save(zip);

        var (model, inputs) = CommittorModelFile.Load(ml, zip);
        inputs.Should().Equal("d1", "phi", "psi", "d2");
        var rows = TestNetworks.Rows(TestNetworks.MixedInputs, 10, seed: 3);
        var view = new ColumnarDataView(inputs.Select((name, c) => (name, rows.Select(r => r[c]).ToArray())).ToList());
        var scored = model.Transform(view);
        var std = scored.GetColumn<float>(CommittorScoring.CommittorStdDevColumn).ToArray();
        var (_, p) = CommittorModelFile.Score(model, view);
        for (int i = 0; i < rows.Length; i++)
        {
            var (_, ep, es) = Expected(members, rows[i]);
            p[i].Should().BeApproximately((float)ep, 2e-5f);
            std[i].Should().BeApproximately((float)es, 2e-5f);
        }

        CommittorScoring.ReadEnsemble(zip).ToJson().Should().Be(new CommittorEnsembleSpec { Members = members }.ToJson());
        var single = () => CommittorScoring.ReadSpec(zip);
        single.Should().Throw<ArgumentException>().WithMessage("*ensemble of 3 networks*");

        // Loaded ensembles and loaded single models are members too: they join as their networks.
        var again = ml.ReactionCoordinates().Ensembles.FromModels([model]);
        again.Members.Select(m => m.ToJson()).Should().Equal(members.Select(m => m.ToJson()));
        var one = _dir.File("one.zip");
        CommittorModelFile.Save(ml, ml.ReactionCoordinates().Ensembles.FromNetworks([members[0]]).ToModel(), inputs, one);
        ml.ReactionCoordinates().Ensembles.FromModelFiles([zip, one]).Members.Should().HaveCount(4);
    }

    [Fact]
    public void Members_must_read_the_same_cvs()
    {
        var ml = new MLContext(seed: 1);
        var other = TestNetworks.Create(4, [new("d1", InputKind.Linear), new("zeta", InputKind.Linear)], ["tanh"], layerNorm: false);
        var act = () => ml.ReactionCoordinates().Ensembles.FromNetworks([Members()[0], other]);
        act.Should().Throw<ArgumentException>().WithMessage("Member 2 reads d1, zeta, but member 1 reads d1, phi, psi, d2*");
        var none = () => ml.ReactionCoordinates().Ensembles.FromNetworks([]);
        none.Should().Throw<ArgumentException>().WithMessage("*at least one member*");
    }

    [Fact]
    public void The_seed_trainer_fits_k_different_networks_of_one_configuration()
    {
        var csv = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 200);
        var data = ShootingData.Load(csv, new ShootingDataOptions { Periodic = ["phi"] });
        var ml = new MLContext(seed: 1);
        var options = new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 30, Nodes = 8, HiddenLayers = 1, Seed = 5 };
        var model = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Ensembles.Trainer(options, members: 3))
            .Fit(data.ToDataView());

        var ensemble = model.LastTransformer;
        ensemble.Members.Should().HaveCount(3);
        ensemble.Members.Select(m => m.ToJson()).Distinct().Should().HaveCount(3, "each member starts from its own seed");
        var single = new CommittorTrainer(ml, options.WithSeed(6)).Fit(ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Fit(data.ToDataView()).Transform(data.ToDataView()));
        ensemble.Members[1].ToJson().Should().Be(single.Network.ToJson(), "member m trains with seed Seed + m");
        var std = model.Transform(data.ToDataView()).GetColumn<float>("CommittorStdDev").ToArray();
        std.Should().OnlyContain(s => s >= 0 && s <= 0.5f);
        options.Seed.Should().Be(5, "the caller's options are not changed");
    }

    /// <summary>
    /// The ensemble measurement in small (the benchmark's is `bench/run --only ensembles`): on Muller-Brown with its exact
    /// committor, a seed ensemble's p_B is at least as close to the exact committor as the typical member's, and
    /// CommittorStdDev is larger where the ensemble is further from it.
    /// </summary>
    [Fact]
    public void A_seed_ensemble_on_muller_brown_is_no_worse_than_its_median_member_and_its_spread_tracks_its_error()
    {
        var system = ModelSystems.Get("muller-brown");
        var train = new ShootingSimulator(new ShootingSimulator.Options { System = system, Points = 500, ShotsPerPoint = 10, NoiseDimensions = 2, Seed = 21 });
        var test = new ShootingSimulator(new ShootingSimulator.Options
        {
            System = system, Points = 1000, ShotsPerPoint = 10, NoiseDimensions = 2, Seed = 22, Committor = train.Committor,
        });
        string trainCsv = _dir.File("train.csv"), testCsv = _dir.File("test.csv");
        ShootingCsv.Write(train.Run(), trainCsv);
        ShootingCsv.Write(test.Run(), testCsv);
        var data = ShootingData.Load(trainCsv);
        var testData = ShootingData.Load(testCsv, new ShootingDataOptions { Features = data.FeatureNames.ToList() });
        var exact = testData.References["ref_committor"];

        var ml = new MLContext(seed: 1);
        var options = new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 300, Patience = 30, Nodes = 16, HiddenLayers = 2, LearningRate = 1e-2, Seed = 3 };
        var model = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Ensembles.Trainer(options, members: 5))
            .Fit(data.ToDataView());
        var (_, p, std) = CommittorModelFile.ScoreWithSpread(model, testData.ToDataView());

        double Excess(float[] committor) => CommittorMetrics.Compute(committor, testData.CountA, testData.CountB, exact).ExcessCrossEntropy!.Value;
        var names = testData.FeatureNames.ToList();
        var members = model.LastTransformer.Members.Select(m =>
        {
            var evaluator = new CommittorNetworkEvaluator(m);
            var columns = m.Inputs.Select(input => testData.FeatureValues[names.IndexOf(input.Name)]).ToArray();
            return exact.Select((_, i) => (float)evaluator.Committor(columns.Select(c => (double)c[i]).ToArray())).ToArray();
        }).Select(Excess).Order().ToArray();
        double ensemble = Excess(p);
        var error = p.Select((v, i) => (double)Math.Abs(v - exact[i])).ToArray();
        double rho = MathNet.Numerics.Statistics.Correlation.Spearman(std!.Select(v => (double)v), error);
        Console.WriteLine($"ensemble excess {ensemble:F5}; members {string.Join(" ", members.Select(m => m.ToString("F5")))}; Spearman(std, |p - exact|) {rho:F2}");

        ensemble.Should().BeLessThanOrEqualTo(members[members.Length / 2]);
        rho.Should().BeGreaterThanOrEqualTo(0.3, "the benchmark's bound for the spread as an error signal");
    }
}
