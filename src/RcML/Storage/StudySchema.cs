namespace RcML.Storage;

/// <summary>
/// The versioned schema of the SQL stores. Migrations run in order, each once, inside the opening transaction;
/// <c>schema_version</c> holds one row per applied migration. Append new migrations; never edit applied ones.
/// </summary>
internal static class StudySchema
{
    /// <summary>Column types that differ between dialects.</summary>
    /// <param name="Id">An auto-numbered integer primary key.</param>
    /// <param name="Double">A 64-bit float.</param>
    /// <param name="Blob">Bytes.</param>
    public sealed record Types(string Id, string Double, string Blob);

    public sealed record Migration(int Version, string Description, Func<Types, string[]> Statements);

    // Times are BIGINT microseconds since the Unix epoch (UTC), so the stores share every query and compare
    // heartbeats with plain arithmetic. States are lowercase text (running, complete, pruned, failed).
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "studies, attributes, trials and intermediate values", t =>
        [
            $"""
            CREATE TABLE studies (
                study_id {t.Id},
                name TEXT NOT NULL UNIQUE,
                search_space TEXT NOT NULL,
                created_us BIGINT NOT NULL,
                next_trial_number INTEGER NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE study_attributes (
                study_id INTEGER NOT NULL REFERENCES studies (study_id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (study_id, key))
            """,
            $"""
            CREATE TABLE trials (
                trial_id {t.Id},
                study_id INTEGER NOT NULL REFERENCES studies (study_id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                state TEXT NOT NULL,
                params TEXT NOT NULL,
                value {t.Double},
                seed INTEGER NOT NULL,
                worker TEXT NOT NULL,
                started_us BIGINT NOT NULL,
                finished_us BIGINT,
                heartbeat_us BIGINT,
                error TEXT,
                UNIQUE (study_id, number))
            """,
            // value is nullable: SQLite stores NaN (a diverged epoch) as NULL; it reads back as NaN.
            $"""
            CREATE TABLE trial_values (
                trial_id INTEGER NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                value {t.Double},
                PRIMARY KEY (trial_id, step))
            """,
        ]),
        new(2, "trained models; index for the stale-trial sweep", t =>
        [
            $"""
            CREATE TABLE trial_models (
                trial_id INTEGER NOT NULL PRIMARY KEY REFERENCES trials (trial_id) ON DELETE CASCADE,
                model {t.Blob} NOT NULL)
            """,
            "CREATE INDEX trials_study_state ON trials (study_id, state)",
        ]),
    ];

    /// <summary>The version this code writes and reads.</summary>
    public static int Latest => Migrations[^1].Version;
}
