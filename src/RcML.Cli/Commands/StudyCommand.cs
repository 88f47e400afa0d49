using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RcML.IO;
using RcML.Storage;

namespace RcML.Cli.Commands;

/// <summary>
/// <c>rcml study list|show|export|delete --storage URL</c>: look into and clean up stored studies (as Optuna's
/// <c>optuna studies</c> / <c>trials</c>). Storage URLs appear only redacted.
/// </summary>
internal static class StudyCommand
{
    public static Command Create() => new("study", "List, show, export or delete the studies in a storage.")
    {
        List(), Show(), Export(), Delete(),
    };

    private static Option<string> StorageOption() => new("--storage")
    {
        Description = "Storage URL: sqlite:///study.db (relative), sqlite:////abs/study.db, postgresql://user:password@host:port/db or memory:.",
        Required = true,
    };

    private static Option<string> StudyOption(bool required) => new("--study") { Description = "Study name.", Required = required };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print JSON." };

    private static Command List()
    {
        var storage = StorageOption();
        var json = JsonOption();
        var command = new Command("list", "List the studies with their trial counts and best values.") { storage, json };
        command.SetAction(result => Run(result.GetValue(storage)!, store =>
        {
            var rows = store.ListStudies().Select(s => (Study: s, Trials: Load(store, s.Name, result.GetValue(storage)!).Trials)).ToList();
            if (result.GetValue(json))
            {
                var array = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Study.Name,
                    ["id"] = r.Study.StudyId,
                    ["created"] = Time(r.Study.CreatedUtc),
                    ["attributes"] = Attributes(r.Study),
                    ["trials"] = r.Trials.Count,
                    ["complete"] = r.Trials.Count(t => t.State == TrialState.Complete),
                    ["best_value"] = Number(Best(r.Trials)?.Value),
                }).ToArray());
                Console.WriteLine(array.ToJsonString(JsonOutput.Options));
                return 0;
            }
            if (rows.Count == 0) { Console.WriteLine($"no studies in {StudyStorage.Redact(result.GetValue(storage)!)}"); return 0; }
            Console.WriteLine($"{"study",-24} {"id",5} {"trials",7} {"complete",9} {"running",8} {"best value",12}  created (UTC)");
            foreach (var (study, trials) in rows)
                Console.WriteLine($"{study.Name,-24} {study.StudyId,5} {trials.Count,7} {trials.Count(t => t.State == TrialState.Complete),9} " +
                                  $"{trials.Count(t => t.State == TrialState.Running),8} {Format(Best(trials)?.Value),12}  {study.CreatedUtc:yyyy-MM-dd HH:mm:ss}");
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var storage = StorageOption();
        var study = StudyOption(required: true);
        var json = JsonOption();
        var command = new Command("show", "Show a study and its trials.") { storage, study, json };
        command.SetAction(result => Run(result.GetValue(storage)!, store =>
        {
            var (info, trials) = Load(store, result.GetValue(study)!, result.GetValue(storage)!);
            if (result.GetValue(json))
            {
                var document = new JsonObject
                {
                    ["study"] = new JsonObject
                    {
                        ["name"] = info.Name,
                        ["id"] = info.StudyId,
                        ["created"] = Time(info.CreatedUtc),
                        ["attributes"] = Attributes(info),
                        ["search_space"] = ParseOrString(info.SearchSpaceJson),
                    },
                    ["trials"] = TrialsJson(trials),
                };
                Console.WriteLine(document.ToJsonString(JsonOutput.Options));
                return 0;
            }
            Console.WriteLine($"study {info.Name} (id {info.StudyId}), created {info.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC");
            foreach (var (k, v) in info.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)) Console.WriteLine($"  {k}: {v}");
            var counts = trials.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToName()}");
            Console.WriteLine($"{trials.Count} trials: {string.Join(", ", counts)}");
            if (Best(trials) is { } best) Console.WriteLine($"best: trial {best.Number}, value {Format(best.Value)}, {best.Parameters.ToJson()}");
            Console.WriteLine();
            Console.WriteLine($"{"#",5} {"state",-9} {"value",12} {"epochs",6} {"time (s)",9}  params");
            foreach (var t in trials)
                Console.WriteLine($"{t.Number,5} {t.State.ToName(),-9} {Format(t.Value),12} {t.Curve.Count,6} {Format(t.DurationSeconds, "F1"),9}  {t.Parameters.ToJson()}"
                                  + (t.Error is null ? "" : $"  ({t.Error})"));
            return 0;
        }));
        return command;
    }

    private static Command Export()
    {
        var storage = StorageOption();
        var study = StudyOption(required: true);
        var format = Choices.Of("--format", "csv (one row per trial, params as params_<name> columns) or json.", "csv", ["csv", "json"]);
        var output = new Option<string?>("--out") { Description = "Output file (written atomically); standard output when absent." }.OutputFile();
        var command = new Command("export", "Export the trials of a study as CSV or JSON.") { storage, study, format, output };
        command.SetAction(result => Run(result.GetValue(storage)!, store =>
        {
            var (_, trials) = Load(store, result.GetValue(study)!, result.GetValue(storage)!);
            Action<TextWriter> write = result.GetValue(format) == "json"
                ? w => w.WriteLine(TrialsJson(trials).ToJsonString(JsonOutput.Options))
                : w => WriteCsv(w, trials);
            if (result.GetValue(output) is { } path)
            {
                AtomicFile.WriteText(path, write);
                Console.Error.WriteLine($"exported {trials.Count} trials -> {Path.GetFullPath(path)}");
            }
            else write(Console.Out);
            return 0;
        }));
        return command;
    }

    private static Command Delete()
    {
        var storage = StorageOption();
        var study = StudyOption(required: true);
        var command = new Command("delete", "Delete a study with its trials and models.") { storage, study };
        command.SetAction(result => Run(result.GetValue(storage)!, store =>
        {
            var url = result.GetValue(storage)!;
            var (info, trials) = Load(store, result.GetValue(study)!, url);
            store.DeleteStudy(info.Name);
            Console.WriteLine($"deleted study '{info.Name}' ({trials.Count} trials) from {StudyStorage.Redact(url)}");
            return 0;
        }));
        return command;
    }

    /// <summary>Opens the storage for one command; a store that cannot be opened and a missing study are bad input.</summary>
    private static int Run(string url, Func<IStudyStorage, int> body) => CliRun.Guard(() =>
    {
        using var store = StudyStorage.Open(url);
        return body(store);
    });

    /// <summary>The study and its trials, after failing the running trials of workers that are gone.</summary>
    private static (StudyInfo Study, IReadOnlyList<StoredTrial> Trials) Load(IStudyStorage store, string name, string url)
    {
        var info = store.FindStudy(name) ?? throw new ArgumentException($"--study: no study '{name}' in {StudyStorage.Redact(url)}.");
        store.FailAbandonedTrials(info.StudyId);
        return (info, store.GetTrials(info.StudyId));
    }

    private static StoredTrial? Best(IEnumerable<StoredTrial> trials) =>
        trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v)).MinBy(t => t.Value);

    private static JsonArray TrialsJson(IEnumerable<StoredTrial> trials) => new(trials.Select(t => (JsonNode)new JsonObject
    {
        ["number"] = t.Number,
        ["state"] = t.State.ToName(),
        ["value"] = Number(t.Value),
        ["params"] = JsonNode.Parse(t.Parameters.ToJson()),
        ["duration_s"] = Number(t.DurationSeconds),
        ["seed"] = t.Seed,
        ["worker"] = t.Worker,
        ["started"] = Time(t.StartedUtc),
        ["finished"] = t.FinishedUtc is { } f ? Time(f) : null,
        ["error"] = t.Error,
        ["curve"] = new JsonArray(t.Curve.Select(v => Number(v)).ToArray()),
    }).ToArray());

    private static void WriteCsv(TextWriter w, IReadOnlyList<StoredTrial> trials)
    {
        var names = trials.SelectMany(t => t.Parameters.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        string[] fixedColumns = ["number", "state", "value", "duration_s", "seed", "worker", "started", "finished", "epochs", "error"];
        w.WriteLine(string.Join(",", fixedColumns.Concat(names.Select(n => Csv.Quote("params_" + n)))));
        foreach (var t in trials)
        {
            string[] row =
            [
                t.Number.ToString(CultureInfo.InvariantCulture), t.State.ToName(), Invariant(t.Value), Invariant(t.DurationSeconds),
                t.Seed.ToString(CultureInfo.InvariantCulture), Csv.Quote(t.Worker), Time(t.StartedUtc), t.FinishedUtc is { } f ? Time(f) : "",
                t.Curve.Count.ToString(CultureInfo.InvariantCulture), Csv.Quote(t.Error ?? ""),
            ];
            var values = names.Select(n => t.Parameters.TryGetValue(n, out var v) ? Csv.Quote(ParamText(v)) : "");
            w.WriteLine(string.Join(",", row.Concat(values)));
        }
    }

    private static string ParamText(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static JsonObject Attributes(StudyInfo study) =>
        new(study.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));

    // JSON has no NaN or infinity: those become null.
    private static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static JsonNode? ParseOrString(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return json; }
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
    private static string Invariant(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
    private static string Format(double? value, string format = "G6") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
