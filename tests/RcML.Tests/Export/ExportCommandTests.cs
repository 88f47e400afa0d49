using FluentAssertions;
using RcML.Committor;
using RcML.Onnx;
using RcML.Tests.Analysis;
using RcML.Tests.Onnx;
using Xunit;

namespace RcML.Tests.Export;

/// <summary>rcml export as users run it: a separate process, real files.</summary>
public class ExportCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Exports_a_model_zip_to_PLUMED_and_ONNX()
    {
        var spec = AttributionTestNetworks.IgnoresNoise();
        var model = ModelZips.Save(spec, _dir.File("best.zip"));

        var plumed = _dir.File("rc.dat");
        var run = Programs.Rcml("export", "--model", model, "--format", "plumed", "--inline", "--out", plumed);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("rc (q) and pb (p_B) from phi, x, noise");
        var evaluator = new CommittorNetworkEvaluator(spec);
        var values = PlumedCustomInput.Run(File.ReadAllText(plumed), new Dictionary<string, double> { ["phi"] = -150, ["x"] = 0.7, ["noise"] = 0.2 });
        values["rc"].Should().BeApproximately(evaluator.ReactionCoordinate([-150, 0.7, 0.2]), 1e-5);

        var onnx = _dir.File("rc.onnx");
        run = Programs.Rcml("export", "--model", model, "--format", "onnx", "--out", onnx);
        run.ExitCode.Should().Be(0, run.ToString());
        CommittorOnnxExporter.ReadSpec(File.ReadAllBytes(onnx)).ToJson().Should().Be(spec.ToJson());
        Directory.GetFiles(_dir.Path, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void Errors_are_clear_and_leave_no_file()
    {
        var output = _dir.File("out.dat");

        var run = Programs.Rcml("export", "--model", _dir.File("missing.zip"), "--format", "plumed", "--out", output);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("rcml: error:").And.Contain("missing.zip").And.Contain("not found");

        var notZip = _dir.File("notes.zip", "not a model");
        run = Programs.Rcml("export", "--model", notZip, "--format", "plumed", "--out", output);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("notes.zip").And.Contain("is not an RcML committor model zip");

        var big = ModelZips.Save(TestNetworks.Create(1, TestNetworks.MixedInputs, ["tanh", "tanh"], layerNorm: false, hiddenWidth: 300), _dir.File("big.zip"));
        run = Programs.Rcml("export", "--model", big, "--format", "plumed", "--inline", "--out", output);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("601 neurons").And.Contain("TorchScript").And.Contain("PYTORCH_MODEL").And.Contain("without --inline");

        // A zip that is not an RcML model, and a real model zip cut short.
        var otherZip = _dir.File("other.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(otherZip, System.IO.Compression.ZipArchiveMode.Create))
            using (var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open())) writer.Write("not a model");
        var corrupt = _dir.File("corrupt.zip");
        var bytes = File.ReadAllBytes(big);
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 2)]);
        foreach (var (bad, name, kind) in new[] { (otherZip, "other.zip", "torchscript"), (corrupt, "corrupt.zip", "plumed") })
            {
                run = Programs.Rcml("export", "--model", bad, "--format", kind, "--out", output);
                run.ExitCode.Should().Be(2, run.ToString());
                run.Stderr.Trim().Split('\n').Should().ContainSingle(run.ToString()).Which.Should().Contain(name).And.Contain("is not an RcML committor model zip");
            }

        // An --out that cannot be written: its folder is a file.
        foreach (var kind in new[] { "plumed", "torchscript" })
        {
            run = Programs.Rcml("export", "--model", big, "--format", kind, "--out", Path.Combine(notZip, "rc.out"));
            run.ExitCode.Should().Be(2, run.ToString());
            run.Stderr.Trim().Split('\n').Should().ContainSingle(run.ToString()).Which.Should().Contain("cannot write").And.Contain("rc.out");
        }

        run = Programs.Rcml("export", "--model", big, "--format", "lammps", "--out", output);
        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("lammps");

        File.Exists(output).Should().BeFalse();
        Directory.GetFiles(_dir.Path, "*.pt").Should().BeEmpty();
        Directory.GetFiles(_dir.Path, "*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void A_trained_model_with_more_than_512_neurons_exports_to_PLUMED_with_TorchScript_and_to_TorchScript()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 300);
        var model = _dir.File("wide.zip");
        var train = Programs.Rcml("train", "--data", data, "--model", model, "--periodic", "phi", "--layers", "3", "--nodes", "200",
            "--max-epochs", "2", "--normalization", "Layer");
        train.ExitCode.Should().Be(0, train.ToString());
        var spec = CommittorScoring.ReadSpec(model);
        spec.Layers.Sum(l => l.Out).Should().Be(601);

        var plumed = _dir.File("plumed.dat");
        var run = Programs.Rcml("export", "--model", model, "--format", "plumed", "--out", plumed);
        run.ExitCode.Should().Be(0, run.ToString());
        var text = File.ReadAllText(plumed);
        text.Should().Contain("rcml_model: PYTORCH_MODEL FILE=plumed.pt ARG=phi,x,noise\n")
            .And.Contain("rc: COMBINE ARG=rcml_model.node-0 PERIODIC=NO\n").And.Contain("pb: COMBINE ARG=rcml_model.node-1 PERIODIC=NO\n")
            .And.Contain("phi: periodic, radians");
        var pt = _dir.File("plumed.pt");
        var rows = new[] { new[] { 170f, 0.3f, 0.1f }, new[] { -179.5f, -0.4f, 0.7f } };
        var radians = rows.Select(r => new[] { (float)(r[0] * Math.PI / 180), r[1], r[2] }).ToArray();
        var loaded = TorchScriptLoaders.TorchSharp(new(pt, ["phi", "x", "noise"], radians, radians));
        var evaluator = new CommittorNetworkEvaluator(spec);
        for (int r = 0; r < rows.Length; r++)
        {
            double q = evaluator.ReactionCoordinate(TestNetworks.ToDouble(rows[r]));
            loaded.Outputs[r][0].Should().BeApproximately((float)q, 1e-5f * Math.Max(1, Math.Abs((float)q)));
            loaded.Outputs[r][1].Should().BeApproximately((float)CommittorNetworkEvaluator.Sigmoid(q), 1e-6f);
        }

        var torchScript = _dir.File("rc.pt");
        run = Programs.Rcml("export", "--model", model, "--format", "torchscript", "--angles", "degrees", "--out", torchScript);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("angles in degrees");
        loaded = TorchScriptLoaders.TorchSharp(new(torchScript, ["phi", "x", "noise"], rows, rows));
        loaded.Outputs.Should().OnlyContain(r => r.Length == 1);
        loaded.Outputs[0][0].Should().BeApproximately((float)evaluator.ReactionCoordinate(TestNetworks.ToDouble(rows[0])), 1e-4f);
    }
}
