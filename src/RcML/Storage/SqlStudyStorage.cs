using System.Data;
using System.Data.Common;
using RcML.AutoML;

namespace RcML.Storage;

/// <summary>
/// The SQL stores' shared logic over ADO.NET: every query (both dialects agree on <c>ON CONFLICT</c>,
/// <c>RETURNING</c> and <c>@name</c> parameters), the migrations, and error translation. A dialect supplies
/// connections, transactions, column types and the clock.
/// </summary>
/// <remarks>
/// Every public call runs in its own transaction on a pooled connection, so a store is safe to share between
/// threads and a worker killed mid-call leaves the database as it was before that call. Trial numbers come from a
/// per-study counter incremented in the same transaction that inserts the trial, so they are unique and dense.
/// Times are taken from the database's clock (<see cref="NowMicros"/>), the same source for heartbeats and for
/// the stale check, so workers on machines with skewed clocks still agree.
/// </remarks>
public abstract class SqlStudyStorage : IStudyStorage
{
    private const string TrialColumns =
        "trial_id, study_id, number, state, params, value, seed, worker, started_us, finished_us, heartbeat_us, error";

    private protected SqlStudyStorage() { }

    /// <summary>Where the data lives, for messages (never with a password).</summary>
    public abstract string Location { get; }

    private protected abstract StudySchema.Types ColumnTypes { get; }

    /// <summary>SQL expression: the current UTC time in microseconds since the Unix epoch.</summary>
    private protected abstract string NowMicros { get; }

    private protected abstract DbConnection OpenConnection();

    /// <summary>A transaction that may write (must lock before it reads what it will write) or only reads.</summary>
    private protected abstract DbTransaction Begin(DbConnection connection, bool write);

    /// <summary>Serializes concurrent openers while they migrate (first statement of the migration transaction).</summary>
    private protected virtual void LockForMigration(DbConnection connection, DbTransaction transaction) { }

    /// <summary>Removes anything secret from a driver's message.</summary>
    private protected virtual string Scrub(string message) => message;

    /// <summary>Brings the schema up to <paramref name="targetVersion"/>; refuses a newer database.</summary>
    private protected void Migrate(int targetVersion) => Write((c, tx) =>
    {
        LockForMigration(c, tx);
        Execute(c, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_us BIGINT NOT NULL)");
        var current = Convert.ToInt32(Scalar(c, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
        if (current > StudySchema.Latest)
            throw new StudyStorageException(
                $"The study database {Location} has schema version {current}, newer than this RcML supports ({StudySchema.Latest}). Upgrade RcML to use it.");
        foreach (var m in StudySchema.Migrations.Where(m => m.Version > current && m.Version <= targetVersion))
        {
            foreach (var statement in m.Statements(ColumnTypes)) Execute(c, tx, statement);
            Execute(c, tx, $"INSERT INTO schema_version (version, description, applied_us) VALUES (@v, @d, {NowMicros})",
                ("v", m.Version), ("d", m.Description));
        }
        return 0;
    });

    /// <summary>The applied schema version.</summary>
    internal int SchemaVersion() => Read((c, tx) => Convert.ToInt32(Scalar(c, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version")));

    /// <inheritdoc/>
    /// <remarks>Attributes are written when the study is created; an existing study keeps its own.</remarks>
    public StudyInfo GetOrCreateStudy(string name, string searchSpaceJson, IReadOnlyDictionary<string, string>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Write((c, tx) =>
        {
            var created = Scalar(c, tx,
                $"INSERT INTO studies (name, search_space, created_us) VALUES (@n, @s, {NowMicros}) ON CONFLICT (name) DO NOTHING RETURNING study_id",
                ("n", name), ("s", searchSpaceJson));
            if (created is not null)
                foreach (var (k, v) in attributes ?? new Dictionary<string, string>())
                    Execute(c, tx, "INSERT INTO study_attributes (study_id, key, value) VALUES (@id, @k, @v)",
                        ("id", Convert.ToInt32(created)), ("k", k), ("v", v));
            var study = Studies(c, tx, "WHERE name = @n", ("n", name)).Single();
            return created is not null || SearchSpaceJson.SameSpace(study.SearchSpaceJson, searchSpaceJson)
                ? study : throw SearchSpaceJson.Mismatch(name);
        });
    }

    /// <inheritdoc/>
    public StudyInfo? FindStudy(string name) => Read((c, tx) => Studies(c, tx, "WHERE name = @n", ("n", name)).SingleOrDefault());

    /// <inheritdoc/>
    public IReadOnlyList<StudyInfo> ListStudies() => Read((c, tx) => Studies(c, tx, ""));

    /// <inheritdoc/>
    public bool DeleteStudy(string name) => Write((c, tx) =>
    {
        // Children first, explicitly: SQLite enforces ON DELETE CASCADE only with foreign keys switched on.
        const string study = "(SELECT study_id FROM studies WHERE name = @n)";
        const string trials = $"(SELECT trial_id FROM trials WHERE study_id = {study})";
        Execute(c, tx, $"DELETE FROM trial_models WHERE trial_id IN {trials}", ("n", name));
        Execute(c, tx, $"DELETE FROM trial_values WHERE trial_id IN {trials}", ("n", name));
        Execute(c, tx, $"DELETE FROM trials WHERE study_id = {study}", ("n", name));
        Execute(c, tx, $"DELETE FROM study_attributes WHERE study_id = {study}", ("n", name));
        return Execute(c, tx, "DELETE FROM studies WHERE name = @n", ("n", name)) > 0;
    });

    /// <inheritdoc/>
    public StoredTrial StartTrial(int studyId, Parameter parameters, int seed, string worker) => Write((c, tx) =>
    {
        // The counter update locks the study row (PostgreSQL) or the database (SQLite's BEGIN IMMEDIATE) until commit.
        var next = Scalar(c, tx,
            "UPDATE studies SET next_trial_number = next_trial_number + 1 WHERE study_id = @s RETURNING next_trial_number - 1",
            ("s", studyId)) ?? throw new StudyStorageException($"No study with id {studyId} in {Location}.");
        var number = Convert.ToInt32(next);
        using var command = Command(c, tx,
            $"INSERT INTO trials (study_id, number, state, params, seed, worker, started_us) VALUES (@s, @num, @st, @p, @seed, @w, {NowMicros}) RETURNING {TrialColumns}",
            ("s", studyId), ("num", number), ("st", TrialState.Running.ToName()), ("p", parameters.ToJson()), ("seed", seed), ("w", worker));
        using var reader = command.ExecuteReader();
        reader.Read();
        return ReadTrial(reader, []);
    });

    /// <inheritdoc/>
    public void SetTrialParameters(int trialId, Parameter parameters, int seed) => Write((c, tx) => Execute(c, tx,
        "UPDATE trials SET params = @p, seed = @seed WHERE trial_id = @t AND state = @running",
        ("p", parameters.ToJson()), ("seed", seed), ("t", trialId), ("running", TrialState.Running.ToName())));

    /// <inheritdoc/>
    /// <remarks>Ignored once the trial is no longer running.</remarks>
    public void ReportIntermediate(int trialId, int step, double value) => Write((c, tx) =>
    {
        if (Beat(c, tx, trialId) == 1)
            Execute(c, tx,
                "INSERT INTO trial_values (trial_id, step, value) VALUES (@t, @step, @v) ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value",
                ("t", trialId), ("step", step), ("v", value));
        return 0;
    });

    /// <inheritdoc/>
    public void Heartbeat(int trialId) => Write((c, tx) => Beat(c, tx, trialId));

    private int Beat(DbConnection c, DbTransaction tx, int trialId) =>
        Execute(c, tx, $"UPDATE trials SET heartbeat_us = {NowMicros} WHERE trial_id = @t AND state = @running",
            ("t", trialId), ("running", TrialState.Running.ToName()));

    /// <inheritdoc/>
    public bool FinishTrial(int trialId, TrialState state, double? value, string? error = null)
    {
        if (state == TrialState.Running) throw new ArgumentException("A trial cannot finish as Running.", nameof(state));
        return Write((c, tx) => Execute(c, tx,
            $"UPDATE trials SET state = @st, value = @v, error = @e, finished_us = {NowMicros} WHERE trial_id = @t AND state = @running",
            ("st", state.ToName()), ("v", value), ("e", error), ("t", trialId), ("running", TrialState.Running.ToName())) == 1);
    }

    /// <inheritdoc/>
    public void SaveModel(int trialId, byte[] modelZip) => Write((c, tx) =>
    {
        // WHERE on the SELECT also keeps SQLite's parser from reading ON CONFLICT as a join constraint.
        var saved = Execute(c, tx,
            "INSERT INTO trial_models (trial_id, model) SELECT @t, @m WHERE EXISTS (SELECT 1 FROM trials WHERE trial_id = @t) ON CONFLICT (trial_id) DO UPDATE SET model = excluded.model",
            ("t", trialId), ("m", modelZip));
        return saved == 1 ? 0 : throw new StudyStorageException($"No trial with id {trialId} in {Location}.");
    });

    /// <inheritdoc/>
    public byte[]? LoadModel(int trialId) => Read((c, tx) => Scalar(c, tx, "SELECT model FROM trial_models WHERE trial_id = @t", ("t", trialId)) as byte[]);

    /// <inheritdoc/>
    public IReadOnlyList<StoredTrial> GetTrials(int studyId) => Read((c, tx) =>
    {
        var curves = new Dictionary<int, List<double>>();
        using (var command = Command(c, tx,
                   "SELECT v.trial_id, v.value FROM trial_values v JOIN trials t ON t.trial_id = v.trial_id WHERE t.study_id = @s ORDER BY v.trial_id, v.step",
                   ("s", studyId)))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                var id = Convert.ToInt32(reader.GetValue(0));
                if (!curves.TryGetValue(id, out var curve)) curves[id] = curve = [];
                curve.Add(reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1));
            }
        var trials = new List<StoredTrial>();
        using (var command = Command(c, tx, $"SELECT {TrialColumns} FROM trials WHERE study_id = @s ORDER BY number", ("s", studyId)))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                trials.Add(ReadTrial(reader, curves.GetValueOrDefault(Convert.ToInt32(reader.GetValue(0))) ?? []));
        return trials;
    });

    /// <inheritdoc/>
    public int FailStaleTrials(int studyId, TimeSpan timeout) => Write((c, tx) => Execute(c, tx,
        $"""
        UPDATE trials SET state = @failed, error = @e, finished_us = {NowMicros}
        WHERE study_id = @s AND state = @running AND COALESCE(heartbeat_us, started_us) < {NowMicros} - @timeout
        """,
        ("failed", TrialState.Failed.ToName()), ("e", StudyStorage.HeartbeatTimeoutError), ("s", studyId),
        ("running", TrialState.Running.ToName()), ("timeout", (long)(timeout.Ticks / 10))));

    /// <inheritdoc/>
    public abstract void Dispose();

    private List<StudyInfo> Studies(DbConnection c, DbTransaction tx, string where, params (string, object?)[] parameters)
    {
        var rows = new List<(int Id, string Name, string Space, long Created)>();
        using (var command = Command(c, tx, $"SELECT study_id, name, search_space, created_us FROM studies {where} ORDER BY study_id", parameters))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                rows.Add((Convert.ToInt32(reader.GetValue(0)), reader.GetString(1), reader.GetString(2), Convert.ToInt64(reader.GetValue(3))));
        var attributes = rows.ToDictionary(r => r.Id, _ => new Dictionary<string, string>(StringComparer.Ordinal));
        using (var command = Command(c, tx, $"SELECT study_id, key, value FROM study_attributes WHERE study_id IN (SELECT study_id FROM studies {where})", parameters))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                if (attributes.TryGetValue(Convert.ToInt32(reader.GetValue(0)), out var a)) a[reader.GetString(1)] = reader.GetString(2);
        return rows.Select(r => new StudyInfo(r.Id, r.Name, r.Space, FromMicros(r.Created), attributes[r.Id])).ToList();
    }

    private static StoredTrial ReadTrial(DbDataReader r, IReadOnlyList<double> curve) => new()
    {
        TrialId = Convert.ToInt32(r.GetValue(0)),
        StudyId = Convert.ToInt32(r.GetValue(1)),
        Number = Convert.ToInt32(r.GetValue(2)),
        State = StoredTrialStates.Parse(r.GetString(3)),
        Parameters = Parameter.FromJson(r.GetString(4)),
        Value = r.IsDBNull(5) ? null : r.GetDouble(5),
        Seed = Convert.ToInt32(r.GetValue(6)),
        Worker = r.GetString(7),
        StartedUtc = FromMicros(Convert.ToInt64(r.GetValue(8))),
        FinishedUtc = r.IsDBNull(9) ? null : FromMicros(Convert.ToInt64(r.GetValue(9))),
        HeartbeatUtc = r.IsDBNull(10) ? null : FromMicros(Convert.ToInt64(r.GetValue(10))),
        Error = r.IsDBNull(11) ? null : r.GetString(11),
        Curve = curve,
    };

    private static DateTime FromMicros(long us) => DateTime.UnixEpoch.AddTicks(us * 10);

    private T Write<T>(Func<DbConnection, DbTransaction, T> body) => InTransaction(body, write: true);
    private T Read<T>(Func<DbConnection, DbTransaction, T> body) => InTransaction(body, write: false);

    private T InTransaction<T>(Func<DbConnection, DbTransaction, T> body, bool write)
    {
        try
        {
            using var connection = OpenConnection();
            using var transaction = Begin(connection, write);
            var result = body(connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (DbException e) { throw new StudyStorageException($"Study storage {Location}: {Scrub(e.Message)}", e); }
        catch (TimeoutException e) { throw new StudyStorageException($"Study storage {Location}: {Scrub(e.Message)}", e); }
    }

    private static DbCommand Command(DbConnection c, DbTransaction tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            // NaN (a diverged epoch) is stored as NULL: SQLite cannot store it, and both stores then read alike.
            p.Value = value is null or double.NaN ? DBNull.Value : value;
            command.Parameters.Add(p);
        }
        return command;
    }

    private static int Execute(DbConnection c, DbTransaction tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(DbConnection c, DbTransaction tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(c, tx, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }
}
