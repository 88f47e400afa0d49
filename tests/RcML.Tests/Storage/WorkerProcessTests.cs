using System.Diagnostics;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Storage;

/// <summary>
/// Several worker processes on one study, and a worker killed (SIGKILL) while writing, against real files and
/// servers: the guarantees that matter when a study runs for days on many machines.
/// </summary>
public abstract class WorkerProcessTests
{
    private const int Workers = 4, TrialsPerWorker = 25;

    protected abstract string NewStorageUrl();

    /// <summary>Store-specific checks on the database after a worker was killed.</summary>
    protected virtual void CheckIntegrity(string url) { }

    private static ProcessStartInfo Worker(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Programs.BuiltAssembly("tests/RcML.StorageWorker", "RcML.StorageWorker"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    [Fact]
    public async Task Many_workers_number_trials_densely_and_lose_no_result()
    {
        var url = NewStorageUrl();
        // All start on a fresh database at once: they also race to migrate it and to create the study.
        var runs = Enumerable.Range(1, Workers).Select(async w =>
        {
            using var process = Process.Start(Worker("run", url, "shared", w.ToString(), TrialsPerWorker.ToString()))!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            return (process.ExitCode, Out: await stdout, Err: await stderr);
        }).ToList();
        foreach (var r in await Task.WhenAll(runs))
            r.ExitCode.Should().Be(0, $"worker failed: {r.Out}{r.Err}");

        using var storage = StudyStorage.Open(url);
        storage.ListStudies().Should().ContainSingle();
        var trials = storage.GetTrials(storage.FindStudy("shared")!.StudyId);
        trials.Select(t => t.Number).Should().Equal(Enumerable.Range(0, Workers * TrialsPerWorker));
        trials.Should().OnlyContain(t => t.State == TrialState.Complete && t.Curve.Count == 2);
        var expected = from w in Enumerable.Range(1, Workers) from i in Enumerable.Range(0, TrialsPerWorker) select (double)(w * 100000 + i);
        trials.Select(t => t.Value!.Value).Should().BeEquivalentTo(expected);
    }

    [Fact]
    public async Task A_worker_killed_while_writing_leaves_an_intact_database_and_an_orphan_that_times_out()
    {
        var url = NewStorageUrl();
        const int finished = 5;
        int orphanId;
        using (var process = Process.Start(Worker("hang", url, "crash", "1", finished.ToString()))!)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string? line;
            try { line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)); }
            catch (TimeoutException) { process.Kill(); line = null; }
            if (line is null || !line.StartsWith("running ", StringComparison.Ordinal))
            {
                await process.WaitForExitAsync();
                throw new Xunit.Sdk.XunitException($"worker did not start its trial: {line}{await stderr}");
            }
            orphanId = int.Parse(line!["running ".Length..]);
            await Task.Delay(400); // well into its loop of intermediate values and 256 KB model writes
            process.Kill();
            await process.WaitForExitAsync();
        }

        CheckIntegrity(url);
        using var storage = StudyStorage.Open(url);
        var study = storage.FindStudy("crash")!;
        var trials = storage.GetTrials(study.StudyId);
        trials.Should().HaveCount(finished + 1);
        trials.Take(finished).Select(t => t.Value).Should().Equal(Enumerable.Range(0, finished).Select(i => (double?)(100000 + i)));
        trials.Take(finished).Should().OnlyContain(t => t.State == TrialState.Complete && t.Curve.SequenceEqual(new[] { 1.0, 0.5 }));
        var orphan = trials[^1];
        orphan.TrialId.Should().Be(orphanId);
        orphan.State.Should().Be(TrialState.Running);
        orphan.Curve.Should().NotBeEmpty();

        await Task.Delay(600);
        storage.FailStaleTrials(study.StudyId, TimeSpan.FromMilliseconds(500)).Should().Be(1);
        var failed = storage.GetTrials(study.StudyId)[^1];
        failed.State.Should().Be(TrialState.Failed);
        failed.Error.Should().Be(StudyStorage.HeartbeatTimeoutError);
        storage.FinishTrial(orphanId, TrialState.Complete, 0.0).Should().BeFalse();
        storage.StartTrial(study.StudyId, RcML.AutoML.Parameter.Empty, 0, "next").Number.Should().Be(finished + 1);
    }
}

public sealed class SqliteWorkerProcessTests : WorkerProcessTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override string NewStorageUrl() => "sqlite:///" + _folder.File($"study-{Guid.NewGuid():N}.db");

    protected override void CheckIntegrity(string url)
    {
        using var c = new SqliteConnection($"Data Source={url["sqlite:///".Length..]};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        command.ExecuteScalar().Should().Be("ok");
    }

    public void Dispose() => _folder.Dispose();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkerProcessTests(PostgresServer server) : WorkerProcessTests
{
    protected override string NewStorageUrl() => server.CreateDatabase();
}
