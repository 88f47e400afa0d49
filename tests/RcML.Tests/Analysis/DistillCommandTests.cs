using System.Text.Json;
using FluentAssertions;
using RcML.Tests.Export;
using Xunit;

namespace RcML.Tests.Analysis;

/// <summary>rcml distill as users run it: a separate process, real files.</summary>
public class DistillCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Prints_the_formula_with_PLUMED_and_CSharp_forms_and_writes_its_JSON()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 600);
        var model = ModelZips.Save(AttributionTestNetworks.IgnoresNoise(), _dir.File("best.zip"));
        var file = _dir.File("rc-formula.json");

        var run = Programs.Rcml("distill", "--model", model, "--data", data, "--json", "--out", file, "--max-terms", "4");
        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        root.GetProperty("formula").GetString().Should().StartWith("q = ");
        var cvs = root.GetProperty("cvs").EnumerateArray().Select(c => c.GetString()).ToArray();
        cvs.Should().NotBeEmpty().And.NotContain("noise", "the model ignores the noise CV");
        root.GetProperty("cross_entropy").GetDouble().Should().BeInRange(0.05, 0.7);
        root.GetProperty("network_cross_entropy").GetDouble().Should().BeGreaterThan(0);
        root.GetProperty("terms").GetArrayLength().Should().BeInRange(1, 4);
        root.GetProperty("plumed").GetString().Should().StartWith("rc_formula: CUSTOM ARG=");
        File.ReadAllText(file).Trim().Should().Be(run.Stdout.Trim());

        run = Programs.Rcml("distill", "--model", model, "--data", data, "--max-terms", "3");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("cross-entropy on the data: formula").And.Contain("PLUMED:").And.Contain("double q = ").And.Contain("<- chosen");
        Programs.Rcml("distill", "--model", model, "--data", data, "--max-terms", "0").ExitCode.Should().Be(2);
    }
}
