using System.Diagnostics;
using Microsoft.ML.Runtime;
using RcML.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace RcML.Committor;

/// <summary>
/// The training loop: expand and standardize inputs once, keep all data as tensors on the device,
/// Adam/AdamW on the binomial cross-entropy, full batch or shuffled mini-batches, early stopping with
/// best-weights restore.
/// </summary>
public static class CommittorTraining
{
    /// <summary>
    /// Trains on <paramref name="train"/>; early-stops on <paramref name="validation"/> when given, otherwise
    /// on a random ValidationFraction of <paramref name="train"/>. <paramref name="log"/>, when given, receives the set-up
    /// and the outcome as Info messages and every epoch's losses as a Trace message, as ML.NET's own trainers report.
    /// </summary>
    public static CommittorTrainingResult Train(ShootingMatrix train, ShootingMatrix? validation,
        IReadOnlyList<NetworkInput> inputs, CommittorTrainerOptions options, CancellationToken cancellation = default,
        IChannel? log = null)
    {
        options.Validate();
        if (inputs.Count != train.Columns)
            throw new ArgumentException($"{inputs.Count} input descriptions for {train.Columns} feature columns.");
        TorchRuntime.EnsureLoaded();
        var random = new Random(options.Seed);
        if (validation is null && options.ValidationFraction > 0)
            (train, validation) = Split(train, options.ValidationFraction, random);

        var stopwatch = Stopwatch.StartNew();
        int width = InputExpansion.ExpandedWidth(inputs);
        var expandedTrain = InputExpansion.ExpandAll(inputs, train);
        var (mean, scale) = options.Standardize ? MeanAndScale(expandedTrain, width) : Identity(width);
        var device = torch.device(options.Device);

        using var scope = NewDisposeScope();
        var xTrain = Tensor2D(Standardized(expandedTrain, width, mean, scale), train.Rows, width, device);
        var shotsPerRow = train.CountA.Zip(train.CountB, (a, b) => (double)a + b).ToArray();
        double totalShots = shotsPerRow.Sum();
        var shotsTrain = Column(shotsPerRow.Select(n => (float)n).ToArray(), device);
        var bTrain = Column(train.CountB, device);
        Tensor? xVal = null, aVal = null, bVal = null;
        if (validation is { Rows: > 0 })
        {
            xVal = Tensor2D(Standardized(InputExpansion.ExpandAll(inputs, validation), width, mean, scale), validation.Rows, width, device);
            aVal = tensor(validation.CountA, device: device);
            bVal = tensor(validation.CountB, device: device);
        }

        int batch = options.BatchSize <= 0 || options.BatchSize >= train.Rows ? train.Rows : options.BatchSize;
        var engine = CommittorModel.ResolveEngine(options);
        var (intraOp, slices) = options.ThreadPlan(batch, width, engine);
        using var threads = IntraOpThreads.Limit(intraOp);
        using var model = CommittorModel.Create(engine, inputs, options, device, slices);
        log?.Info(MessageSensitivity.None, $"Training on {train.Rows} rows ({validation?.Rows ?? 0} for validation), {width} network inputs, " +
            $"{model.Engine} engine, batch {batch}, at most {options.MaxEpochs} epochs.");

        var history = new List<EpochReport>();
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        var reason = StopReason.MaxEpochs;

        for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            double trainLoss = Epoch(model, xTrain, shotsTrain, bTrain, shotsPerRow, totalShots, batch, random);
            if (!double.IsFinite(trainLoss))
                throw new TrainingDivergedException(
                    $"Training diverged at epoch {epoch} (loss {trainLoss}); lower the learning rate (now {options.LearningRate}).");

            double valLoss = double.NaN;
            if (xVal is not null)
            {
                valLoss = Evaluate(model, xVal, aVal!, bVal!);
                if (valLoss < bestLoss - options.MinDelta)
                {
                    bestLoss = valLoss;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    model.RememberBest();
                }
                else sinceBest++;
            }
            else bestEpoch = epoch;

            var report = new EpochReport(epoch, trainLoss, valLoss, xVal is null ? double.NaN : bestLoss, stopwatch.Elapsed);
            history.Add(report);
            log?.Trace(MessageSensitivity.None, $"Epoch {epoch}: training loss {trainLoss:G6}, validation loss {valLoss:G6}, best {report.BestValidationLoss:G6}.");
            if (options.OnEpoch is { } onEpoch && !onEpoch(report)) { reason = StopReason.StoppedByCallback; break; }
            if (xVal is not null && sinceBest >= options.Patience) { reason = StopReason.EarlyStopping; break; }
        }

        if (xVal is not null)
        {
            if (bestEpoch == 0)
                throw new TrainingDivergedException("The validation loss never became finite.");
            model.RestoreBest();
        }
        log?.Info(MessageSensitivity.None, $"Stopped after {history.Count} epochs ({reason}); kept the weights of epoch {bestEpoch}.");
        var spec = new CommittorNetworkSpec
        {
            Inputs = inputs.ToArray(),
            Mean = mean,
            Scale = scale,
            Layers = model.ToDenseLayers(),
        };
        var aTrain = tensor(train.CountA, device: device);
        return new CommittorTrainingResult
        {
            Network = spec,
            History = history,
            BestEpoch = bestEpoch,
            ValidationLoss = xVal is null ? double.NaN : Evaluate(model, xVal, aVal!, bVal!),
            TrainLoss = Evaluate(model, xTrain, aTrain, bTrain.squeeze(-1)),
            StopReason = reason,
            Duration = stopwatch.Elapsed,
            Engine = model.Engine,
        };
    }

    /// <summary>A seeded random split into (train, validation).</summary>
    public static (ShootingMatrix Train, ShootingMatrix Validation) Split(ShootingMatrix data, double validationFraction, Random random)
    {
        int validationRows = (int)Math.Round(data.Rows * validationFraction);
        if (validationRows < 1 || data.Rows - validationRows < 2)
            throw new ArgumentException(
                $"{data.Rows} rows are too few to hold out {validationFraction:P0} for validation; give more data or set the validation fraction to 0.");
        var order = Enumerable.Range(0, data.Rows).ToArray();
        random.Shuffle(order);
        return (data.Subset(order[validationRows..]), data.Subset(order[..validationRows]));
    }

    /// <summary>
    /// One epoch: the full batch as one step, or shuffled mini-batches (one gather per epoch, then views). Returns the
    /// training loss per shot; the only device sync of the epoch is reading it.
    /// </summary>
    private static double Epoch(CommittorModel model, Tensor x, Tensor shots, Tensor countB, double[] shotsPerRow, double totalShots,
        int batch, Random random)
    {
        using var scope = NewDisposeScope();
        long rows = x.shape[0];
        if (batch >= rows)
        {
            using var loss = model.TrainStep(new TrainingBatch(x, shots, countB, totalShots));
            return loss.item<float>() / totalShots;
        }

        var order = new long[rows];
        for (long i = 0; i < rows; i++) order[i] = i;
        random.Shuffle(order);
        var index = tensor(order, device: x.device);
        var xs = x.index_select(0, index);
        var ns = shots.index_select(0, index);
        var bs = countB.index_select(0, index);
        var total = zeros(1, device: x.device);
        for (long start = 0; start < rows; start += batch)
        {
            long length = Math.Min(batch, rows - start);
            if (length < 2 && start > 0) break; // batch norm cannot train on one row
            double batchShots = 0;
            for (long i = start; i < start + length; i++) batchShots += shotsPerRow[order[i]];
            using var loss = model.TrainStep(new TrainingBatch(xs.narrow(0, start, length), ns.narrow(0, start, length), bs.narrow(0, start, length), batchShots));
            total.add_(loss);
        }
        return total.item<float>() / totalShots;
    }

    /// <summary>Cross-entropy per shot in inference mode.</summary>
    private static double Evaluate(CommittorModel model, Tensor x, Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return CommittorLoss.PerShot(model.Logits(x), a, b).item<float>();
    }

    private static Tensor Column(float[] values, Device device) => tensor(values, new long[] { values.Length, 1 }, device: device);

    private static Tensor Tensor2D(float[] values, int rows, int columns, Device device) =>
        tensor(values, new long[] { rows, columns }, device: device);

    private static (float[] Mean, float[] Scale) MeanAndScale(float[] x, int width)
    {
        int rows = x.Length / width;
        var mean = new double[width];
        var sq = new double[width];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < width; c++) mean[c] += x[r * width + c];
        for (int c = 0; c < width; c++) mean[c] /= rows;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < width; c++) { double d = x[r * width + c] - mean[c]; sq[c] += d * d; }
        var scale = new float[width];
        for (int c = 0; c < width; c++)
        {
            double sd = Math.Sqrt(sq[c] / Math.Max(1, rows - 1));
            scale[c] = sd > 1e-12 ? (float)sd : 1f; // a constant input carries no information; leave it unscaled
        }
        return (mean.Select(m => (float)m).ToArray(), scale);
    }

    private static (float[] Mean, float[] Scale) Identity(int width) =>
        (new float[width], Enumerable.Repeat(1f, width).ToArray());

    private static float[] Standardized(float[] x, int width, float[] mean, float[] scale)
    {
        var result = new float[x.Length];
        for (int i = 0; i < x.Length; i++) result[i] = (x[i] - mean[i % width]) / scale[i % width];
        return result;
    }
}
