using Microsoft.ML;
using RcML.AutoML;
using RcML.Committor;
using RcML.Data;
using RcML.Reporting;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Reporting;

/// <summary>
/// A small real study, made once for the report tests: a few trials of the committor experiment on tiny data in a
/// SQLite store (some pruned, one failed), and the report built from it.
/// </summary>
public sealed class ReportStudyFixture : IAsyncLifetime
{
    public const string StudyName = "s1";
    private readonly TempFolder _dir = new();

    public string DataPath { get; private set; } = "";
    public string StorageUrl { get; private set; } = "";
    public StudyReportInput Input { get; private set; } = null!;
    public string Html { get; private set; } = "";
    public string ReportPath { get; private set; } = "";

    public string File(string name) => _dir.File(name);

    public async Task InitializeAsync()
    {
        DataPath = SyntheticCsv.Write(_dir.File("shooting.csv"), rows: 160);
        StorageUrl = "sqlite:///" + _dir.File("study.db");
        var data = ShootingData.Load(DataPath, new ShootingDataOptions { Periodic = ["phi"] });
        var ml = new MLContext(seed: 1);
        using (var storage = StudyStorage.Open(StorageUrl))
        {
            await TestStudies.Experiment(ml, data, TestStudies.SmallSpace(), new CommittorTrainerOptions { MaxEpochs = 15, Patience = 10 },
                    storage, StudyName, new Dictionary<string, string> { ["data"] = DataPath, ["note"] = "<b>not bold</b> & co" })
                .SetTuner((s, seed) => new RandomSearchTuner(s, seed))
                .SetPruner(new PruneLaterTrials(afterTrials: 4, atEpoch: 4))
                .SetSeed(3)
                .SetMaxTrials(6)
                .RunAsync();
            // A failed trial, as a crashed worker leaves one.
            var study = storage.FindStudy(StudyName)!;
            var failed = storage.StartTrial(study.StudyId, storage.GetTrials(study.StudyId)[0].Parameters, seed: 99, worker: "test:1");
            storage.FinishTrial(failed.TrialId, TrialState.Failed, null, "diverged: loss is NaN");

            Input = StudyReportInput.FromStudy(storage, StudyName, DataPath, top: 3);
        }
        Html = StudyReport.Build(Input);
        ReportPath = _dir.File("report.html");
        StudyReport.Write(Input, ReportPath);
        SaveArtifact(ReportPath);
    }

    /// <summary>Copies a file to $RCML_TEST_ARTIFACTS, when set, for people (and CI) to look at.</summary>
    public static void SaveArtifact(string path, string? name = null)
    {
        if (Environment.GetEnvironmentVariable("RCML_TEST_ARTIFACTS") is not { Length: > 0 } artifacts) return;
        Directory.CreateDirectory(artifacts);
        System.IO.File.Copy(path, Path.Combine(artifacts, name ?? Path.GetFileName(path)), overwrite: true);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Prunes every trial after the first <c>afterTrials</c> at one epoch, so the study has pruned trials to show.</summary>
    private sealed class PruneLaterTrials(int afterTrials, int atEpoch) : IPruner
    {
        public bool ShouldPrune(int step, IReadOnlyList<double> curve, IReadOnlyList<IReadOnlyList<double>> others) =>
            step == atEpoch && others.Count >= afterTrials;
    }
}

[CollectionDefinition(Name)]
public sealed class ReportStudyCollection : ICollectionFixture<ReportStudyFixture>
{
    public const string Name = "Report study";
}
