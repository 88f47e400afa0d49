using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace RcML.Storage;

/// <summary>
/// Studies in one SQLite file (<c>sqlite:///study.db</c>): the default, for any number of worker processes on one
/// machine. WAL journal (readers never block the writer), a busy timeout for waiting writers, and
/// <c>BEGIN IMMEDIATE</c> for every writing call so read-then-write steps (the next trial number) are serialized.
/// </summary>
/// <remarks>
/// <c>synchronous=NORMAL</c>: a killed process never loses a committed trial; a power cut may lose the last few
/// commits but never corrupts the file. Times come from SQLite's clock, which is this machine's UTC clock.
/// </remarks>
public sealed class SqliteStudyStorage : SqlStudyStorage
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    /// <summary>Opens (creating and migrating when needed) the database file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a writer waits for another's lock before failing (default 30 s).</param>
    public SqliteStudyStorage(string path, TimeSpan? busyTimeout = null) : this(path, busyTimeout, StudySchema.Latest) { }

    /// <summary>Opens migrating only up to <paramref name="schemaVersion"/> (tests build old databases with it).</summary>
    internal SqliteStudyStorage(string path, TimeSpan? busyTimeout, int schemaVersion)
    {
        Path = System.IO.Path.GetFullPath(path);
        var timeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        _busyTimeoutMs = (int)timeout.TotalMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        }.ToString();
        try
        {
            using (var connection = (SqliteConnection)OpenConnection())
            using (var wal = connection.CreateCommand())
            {
                // Persistent in the file; needs no transaction, so it is set before migrating.
                wal.CommandText = "PRAGMA journal_mode = WAL";
                wal.ExecuteNonQuery();
            }
            Migrate(schemaVersion);
        }
        catch (SqliteException e)
        {
            Dispose();
            throw new StudyStorageException($"Study storage {Location}: {e.Message}", e);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override string Location => "sqlite:///" + Path;

    private protected override StudySchema.Types ColumnTypes { get; } = new("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL", "BLOB");

    // julianday('now') is UTC with millisecond resolution.
    private protected override string NowMicros => "CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER)";

    private protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    // Not deferred = BEGIN IMMEDIATE: takes the write lock before the first read, so no two writers interleave.
    private protected override DbTransaction Begin(DbConnection connection, bool write) =>
        ((SqliteConnection)connection).BeginTransaction(deferred: !write);

    /// <inheritdoc/>
    /// <remarks>Closes pooled connections so the file can be moved or deleted.</remarks>
    public override void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
