using System.CommandLine;
using Microsoft.ML;
using RcML.Committor;

namespace RcML.Cli.Commands;

/// <summary><c>rcml train</c>: fit one committor network with given hyperparameters and save the model zip.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var defaults = new CommittorTrainerOptions();
        var model = new Option<string>("--model") { Description = "Where to save the ML.NET model zip.", Required = true };
        var layers = new Option<int>("--layers") { Description = "Hidden layers.", DefaultValueFactory = _ => defaults.HiddenLayers };
        var nodes = new Option<int>("--nodes") { Description = "Nodes per hidden layer.", DefaultValueFactory = _ => defaults.Nodes };
        var activation = new Option<string>("--activation") { Description = $"Activation: {string.Join(", ", Activation.Names)}.", DefaultValueFactory = _ => defaults.Activation };
        var dropout = new Option<double>("--dropout") { Description = "Dropout probability.", DefaultValueFactory = _ => defaults.Dropout };
        var normalization = new Option<LayerNormalization>("--normalization") { Description = "Normalization in hidden blocks: none, batch, layer.", DefaultValueFactory = _ => defaults.Normalization };
        var optimizer = new Option<CommittorOptimizer>("--optimizer") { Description = "Adam or AdamW.", DefaultValueFactory = _ => defaults.Optimizer };
        var learningRate = new Option<double>("--learning-rate") { Description = "Learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay.", DefaultValueFactory = _ => defaults.WeightDecay };
        var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size; 0 = full batch.", DefaultValueFactory = _ => defaults.BatchSize };
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Upper bound on epochs.", DefaultValueFactory = _ => defaults.MaxEpochs };
        var patience = new Option<int>("--patience") { Description = "Early-stopping patience in epochs.", DefaultValueFactory = _ => defaults.Patience };
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Fraction held out for early stopping.", DefaultValueFactory = _ => defaults.ValidationFraction };
        var seed = new Option<int>("--seed") { Description = "Seed of split, initialization, batch order and dropout.", DefaultValueFactory = _ => defaults.Seed };
        var device = new Option<string>("--device") { Description = "cpu, or cuda with a CUDA build.", DefaultValueFactory = _ => defaults.Device };
        var verbose = new Option<bool>("--verbose") { Description = "Print progress even when output is not a terminal." };

        var command = new Command("train", "Train a committor network on shooting data and save it as an ML.NET model zip.");
        data.AddTo(command);
        foreach (var option in new Option[] { model, layers, nodes, activation, dropout, normalization, optimizer, learningRate, weightDecay,
                     batchSize, maxEpochs, patience, validationFraction, seed, device, verbose })
            command.Options.Add(option);

        command.SetAction(result => CliRun.Guard(() =>
        {
            var shooting = data.Load(result);
            bool isVerbose = result.GetValue(verbose);
            var progress = new TrainingProgress(isVerbose, result.GetValue(maxEpochs));
            var options = new CommittorTrainerOptions
            {
                Inputs = shooting.Features.ToList(),
                HiddenLayers = result.GetValue(layers),
                Nodes = result.GetValue(nodes),
                Activation = result.GetValue(activation)!,
                Dropout = result.GetValue(dropout),
                Normalization = result.GetValue(normalization),
                Optimizer = result.GetValue(optimizer),
                LearningRate = result.GetValue(learningRate),
                WeightDecay = result.GetValue(weightDecay),
                BatchSize = result.GetValue(batchSize),
                MaxEpochs = result.GetValue(maxEpochs),
                Patience = result.GetValue(patience),
                ValidationFraction = result.GetValue(validationFraction),
                Seed = result.GetValue(seed),
                Device = result.GetValue(device)!,
                OnEpoch = progress.OnEpoch,
            };
            var ml = new MLContext(seed: options.Seed);
            var pipeline = ml.Transforms.Concatenate(options.FeatureColumnName, shooting.FeatureNames.ToArray())
                .Append(ml.ReactionCoordinates().Trainers.Committor(options));

            Console.Error.WriteLine($"rcml: {shooting.Count} configurations, {shooting.CountA.Sum() + shooting.CountB.Sum():0.##} shots, " +
                $"features: {string.Join(", ", shooting.Features.Select(f => f.Kind == InputKind.Linear ? f.Name : f.Name + " (periodic)"))}");
            var view = shooting.ToDataView();
            var fitted = pipeline.Fit(view);
            progress.Done();
            var training = fitted.LastTransformer.Training;
            var path = result.GetValue(model)!;
            CommittorModelFile.Save(ml, fitted, shooting.FeatureNames, path);

            Console.WriteLine($"epochs: {training.History.Count} (best {training.BestEpoch}, {training.StopReason})");
            Console.WriteLine($"train cross-entropy: {training.TrainLoss:F5} nats/shot");
            if (!double.IsNaN(training.ValidationLoss))
                Console.WriteLine($"validation cross-entropy: {training.ValidationLoss:F5} nats/shot");
            Console.WriteLine($"model: {Path.GetFullPath(path)}");
            return 0;
        }));
        return command;
    }
}
