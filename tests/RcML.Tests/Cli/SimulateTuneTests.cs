using FluentAssertions;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Cli;

/// <summary>rcml simulate and rcml tune as processes, with a real SQLite study file.</summary>
public class SimulateTuneTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Simulate_writes_shooting_data_with_the_exact_committor_and_is_deterministic()
    {
        string a = _dir.File("a.csv"), b = _dir.File("b.csv");
        var run = Programs.Rcml("simulate", "--system", "double-well", "--points", "60", "--shots", "5", "--noise-dims", "2", "--seed", "3", "--out", a);
        run.ExitCode.Should().Be(0, run.ToString());
        Programs.Rcml("simulate", "--system", "double-well", "--points", "60", "--shots", "5", "--noise-dims", "2", "--seed", "3", "--out", b).ExitCode.Should().Be(0);
        var lines = File.ReadAllLines(a);
        lines[0].Should().Be("id,x,y,noise_1,noise_2,n_A,n_B,ref_committor");
        lines.Should().HaveCount(61);
        File.ReadAllText(b).Should().Be(File.ReadAllText(a));

        var bad = Programs.Rcml("simulate", "--system", "no-such", "--out", _dir.File("c.csv"));
        bad.ExitCode.Should().Be(2);
        bad.Stderr.Should().Contain("muller-brown");
    }

    [Fact]
    public void Tune_stores_every_trial_in_sqlite_resumes_and_saves_the_best_model()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 150);
        var db = Path.Combine(_dir.Path, "study.db");
        var model = _dir.File("best.zip");
        string[] common = ["tune", "--data", data, "--periodic", "phi", "--storage", "sqlite:///" + db, "--study", "t1",
            "--model", model, "--max-epochs", "15", "--tuner", "random", "--pruner", "none"];

        var first = Programs.Rcml([.. common, "--trials", "2"]);
        first.ExitCode.Should().Be(0, first.ToString());
        first.Stdout.Should().Contain("study 't1': 2 finished trials").And.Contain("model:").And.Contain("report:").And.Contain("CreatePredictionEngine");
        File.Exists(model).Should().BeTrue();
        File.ReadAllText(Path.Combine(_dir.Path, "t1.report.html")).Should().Contain("Optimization history");

        var second = Programs.Rcml([.. common, "--trials", "3"]);
        second.ExitCode.Should().Be(0, second.ToString());
        second.Stdout.Should().Contain("3 finished trials").And.Contain("1 in this run");

        using var storage = StudyStorage.Open("sqlite:///" + db);
        var study = storage.FindStudy("t1")!;
        var trials = storage.GetTrials(study.StudyId);
        trials.Select(t => t.Number).Should().Equal(0, 1, 2);
        trials.Should().OnlyContain(t => t.State == TrialState.Complete && t.Curve.Count > 0 && t.Value > 0);
        study.Attributes["tuner"].Should().Be("random");

        var evaluate = Programs.Rcml("evaluate", "--model", model, "--data", data);
        evaluate.ExitCode.Should().Be(0, evaluate.ToString());

        var show = Programs.Rcml("study", "show", "--storage", "sqlite:///" + db, "--study", "t1", "--json");
        show.ExitCode.Should().Be(0, show.ToString());
        using (var json = System.Text.Json.JsonDocument.Parse(show.Stdout))
        {
            var shown = json.RootElement.GetProperty("trials").EnumerateArray().ToArray();
            shown.Should().HaveCount(3);
            shown.Should().OnlyContain(t => t.GetProperty("state").GetString() == "complete" && t.GetProperty("value").GetDouble() > 0);
        }

        var html = _dir.File("report.html");
        var report = Programs.Rcml("report", "--storage", "sqlite:///" + db, "--study", "t1", "--data", data, "--out", html);
        report.ExitCode.Should().Be(0, report.ToString());
        var text = File.ReadAllText(html);
        text.Should().Contain("Feature attribution").And.Contain("Attribution per CV (top");
        text.Should().Contain("Not computed: hyperparameter importance:", "3 trials are too few for the forest surrogate, and the report says why");
    }

    [Fact]
    public void Demo_simulates_tunes_evaluates_and_reports()
    {
        var run = Programs.Rcml("demo", "--out", _dir.Path, "--trials", "2", "--points", "200");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("excess").And.Contain("report:");
        foreach (var file in new[] { "muller-brown.csv", "muller-brown-test.csv", "study.db", "best.zip", "report.html" })
            File.Exists(Path.Combine(_dir.Path, file)).Should().BeTrue(file);
        run.Stdout.Should().Contain("starting a fresh study 'demo'");

        var again = Programs.Rcml("demo", "--out", _dir.Path, "--trials", "2", "--points", "200");
        again.ExitCode.Should().Be(0, again.ToString());
        again.Stdout.Should().Contain("resuming the finished study 'demo'").And.Contain("nothing is trained");
    }
}

/// <summary>Two rcml tune processes on one SQLite study are two workers of it.</summary>
public class TuneWorkersTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Two_worker_processes_share_one_study_with_dense_numbers_and_distinct_proposals()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 120);
        var db = Path.Combine(_dir.Path, "study.db");
        string[] Args(int seed) => ["tune", "--data", data, "--storage", "sqlite:///" + db, "--study", "w", "--trials", "6",
            "--model", _dir.File($"best{seed}.zip"), "--max-epochs", "15", "--tuner", "tpe", "--pruner", "none", "--seed", seed.ToString()];
        var runs = await Task.WhenAll(Task.Run(() => Programs.Rcml(Args(1))), Task.Run(() => Programs.Rcml(Args(2))));
        foreach (var run in runs) run.ExitCode.Should().Be(0, run.ToString());

        using var storage = StudyStorage.Open("sqlite:///" + db);
        var trials = storage.GetTrials(storage.FindStudy("w")!.StudyId);
        trials.Select(t => t.Number).Should().Equal(Enumerable.Range(0, trials.Count));
        trials.Count.Should().BeInRange(6, 7, "workers stop at the budget; at most one trial can start in the same instant");
        trials.Select(t => t.Worker).Distinct().Should().HaveCount(2);
        trials.Select(t => t.Parameters).Distinct().Should().HaveCount(trials.Count);
        trials.Should().OnlyContain(t => t.State == TrialState.Complete);
    }
}
