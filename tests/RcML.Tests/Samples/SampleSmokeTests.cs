using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using FluentAssertions;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;
using RcML.Onnx;
using RcML.Simulation;
using Xunit;

namespace RcML.Tests.Samples;

/// <summary>Every sample builds with the solution and runs with tiny budgets.</summary>
public class SampleSmokeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ComposePipeline_trains_evaluates_and_saves()
    {
        var run = Programs.Dotnet(Programs.BuiltAssembly("samples/ComposePipeline", "ComposePipeline"), [_dir.Path, "20"]);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("test cross-entropy").And.Contain("saved");
        File.Exists(Path.Combine(_dir.Path, "three-well.zip")).Should().BeTrue();
    }

    [Fact]
    public void ActiveLearning_runs_rounds_of_train_suggest_simulate_and_merge()
    {
        var run = Programs.Dotnet(Programs.BuiltAssembly("samples/ActiveLearning", "ActiveLearning"), [_dir.Path, "2", "40", "20"]);
        run.ExitCode.Should().Be(0, run.ToString());
        run.Stdout.Should().Contain("round 0: 40 configurations, 400 shots").And.Contain("round 2: 120 configurations, 1200 shots")
            .And.Contain("test excess cross-entropy");
        var ids = File.ReadAllLines(Path.Combine(_dir.Path, "shots.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        ids.Should().HaveCount(120).And.OnlyHaveUniqueItems();
        CommittorScoring.ReadEnsemble(Path.Combine(_dir.Path, "ensemble-2.zip")).Members.Should().HaveCount(3);
    }

    [Fact]
    public void TuneExperiment_runs_a_custom_tuner_into_sqlite_and_resumes()
    {
        var sample = Programs.BuiltAssembly("samples/TuneExperiment", "TuneExperiment");
        var first = Programs.Dotnet(sample, [_dir.Path, "2", "15"]);
        first.ExitCode.Should().Be(0, first.ToString());
        first.Stdout.Should().Contain("trial 0 running").And.Contain("best trial #");
        var second = Programs.Dotnet(sample, [_dir.Path, "3", "15"]);
        second.ExitCode.Should().Be(0, second.ToString());
        second.Stdout.Should().Contain("trial 2 running").And.NotContain("trial 0 running");
        File.Exists(Path.Combine(_dir.Path, "study.db")).Should().BeTrue();
    }

    [Fact]
    public async Task DeployWeb_scores_posted_configurations_like_RcML()
    {
        var csv = _dir.File("mb.csv");
        ShootingCsv.Write(new ShootingSimulator(new ShootingSimulator.Options { Points = 120, ShotsPerPoint = 5, NoiseDimensions = 6, Seed = 2 }).Run(), csv);
        var data = ShootingData.Load(csv);
        var ml = new MLContext(seed: 1);
        var model = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
            .Append(ml.ReactionCoordinates().Trainers.Committor(new CommittorTrainerOptions { Inputs = data.Features.ToList(), MaxEpochs = 20, Nodes = 8 }))
            .Fit(data.ToDataView());
        var zip = _dir.File("best.zip");
        CommittorModelFile.Save(ml, model, data.FeatureNames, zip);
        var (_, expected) = CommittorModelFile.Score(model, data.ToDataView());

        int port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Programs.BuiltAssembly("samples/DeployWeb", "DeployWeb"), "--model", zip, "--port", port.ToString() }) start.ArgumentList.Add(a);
        using var server = Process.Start(start)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilUp(http, server);
            var schema = await http.GetFromJsonAsync<string[]>("/schema");
            schema.Should().Equal(data.FeatureNames);

            var rows = Enumerable.Range(0, 10).Select(r => data.FeatureNames.Select((n, c) => (n, (double)data.FeatureValues[c][r]))
                .ToDictionary(t => t.n, t => t.Item2)).ToArray();
            // Concurrent requests share the pooled engines.
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.PostAsJsonAsync("/score", rows)));
            foreach (var response in responses)
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var scored = json.RootElement.EnumerateArray().Select(e => e.GetProperty("committor").GetSingle()).ToArray();
                for (int r = 0; r < rows.Length; r++) scored[r].Should().BeApproximately(expected[r], 1e-5f);
            }
            (await http.PostAsJsonAsync("/score", Array.Empty<object>())).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilUp(HttpClient http, Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) throw new InvalidOperationException($"DeployWeb exited: {await server.StandardError.ReadToEndAsync()}");
            try { if ((await http.GetAsync("/schema")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("DeployWeb did not start within 60 s.");
    }
}
