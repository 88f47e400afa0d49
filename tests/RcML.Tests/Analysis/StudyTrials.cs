using RcML.AutoML;
using RcML.Storage;

namespace RcML.Tests.Analysis;

/// <summary>Synthetic trials of a study for the hyperparameter analyses.</summary>
internal static class StudyTrials
{
    public static StoredTrial Trial(int number, Parameter parameters, double? value, TrialState state = TrialState.Complete) => new()
    {
        TrialId = number + 1,
        StudyId = 1,
        Number = number,
        State = state,
        Parameters = parameters,
        Value = value,
        Curve = [],
        Seed = number,
        Worker = "test:1",
        StartedUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    public static Parameter Point(params (string Name, object Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, object>(v.Name, v.Value)));
}
