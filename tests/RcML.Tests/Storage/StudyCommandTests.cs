using System.Text.Json;
using FluentAssertions;
using RcML.AutoML;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Storage;

/// <summary><c>rcml study</c> run as users run it, on a SQLite study written through the storage API.</summary>
public sealed class StudyCommandTests : IDisposable
{
    // Program.cs registers commands; until it registers StudyCommand these cannot run.
    private readonly TempFolder _folder = new();
    private readonly string _url;

    public StudyCommandTests()
    {
        _url = "sqlite:///" + _folder.File("study.db");
        using var storage = StudyStorage.Open(_url);
        var study = storage.GetOrCreateStudy("s1", """{"lr":{"type":"float","low":0.001,"high":0.1}}""", new Dictionary<string, string> { ["data"] = "shots.csv" });
        var done = storage.StartTrial(study.StudyId, new Parameter([new("lr", 0.01), new("act", "tanh")]), 5, "host:1");
        storage.ReportIntermediate(done.TrialId, 0, 0.7);
        storage.ReportIntermediate(done.TrialId, 1, 0.6);
        storage.FinishTrial(done.TrialId, TrialState.Complete, 0.6);
        var failed = storage.StartTrial(study.StudyId, new Parameter([new("lr", 0.09)]), 6, "host:2");
        storage.FinishTrial(failed.TrialId, TrialState.Failed, null, "diverged");
        storage.GetOrCreateStudy("s2", "{}");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Show_json_has_the_study_and_its_trials()
    {
        var run = Programs.Rcml("study", "show", "--storage", _url, "--study", "s1", "--json");
        run.ExitCode.Should().Be(0, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var study = doc.RootElement.GetProperty("study");
        study.GetProperty("name").GetString().Should().Be("s1");
        study.GetProperty("attributes").GetProperty("data").GetString().Should().Be("shots.csv");
        study.GetProperty("search_space").GetProperty("lr").GetProperty("high").GetDouble().Should().Be(0.1);
        var trials = doc.RootElement.GetProperty("trials").EnumerateArray().ToList();
        trials.Select(t => t.GetProperty("state").GetString()).Should().Equal("complete", "failed");
        trials[0].GetProperty("value").GetDouble().Should().Be(0.6);
        trials[0].GetProperty("params").GetProperty("act").GetString().Should().Be("tanh");
        trials[0].GetProperty("curve").EnumerateArray().Select(v => v.GetDouble()).Should().Equal(0.7, 0.6);
        trials[0].GetProperty("seed").GetInt32().Should().Be(5);
        trials[1].GetProperty("value").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void List_export_and_delete()
    {
        Programs.Rcml("study", "list", "--storage", _url).Stdout.Should().Contain("s1").And.Contain("s2");

        var csv = _folder.File("trials.csv");
        var export = Programs.Rcml("study", "export", "--storage", _url, "--study", "s1", "--format", "csv", "--out", csv);
        export.ExitCode.Should().Be(0, export.ToString());
        var lines = File.ReadAllLines(csv);
        lines[0].Should().EndWith("params_act,params_lr");
        lines.Should().HaveCount(3);
        lines[2].Should().Contain("failed").And.Contain("diverged");

        var delete = Programs.Rcml("study", "delete", "--storage", _url, "--study", "s2");
        delete.ExitCode.Should().Be(0, delete.ToString());
        delete.Stdout.Should().Contain("deleted study 's2'");
        Programs.Rcml("study", "show", "--storage", _url, "--study", "s2").ExitCode.Should().Be(2);
    }

    [Fact]
    public void Errors_never_print_the_password()
    {
        var run = Programs.Rcml("study", "list", "--storage", "postgresql://rc:hunter2@127.0.0.1:1/studies?connect_timeout=2");
        run.ExitCode.Should().Be(2);
        (run.Stdout + run.Stderr).Should().Contain("rc:***@").And.NotContain("hunter2");
    }
}
