using System.CommandLine;
using Microsoft.ML;
using RcML.Committor;
using RcML.Data;

namespace RcML.Cli.Commands;

/// <summary><c>rcml train</c>: fit one committor network with given hyperparameters and save the model zip.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var defaults = new CommittorTrainerOptions();
        var model = new Option<string>("--model") { Description = "Where to save the ML.NET model zip.", Required = true }.OutputFile();
        var layers = new Option<int>("--layers") { Description = "Hidden layers (0: a linear model, q = w.x + b).", DefaultValueFactory = _ => defaults.HiddenLayers }.AtLeast(0);
        var nodes = new Option<int>("--nodes") { Description = "Nodes per hidden layer.", DefaultValueFactory = _ => defaults.Nodes }.AtLeast(1);
        var activation = Choices.Of("--activation", "Activation of the hidden layers.", defaults.Activation, Activation.Names.ToArray());
        var dropout = new Option<double>("--dropout") { Description = "Dropout probability.", DefaultValueFactory = _ => defaults.Dropout }.Fraction(allowZero: true);
        var normalization = Choices.Of("--normalization", "Normalization in hidden blocks.", defaults.Normalization);
        var optimizer = Choices.Of("--optimizer", "The optimizer.", defaults.Optimizer);
        var learningRate = new Option<double>("--learning-rate") { Description = "Learning rate.", DefaultValueFactory = _ => defaults.LearningRate }
            .Check(v => v > 0 && double.IsFinite(v), "a positive number");
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay.", DefaultValueFactory = _ => defaults.WeightDecay }
            .Check(v => v >= 0 && double.IsFinite(v), "0 or a positive number");
        var inputLasso = new Option<double>("--input-lasso")
        {
            Description = "Group-lasso strength on each CV's first-layer weights (0: off); CVs the loss does not need are cut out.",
            DefaultValueFactory = _ => defaults.InputGroupLasso,
        }.AtLeast(0);
        var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size; 0 = full batch.", DefaultValueFactory = _ => defaults.BatchSize }.AtLeast(0);
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Upper bound on epochs.", DefaultValueFactory = _ => defaults.MaxEpochs }.AtLeast(1);
        var patience = new Option<int>("--patience") { Description = "Early-stopping patience in epochs.", DefaultValueFactory = _ => defaults.Patience }.AtLeast(1);
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Fraction held out for early stopping (0: none, train for --max-epochs).", DefaultValueFactory = _ => defaults.ValidationFraction }
            .Fraction(allowZero: true);
        var seed = new Option<int>("--seed") { Description = "Seed of split, initialization, batch order and dropout.", DefaultValueFactory = _ => defaults.Seed };
        var device = DeviceOption.Create();
        var verbose = new Option<bool>("--verbose") { Description = "Print progress even when output is not a terminal." };

        var command = new Command("train", "Train a committor network on shooting data and save it as an ML.NET model zip.");
        data.AddTo(command);
        foreach (var option in new Option[] { model, layers, nodes, activation, dropout, normalization, optimizer, learningRate, weightDecay, inputLasso,
                     batchSize, maxEpochs, patience, validationFraction, seed, device, verbose })
            command.Options.Add(option);

        command.SetAction(result => CliRun.Guard(() =>
        {
            DeviceOption.Check(result.GetValue(device)!);
            var shooting = data.Load(result);
            double fraction = result.GetValue(validationFraction);
            int needed = fraction > 0 ? Math.Max(3, (int)Math.Ceiling(1 / fraction)) : 1;
            if (shooting.Count < needed)
                throw new DataFormatException(shooting.Source, null, null,
                    $"{shooting.Count} configuration{(shooting.Count == 1 ? "" : "s")}; training needs at least {needed} to hold out " +
                    $"{fraction:P0} for validation (--validation-fraction 0 trains on all of them).");
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
                InputGroupLasso = result.GetValue(inputLasso),
                BatchSize = result.GetValue(batchSize),
                MaxEpochs = result.GetValue(maxEpochs),
                Patience = result.GetValue(patience),
                ValidationFraction = result.GetValue(validationFraction),
                Seed = result.GetValue(seed),
                Device = result.GetValue(device)!,
                // SIGINT/SIGTERM stop training within an epoch, and nothing is saved.
                OnEpoch = report => !CliRun.Interruption.IsCancellationRequested ? progress.OnEpoch(report) : throw new OperationCanceledException(CliRun.Interruption),
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
