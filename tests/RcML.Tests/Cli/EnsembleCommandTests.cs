using System.Globalization;
using FluentAssertions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RcML.Onnx;
using Xunit;

namespace RcML.Tests.Cli;

/// <summary>rcml tune --ensemble, rcml ensemble, and an ensemble through predict and export, as processes.</summary>
public class EnsembleCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_study_becomes_an_ensemble_that_predicts_its_spread_and_exports_to_onnx()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 150);
        var storage = "sqlite:///" + Path.Combine(_dir.Path, "study.db");
        var tuned = _dir.File("tuned.zip");
        var run = Programs.Rcml("tune", "--data", data, "--periodic", "phi", "--storage", storage, "--study", "s1", "--model", tuned,
            "--max-epochs", "15", "--tuner", "random", "--pruner", "none", "--trials", "3", "--ensemble", "2", "--report", "none");
        run.ExitCode.Should().Be(0, run.ToString());
        CommittorScoring.ReadEnsemble(tuned).Members.Should().HaveCount(2);

        var ensemble = _dir.File("ens.zip");
        run = Programs.Rcml("ensemble", "--storage", storage, "--study", "s1", "--top", "2", "--model", ensemble);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("member: trial #").And.Contain("ensemble of 2 networks reading phi, x, noise");
        CommittorScoring.ReadEnsemble(ensemble).ToJson().Should().Be(CommittorScoring.ReadEnsemble(tuned).ToJson());

        var scored = _dir.File("scored.csv");
        run = Programs.Rcml("predict", "--model", ensemble, "--data", data, "--out", scored);
        run.ExitCode.Should().Be(0, run.ToString());
        var lines = File.ReadAllLines(scored);
        lines[0].Should().EndWith(",ReactionCoordinate,Committor,CommittorStdDev");
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        const int Q = 7, P = 8, Std = 9; // after id, phi, x, noise, n_A, n_B, ref_committor
        foreach (var r in rows)
        {
            r[Std].Should().BeInRange(0f, 0.5f);
            r[P].Should().BeApproximately((float)(1 / (1 + Math.Exp(-r[Q]))), 1e-5f, "Committor = sigmoid(ReactionCoordinate)");
        }

        // The bare ONNX export runs in ONNX Runtime and gives the same three outputs.
        var onnx = _dir.File("ens.onnx");
        run = Programs.Rcml("export", "--model", ensemble, "--format", "onnx", "--out", onnx);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("outputs q, p_B and p_B_std of an ensemble of 2");
        using var session = new InferenceSession(onnx);
        var input = new DenseTensor<float>(rows.Take(20).SelectMany(r => r[1..4]).ToArray(), [20, 3]);
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("Features", input)]);
        var q = outputs.Single(o => o.Name == "q").AsTensor<float>().ToArray();
        var std = outputs.Single(o => o.Name == "p_B_std").AsTensor<float>().ToArray();
        for (int i = 0; i < 20; i++)
        {
            q[i].Should().BeApproximately(rows[i][Q], 1e-4f);
            std[i].Should().BeApproximately(rows[i][Std], 1e-5f);
        }

        // PLUMED's PYTORCH_MODEL runs the whole ensemble from one TorchScript file (angles in radians); CUSTOM lines cannot.
        run = Programs.Rcml("export", "--model", ensemble, "--format", "plumed", "--out", _dir.File("ens.dat"));
        run.ExitCode.Should().Be(0, run.ToString());
        File.ReadAllText(_dir.File("ens.dat")).Should().Contain("PYTORCH_MODEL FILE=ens.pt ARG=phi,x,noise").And.Contain("pb_std: COMBINE ARG=rcml_model.node-2");
        var radians = rows.Take(20).Select(r => new[] { (float)(r[1] * Math.PI / 180), r[2], r[3] }).ToArray();
        var module = RcML.Tests.Export.TorchScriptLoaders.TorchSharp(new(_dir.File("ens.pt"), ["phi", "x", "noise"], radians, radians));
        for (int i = 0; i < 20; i++)
        {
            module.Outputs[i][0].Should().BeApproximately(rows[i][Q], 1e-4f);
            module.Outputs[i][2].Should().BeApproximately(rows[i][Std], 1e-5f);
        }
        run = Programs.Rcml("export", "--model", ensemble, "--format", "plumed", "--inline", "--out", _dir.File("inline.dat"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("ensemble of 2").And.Contain("PYTORCH_MODEL");
        File.Exists(_dir.File("inline.dat")).Should().BeFalse();

        // Members from files: the tuned ensemble's two networks and the ensemble's two join into four.
        run = Programs.Rcml("ensemble", "--models", tuned, ensemble, "--model", _dir.File("four.zip"));
        run.ExitCode.Should().Be(0, run.ToString());
        CommittorScoring.ReadEnsemble(_dir.File("four.zip")).Members.Should().HaveCount(4);

        run = Programs.Rcml("ensemble", "--storage", storage, "--study", "s1", "--top", "5", "--model", _dir.File("five.zip"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("Study 's1' has 3 distinct complete trials with a stored model; 5 were asked for");
        File.Exists(_dir.File("five.zip")).Should().BeFalse();

        run = Programs.Rcml("ensemble", "--model", _dir.File("none.zip"));
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("--study").And.Contain("--models");
    }
}
