using FluentAssertions;
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML.Committor;
using RcML.Data;
using Xunit;

namespace RcML.Tests.Committor;

public class CommittorTrainerTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public sealed class Input
    {
        public float phi { get; set; }
        public float x { get; set; }
        public float noise { get; set; }
    }

    public sealed class Output
    {
        public float ReactionCoordinate { get; set; }
        public float Committor { get; set; }
    }

    [Fact]
    public void Training_reports_its_set_up_every_epoch_and_its_outcome_on_the_context_log()
    {
        var data = ShootingData.Load(SyntheticCsv.Write(_dir.File("shots.csv"), rows: 100), new ShootingDataOptions());
        var ml = new MLContext(seed: 1);
        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e); };
        var pipeline = ml.Transforms.Concatenate("Features", "phi", "x", "noise")
            .Append(ml.ReactionCoordinates().Trainers.Committor(new CommittorTrainerOptions { MaxEpochs = 7, Patience = 100, Nodes = 4 }));

        var model = pipeline.Fit(data.ToDataView());

        var ours = messages.Where(m => m.Source.StartsWith(nameof(CommittorTrainer), StringComparison.Ordinal)).ToList();
        // ML.NET's channel adds Trace lines of its own ("Channel started", ...).
        var epochs = ours.Where(m => m.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Trace && m.RawMessage.StartsWith("Epoch ", StringComparison.Ordinal))
            .Select(m => m.RawMessage).ToList();
        epochs.Should().HaveCount(7);
        for (int i = 0; i < 7; i++)
        {
            var report = model.LastTransformer.Training.History[i];
            epochs[i].Should().StartWith($"Epoch {i + 1}: training loss {report.TrainLoss:G6}, validation loss {report.ValidationLoss:G6}");
        }
        var info = ours.Where(m => m.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info).Select(m => m.RawMessage).ToList();
        info.Should().HaveCount(2);
        info[0].Should().StartWith("Training on 80 rows (20 for validation), 3 network inputs");
        info[1].Should().Be("Stopped after 7 epochs (MaxEpochs); kept the weights of epoch " + model.LastTransformer.Training.BestEpoch + ".");
    }

    [Fact]
    public void A_composed_pipeline_saves_as_a_plain_model_and_serves_a_prediction_engine()
    {
        var data = ShootingData.Load(SyntheticCsv.Write(_dir.File("shots.csv"), rows: 500), new ShootingDataOptions());
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.Concatenate("Features", "phi", "x", "noise")
            .Append(ml.ReactionCoordinates().Trainers.Committor(new CommittorTrainerOptions
            {
                Periodic = ["phi"], MaxEpochs = 300, Nodes = 16, HiddenLayers = 2, LearningRate = 3e-3,
            }));
        var view = data.ToDataView();
        var model = pipeline.Fit(view);

        // Inputs named from Concatenate's slot names, the periodic one recognized.
        model.LastTransformer.Network.Inputs.Should().Equal(
            new NetworkInput("phi", InputKind.PeriodicDegrees), new NetworkInput("x", InputKind.Linear), new NetworkInput("noise", InputKind.Linear));
        model.LastTransformer.Training.History.Should().NotBeEmpty();

        var path = _dir.File("rc.zip");
        ml.Model.Save(model, view.Schema, path);
        var fresh = new MLContext();
        var loaded = fresh.Model.Load(path, out _);
        var engine = fresh.Model.CreatePredictionEngine<Input, Output>(loaded);

        foreach (var (phi, x) in new[] { (90f, 0.5f), (-90f, -0.5f), (10f, 0f) })
        {
            var prediction = engine.Predict(new Input { phi = phi, x = x, noise = 0.5f });
            prediction.Committor.Should().BeApproximately(1 / (1 + MathF.Exp(-prediction.ReactionCoordinate)), 1e-5f);
            prediction.Committor.Should().BeApproximately((float)SyntheticCsv.TrueCommittor(phi, x), 0.12f);
        }
        // The output columns are scalar Single, not vectors.
        var schema = loaded.GetOutputSchema(view.Schema);
        schema["ReactionCoordinate"].Type.Should().Be(NumberDataViewType.Single);
        schema["Committor"].Type.Should().Be(NumberDataViewType.Single);
    }
}
