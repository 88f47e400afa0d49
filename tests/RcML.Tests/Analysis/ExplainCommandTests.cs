using System.Text.Json;
using FluentAssertions;
using RcML.Tests.Export;
using Xunit;

namespace RcML.Tests.Analysis;

/// <summary>rcml explain as users run it: a separate process, real files.</summary>
public class ExplainCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Attributes_a_saved_model_to_its_CVs_as_JSON_and_as_a_table()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 300);
        var model = ModelZips.Save(AttributionTestNetworks.IgnoresNoise(), _dir.File("best.zip"));

        var run = Programs.Rcml("explain", "--model", model, "--data", data, "--json", "--permutations", "2");
        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        root.GetProperty("rows").GetInt32().Should().Be(300);
        root.GetProperty("cross_entropy").GetDouble().Should().BeGreaterThan(0);
        var cvs = root.GetProperty("cvs").EnumerateArray().ToArray();
        cvs.Select(c => c.GetProperty("name").GetString()).Should().HaveCount(3).And.EndWith("noise");
        cvs.Single(c => c.GetProperty("name").GetString() == "phi").GetProperty("kind").GetString().Should().Be("PeriodicDegrees");
        foreach (var method in new[] { "permutation", "gradient_times_input", "integrated_gradients" })
        {
            cvs.Sum(c => c.GetProperty(method).GetDouble()).Should().BeApproximately(1, 1e-9);
            cvs[^1].GetProperty(method).GetDouble().Should().BeLessThan(1e-9);
        }

        root.GetProperty("group_threshold").GetDouble().Should().Be(0.9);
        var groups = root.GetProperty("groups").EnumerateArray().ToArray();
        groups.Should().HaveCount(3, "phi, x and noise do not move together: three single-CV groups");
        groups.SelectMany(g => g.GetProperty("members").EnumerateArray().Select(m => m.GetString())).Should().BeEquivalentTo("phi", "x", "noise");
        groups.Sum(g => g.GetProperty("permutation").GetDouble()).Should().BeApproximately(1, 1e-9);

        run = Programs.Rcml("explain", "--model", model, "--data", data, "--json", "--permutations", "1", "--groups", "none");
        run.ExitCode.Should().Be(0, run.ToString());
        using (var ungrouped = JsonDocument.Parse(run.Stdout))
            ungrouped.RootElement.GetProperty("group_threshold").ValueKind.Should().Be(JsonValueKind.Null);
        Programs.Rcml("explain", "--model", model, "--data", data, "--group-threshold", "1.5").ExitCode.Should().Be(2);

        run = Programs.Rcml("explain", "--model", model, "--data", data, "--permutations", "1", "--sort-by", "permutation");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("permutation").And.Contain("integrated").And.Contain("angle°");
        var table = run.Stdout.Split('\n').SkipWhile(l => !l.StartsWith("CV")).Skip(1).TakeWhile(l => l.Length > 0).ToArray();
        table.Should().HaveCount(3);
        table[^1].Should().StartWith("noise");
    }

    [Fact]
    public void Data_without_a_CV_the_model_reads_fails_clearly()
    {
        var data = _dir.File("shots.csv", "id,phi,noise,n_A,n_B\n1,10,0.5,3,1\n2,20,0.1,1,2\n");
        var model = ModelZips.Save(AttributionTestNetworks.IgnoresNoise(), _dir.File("best.zip"));
        var run = Programs.Rcml("explain", "--model", model, "--data", data);
        run.ExitCode.Should().Be(2, run.ToString());
        run.Stderr.Should().Contain("rcml: error:").And.Contain("'x'");
    }
}
