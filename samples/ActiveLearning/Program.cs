// The sampling loop on Muller-Brown, from C#: train an ensemble on the shots so far, score a pool of candidate
// configurations, pick where to shoot next (rcml suggest's selector), shoot (rcml simulate --from), merge, repeat;
// prints the excess cross-entropy over the exact committor on an independent test set after every round.
//   dotnet run --project samples/ActiveLearning -- [output-folder] [rounds] [points-per-round] [epochs] [strategy]
using Microsoft.ML;
using RcML;
using RcML.Committor;
using RcML.Data;
using RcML.Sampling;
using RcML.Simulation;

string folder = args.Length > 0 ? args[0] : "active-learning-output";
int rounds = args.Length > 1 ? int.Parse(args[1]) : 4;
int perRound = args.Length > 2 ? int.Parse(args[2]) : 200;
int epochs = args.Length > 3 ? int.Parse(args[3]) : 600;
var strategy = Enum.Parse<SelectionStrategy>(args.Length > 4 ? args[4] : "uncertainty", ignoreCase: true);
const int Shots = 10, Members = 3;
Directory.CreateDirectory(folder);

// One simulator solves the exact committor once; the pool, the first shots and the test set all use it.
var simulator = new ShootingSimulator(new ShootingSimulator.Options { ShotsPerPoint = Shots, NoiseDimensions = 6, Seed = 7 });
var pool = simulator.DrawPool(10 * perRound * (rounds + 1));                           // rcml simulate --pool
var test = new ShootingSimulator(new ShootingSimulator.Options
    { System = simulator.Committor.System, Points = 1000, ShotsPerPoint = 20, NoiseDimensions = 6, Seed = 8, Committor = simulator.Committor }).Run();
var testCsv = Path.Combine(folder, "test.csv");
ShootingCsv.Write(test, testCsv);

var used = new HashSet<int>(Enumerable.Range(0, perRound));                           // the first shots: the pool's first rows
var shots = simulator.ShootFrom(used.Select(i => (pool.Rows[i].X, pool.Rows[i].Y)).ToArray());
var dataCsv = Path.Combine(folder, "shots.csv");
ShootingCsv.Write(shots, dataCsv);

var ml = new MLContext(seed: 1);
var testData = ml.ReactionCoordinates().Data.Load(testCsv);
for (int round = 0; ; round++)
{
    // Train: one configuration from three seeds, as an ensemble that also scores its spread.
    var data = ml.ReactionCoordinates().Data.Load(dataCsv);
    var ensemble = ml.Transforms.Concatenate("Features", data.FeatureNames.ToArray())
        .Append(ml.ReactionCoordinates().Ensembles.Trainer(new CommittorTrainerOptions
        {
            Inputs = data.Features.ToList(), LayerWidths = [32, 32], LearningRate = 3e-3, MaxEpochs = epochs, Patience = 50, Seed = round * Members,
        }, Members))
        .Fit(data.ToDataView()).LastTransformer;
    ensemble.Save(Path.Combine(folder, $"ensemble-{round}.zip"));

    var (_, p, _) = CommittorModelFile.ScoreWithSpread(ensemble.ToModel(), testData.ToDataView());
    var metrics = CommittorMetrics.Compute(p, testData.CountA, testData.CountB, testData.References["ref_committor"]);
    Console.WriteLine($"round {round}: {data.Count} configurations, {data.CountA.Sum() + data.CountB.Sum():F0} shots, " +
                      $"test excess cross-entropy {metrics.ExcessCrossEntropy:F4} nats/shot");
    if (round == rounds) break;

    // Suggest: score the unused candidates and pick where to shoot next.
    var unused = Enumerable.Range(0, pool.Rows.Count).Where(i => !used.Contains(i)).ToArray();
    var candidates = new ColumnarDataView(ensemble.InputColumns.Select(name => (name, unused.Select(i => Value(pool, i, name)).ToArray())).ToList());
    var (q, pB, spread) = CommittorModelFile.ScoreWithSpread(ensemble.ToModel(), candidates);
    var picks = ShootingPointSelector.Select(q, pB, spread, new ShootingPointSelectorOptions { Strategy = strategy, Count = perRound, Seed = round });
    var next = picks.Select(k => unused[k.Index]).ToArray();
    used.UnionWith(next);

    // Simulate from the picks (ids continue, so every row has its own random stream) and merge.
    var shot = simulator.ShootFrom(next.Select(i => (pool.Rows[i].X, pool.Rows[i].Y)).ToArray(), firstId: data.Count);
    File.AppendAllLines(dataCsv, shot.Rows.Select(r => string.Join(",", ShootingCsv.Fields(shot, r))));
}
return 0;

static float Value(ShootingDataset pool, int row, string column)
{
    var r = pool.Rows[row];
    return column switch
    {
        "x" => (float)r.X,
        "y" => (float)r.Y,
        _ => (float)r.Noise[pool.NoiseColumns.Select(c => c.Name).ToList().IndexOf(column)],
    };
}
