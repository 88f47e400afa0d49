using FluentAssertions;
using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Storage;
using Xunit;
using Xunit.Abstractions;

namespace RcML.Tests.Cli;

/// <summary>
/// Real signals to real <c>rcml</c> processes: SIGINT and SIGTERM stop tune and train cleanly, SIGKILL loses nothing the
/// study had (best.zip follows the study's best as it changes), and the next command finds no trial left running.
/// </summary>
public class InterruptTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Tune(string data, string db, string model, int trials) =>
        ["tune", "--data", data, "--periodic", "phi", "--storage", "sqlite:///" + db, "--study", "t", "--model", model,
         "--trials", trials.ToString(), "--max-epochs", "600", "--patience", "600", "--tuner", "random", "--pruner", "none", "--verbose"];

    [Theory]
    [InlineData(RunningProcess.SigInt)]
    [InlineData(RunningProcess.SigTerm)]
    public void Tune_stops_on_a_signal_keeps_the_study_best_and_resumes(int signal)
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 150);
        string db = _dir.File("s.db"), model = _dir.File("best.zip");
        TimeSpan stopped;
        using (var tune = RunningProcess.Rcml(Tune(data, db, model, trials: 30)))
        {
            tune.WaitForStderr("is the study's best");
            tune.WaitForStderr("started");
            stopped = tune.Signal(signal);
            output.WriteLine($"signal {signal}: exited {stopped.TotalSeconds:F2} s later\n{tune.Output}");
            tune.ExitCode.Should().Be(130, tune.Output);
            tune.Stdout.Should().Contain("interrupted").And.Contain("best trial: #").And.Contain("model:").And.Contain("report:");
            tune.Stderr.Should().NotContain("   at ", "no stack trace");
        }
        File.Exists(model).Should().BeTrue();
        File.Exists(_dir.File("t.report.html")).Should().BeTrue();

        using (var storage = StudyStorage.Open("sqlite:///" + db))
        {
            var trials = storage.GetTrials(storage.FindStudy("t")!.StudyId);
            trials.Should().NotContain(t => t.State == TrialState.Running);
            trials.Count(t => t.Error == CommittorExperiment.InterruptedError).Should().BeLessThanOrEqualTo(1);
            SameScores(model, storage, trials.Where(t => t.State == TrialState.Complete).MinBy(t => t.Value)!, data);
        }

        var finished = TuneFinished(Programs.Rcml(Tune(data, db, model, trials: 4)), 4);
        finished.Should().Be(4);
    }

    [Fact]
    public void A_killed_tune_leaves_the_best_model_on_disk_and_its_running_trial_is_failed_at_the_next_look()
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 150);
        string db = _dir.File("s.db"), model = _dir.File("best.zip");
        int best;
        using (var tune = RunningProcess.Rcml(Tune(data, db, model, trials: 30)))
        {
            var line = tune.WaitForStderr("is the study's best");
            best = int.Parse(line.Split("trial", 2)[1].Trim().Split(' ')[0]);
            tune.WaitForStderr("started");
            tune.Signal(RunningProcess.SigKill);
        }
        File.Exists(model).Should().BeTrue("best.zip is written as soon as a trial becomes the study's best");

        var show = Programs.Rcml("study", "show", "--storage", "sqlite:///" + db, "--study", "t", "--json");
        show.ExitCode.Should().Be(0, show.ToString());
        show.Stdout.Should().Contain(AbandonedTrials.WorkerExitedError).And.NotContain("\"running\"");
        using var storage = StudyStorage.Open("sqlite:///" + db);
        var trials = storage.GetTrials(storage.FindStudy("t")!.StudyId);
        trials.Should().NotContain(t => t.State == TrialState.Running);
        SameScores(model, storage, trials.Single(t => t.Number == best), data);
    }

    [Theory]
    [InlineData(RunningProcess.SigInt)]
    [InlineData(RunningProcess.SigTerm)]
    public void Train_stops_on_a_signal_and_writes_no_model(int signal)
    {
        var data = SyntheticCsv.Write(_dir.File("shots.csv"), rows: 150);
        var model = _dir.File("m.zip");
        using var train = RunningProcess.Rcml("train", "--data", data, "--model", model, "--max-epochs", "10000000", "--patience", "10000000", "--verbose");
        train.WaitForStderr("epoch");
        var stopped = train.Signal(signal);
        output.WriteLine($"signal {signal}: exited {stopped.TotalSeconds:F2} s later\n{train.Output}");
        train.ExitCode.Should().Be(130, train.Output);
        train.Stderr.Should().Contain("interrupted").And.NotContain("   at ");
        File.Exists(model).Should().BeFalse();
        Directory.GetFiles(_dir.Path, "*.tmp").Should().BeEmpty();
    }

    private static int TuneFinished(Programs.Run run, int expected)
    {
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain($"{expected} finished trials");
        return expected;
    }

    /// <summary>The model file scores the data exactly as the stored model of <paramref name="trial"/>.</summary>
    private static void SameScores(string modelPath, IStudyStorage storage, StoredTrial trial, string data)
    {
        var ml = new MLContext();
        var view = ShootingData.Load(data).ToDataView();
        var fromFile = CommittorModelFile.Score(CommittorModelFile.Load(ml, modelPath).Model, view).Committor;
        var stored = storage.LoadModel(trial.TrialId) ?? throw new InvalidOperationException($"trial {trial.Number} kept no model");
        var fromStore = CommittorModelFile.Score(CommittorModelFile.Load(ml, stored, "stored").Model, view).Committor;
        fromFile.Should().Equal(fromStore, $"best.zip is trial {trial.Number}'s model");
    }
}
