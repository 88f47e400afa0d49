using RcML.AutoML;
using RcML.Storage;

// Storage test worker.
//   run  URL STUDY WORKER TRIALS   start and finish TRIALS trials (value = WORKER * 100000 + i), then print "done"
//   hang URL STUDY WORKER FINISHED finish FINISHED trials, start one more, print "running TRIAL_ID", then write to it
//                                  (intermediate values and a model) until killed
if (args.Length != 5) { Console.Error.WriteLine("usage: run|hang URL STUDY WORKER COUNT"); return 2; }
var (mode, url, studyName, worker, count) = (args[0], args[1], args[2], int.Parse(args[3]), int.Parse(args[4]));
const string space = """{"lr":{"type":"float","low":0.0001,"high":0.1,"log":true}}""";

using var storage = StudyStorage.Open(url);
var study = storage.GetOrCreateStudy(studyName, space, new Dictionary<string, string> { ["by"] = "storage worker" });
var name = $"worker{worker}:{Environment.ProcessId}";
for (var i = 0; i < count; i++)
{
    var trial = storage.StartTrial(study.StudyId, new Parameter([new("lr", 0.001 * (i + 1)), new("worker", worker)]), i, name);
    storage.ReportIntermediate(trial.TrialId, 0, 1.0);
    storage.ReportIntermediate(trial.TrialId, 1, 0.5);
    if (!storage.FinishTrial(trial.TrialId, TrialState.Complete, worker * 100000 + i))
        throw new InvalidOperationException($"trial {trial.Number} was refused");
}
if (mode == "run")
{
    Console.WriteLine("done");
    return 0;
}

var orphan = storage.StartTrial(study.StudyId, new Parameter([new("lr", 0.5)]), 7, name);
Console.WriteLine($"running {orphan.TrialId}");
Console.Out.Flush();
var model = new byte[256 * 1024];
for (var step = 0; ; step++)
{
    storage.ReportIntermediate(orphan.TrialId, step, 1.0 / (step + 1));
    Random.Shared.NextBytes(model);
    storage.SaveModel(orphan.TrialId, model);
}
