using System.Globalization;
using FluentAssertions;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using Xunit;

namespace RcML.Tests.Samples;

/// <summary>A saved RcML model scores in an app that references only ML.NET and ONNX Runtime.</summary>
public class DeployConsoleSampleTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_stand_alone_app_loads_the_zip_and_reproduces_RcML_scores()
    {
        var sample = Programs.BuiltAssembly("samples/DeployConsole", "DeployConsole");
        var folder = Path.GetDirectoryName(sample)!;
        Directory.GetFiles(folder, "*.dll").Select(Path.GetFileName).Should()
            .NotContain(["TorchSharp.dll", "RcML.dll"], "the sample must not depend on RcML or TorchSharp");
        Directory.GetFiles(folder, "*torch*", SearchOption.AllDirectories).Should().BeEmpty();

        var csv = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 200);
        var data = ShootingData.Load(csv, new ShootingDataOptions { Periodic = ["phi"] });
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Trainers.Committor(new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 40, Nodes = 8 }));
        var model = pipeline.Fit(data.ToDataView());
        var zip = _dir.File("rc.zip");
        CommittorModelFile.Save(ml, model, data.FeatureNames, zip);
        var (expectedQ, expectedP) = CommittorModelFile.Score(model, data.ToDataView());

        var run = Programs.Dotnet(sample, [zip, csv]);
        run.ExitCode.Should().Be(0, run.ToString());
        var rows = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        rows.Should().HaveCount(200);
        for (int i = 0; i < rows.Length; i++)
        {
            float.Parse(rows[i][1], CultureInfo.InvariantCulture).Should().BeApproximately(expectedQ[i], 1e-5f);
            float.Parse(rows[i][2], CultureInfo.InvariantCulture).Should().BeApproximately(expectedP[i], 1e-6f);
        }
    }

    [Fact]
    public void The_stand_alone_app_scores_an_ensemble_with_its_spread()
    {
        var csv = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 100);
        var data = ShootingData.Load(csv, new ShootingDataOptions { Periodic = ["phi"] });
        var ml = new MLContext(seed: 1);
        var ensemble = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Ensembles.Trainer(new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 20, Nodes = 8 }, members: 3))
            .Fit(data.ToDataView()).LastTransformer;
        var zip = _dir.File("ensemble.zip");
        ensemble.Save(zip);
        var (q, p, std) = CommittorModelFile.ScoreWithSpread(ensemble.ToModel(), data.ToDataView());

        var run = Programs.Dotnet(Programs.BuiltAssembly("samples/DeployConsole", "DeployConsole"), [zip, csv]);
        run.ExitCode.Should().Be(0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("id,ReactionCoordinate,Committor,CommittorStdDev");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        rows.Should().HaveCount(100);
        for (int i = 0; i < rows.Length; i++)
        {
            float.Parse(rows[i][1], CultureInfo.InvariantCulture).Should().BeApproximately(q[i], 1e-5f);
            float.Parse(rows[i][2], CultureInfo.InvariantCulture).Should().BeApproximately(p[i], 1e-6f);
            float.Parse(rows[i][3], CultureInfo.InvariantCulture).Should().BeApproximately(std![i], 1e-6f);
        }
        std.Should().Contain(s => s > 0, "members from different seeds disagree");
    }

    [Fact]
    public void The_typed_prediction_engine_path_uses_the_classes_rcml_init_generated()
    {
        var csv = _dir.File("mb.csv");
        RcML.Simulation.ShootingCsv.Write(new RcML.Simulation.ShootingSimulator(new RcML.Simulation.ShootingSimulator.Options
            { Points = 80, ShotsPerPoint = 5, NoiseDimensions = 6, Seed = 5 }).Run(), csv);
        var data = ShootingData.Load(csv);
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Trainers.Committor(new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 10, Nodes = 8 }))
            .Fit(data.ToDataView());
        var zip = _dir.File("mb.zip");
        CommittorModelFile.Save(ml, model, data.FeatureNames, zip);
        var (q, _) = CommittorModelFile.Score(model, data.ToDataView());

        var run = Programs.Dotnet(Programs.BuiltAssembly("samples/DeployConsole", "DeployConsole"), [zip, csv]);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stderr.Should().Contain("PredictionEngine<ModelInput, ModelOutput>: first configuration q = " + q[0].ToString("R", CultureInfo.InvariantCulture));
    }
}
