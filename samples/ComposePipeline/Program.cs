// Compose an ML.NET pipeline around RcML's committor trainer:
// load shooting data -> select CVs -> periodic sin/cos expansion -> normalization -> committor network -> evaluate -> save.
//   dotnet run --project samples/ComposePipeline -- [output-folder] [epochs]
using Microsoft.ML;
using Microsoft.ML.Data;
using RcML;
using RcML.Committor;
using RcML.Data;
using RcML.Onnx;
using RcML.Simulation;

string folder = args.Length > 0 ? args[0] : "compose-pipeline-output";
int epochs = args.Length > 1 ? int.Parse(args[1]) : 500;
Directory.CreateDirectory(folder);

// Shooting data with a known committor: the three-well system, plus an angle-like CV to show periodic expansion.
var csv = Path.Combine(folder, "three-well.csv");
ShootingCsv.Write(new ShootingSimulator(new ShootingSimulator.Options
{
    System = ModelSystems.Get("three-well"), Points = 600, ShotsPerPoint = 10, NoiseDimensions = 4, Seed = 7,
}).Run(), csv);

var ml = new MLContext(seed: 1);
ShootingData data = ml.ReactionCoordinates().Data.Load(csv);
IDataView view = data.ToDataView();
var split = ml.Data.TrainTestSplit(view, testFraction: 0.25, seed: 1);

// Feature selection: the two coordinates and the noise columns, but not noise_4.
string[] cvs = data.FeatureNames.Where(n => n != "noise_4").ToArray();
// Treat x as if it were an angle in radians, to show the periodic step (sin/cos inside the saved model).
int angle = Array.IndexOf(cvs, "x");

var pipeline = ml.Transforms.Concatenate("RawCVs", cvs)
    .Append(PeriodicExpansion.Create(ml, "Expanded", "RawCVs", cvs.Length, [(angle, InputKind.PeriodicRadians)]))
    .Append(ml.Transforms.NormalizeMeanVariance("Features", "Expanded"))
    .Append(ml.ReactionCoordinates().Trainers.Committor(new CommittorTrainerOptions
    {
        HiddenLayers = 2, Nodes = 32, Activation = "silu", MaxEpochs = epochs, Patience = 50,
        Standardize = false, // NormalizeMeanVariance already did it
    }));

var model = pipeline.Fit(split.TrainSet);
var training = model.LastTransformer.Training;
Console.WriteLine($"trained {training.History.Count} epochs, validation cross-entropy {training.ValidationLoss:F4} nats/shot");

var (_, p) = CommittorModelFile.Score(model, split.TestSet);
var test = split.TestSet;
var a = test.GetColumn<float>("n_A").ToArray();
var b = test.GetColumn<float>("n_B").ToArray();
var reference = test.GetColumn<float>("ref_committor").ToArray();
var metrics = CommittorMetrics.Compute(p, a, b, reference);
Console.WriteLine($"test cross-entropy {metrics.CrossEntropy:F4}, exact committor {metrics.ReferenceCrossEntropy:F4}, excess {metrics.ExcessCrossEntropy:F4}");

var path = Path.Combine(folder, "three-well.zip");
CommittorModelFile.Save(ml, model, cvs, path);
Console.WriteLine($"saved {path}");
