namespace RcML.Cli.Commands;

/// <summary>Defaults of <c>rcml tune</c> that depend on the data.</summary>
internal static class TuneDefaults
{
    /// <summary>
    /// Up to this many configurations, trials race on folds (--selection auto): on a few thousand configurations the
    /// validation loss of one 20% split moves with the initialization and the split by more than the differences between
    /// good settings, and the lowest of many such values is mostly luck. Above, one split's hold-out is large enough
    /// and each extra fold costs a full training on large data.
    /// </summary>
    public const int RacingMaxRows = 50_000;

    /// <summary>The selection --selection auto resolves to.</summary>
    public static string Selection(string requested, int rows) => requested switch
    {
        "auto" => rows <= RacingMaxRows ? "racing" : "split",
        "racing" or "cv" or "split" => requested,
        _ => throw new ArgumentException($"--selection: unknown '{requested}'; choose auto, racing, cv or split."),
    };
}
