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
        var run = Programs.Rcml("export", "--model", model, "--format", "plumed", "--out", plumed);
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
        run = Programs.Rcml("export", "--model", big, "--format", "plumed", "--out", output);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("601 neurons").And.Contain("ONNX");

        run = Programs.Rcml("export", "--model", big, "--format", "lammps", "--out", output);
        run.ExitCode.Should().NotBe(0);
        run.Stderr.Should().Contain("lammps");

        File.Exists(output).Should().BeFalse();
        Directory.GetFiles(_dir.Path, "*.tmp").Should().BeEmpty();
    }
}
