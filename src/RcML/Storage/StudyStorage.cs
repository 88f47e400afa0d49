namespace RcML.Storage;

/// <summary>
/// Opens a study store from a URL, as Optuna's <c>--storage</c>:
/// <list type="bullet">
/// <item><c>memory:</c> a fresh in-process store (<see cref="InMemoryStudyStorage"/>).</item>
/// <item><c>sqlite:///study.db</c> a file relative to the current folder; <c>sqlite:////abs/path/study.db</c> an
/// absolute one (three slashes, then the path).</item>
/// <item><c>postgresql://user:password@host:port/database?sslmode=require</c> (or <c>postgres://</c>).</item>
/// </list>
/// </summary>
public static class StudyStorage
{
    /// <summary>The error text of trials failed by <see cref="IStudyStorage.FailStaleTrials"/>.</summary>
    public const string HeartbeatTimeoutError = "heartbeat timeout";

    /// <summary>Opens (creating or migrating when needed) the store a URL names.</summary>
    /// <exception cref="ArgumentException">The URL is not one of the supported forms.</exception>
    /// <exception cref="StudyStorageException">The database could not be opened or has a newer schema.</exception>
    public static IStudyStorage Open(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var storage = StorageUrl.Parse(url);
        return storage.Kind switch
        {
            StorageKind.Memory => new InMemoryStudyStorage(),
            StorageKind.Sqlite => new SqliteStudyStorage(storage.Target),
            StorageKind.Postgres => new PostgresStudyStorage(url),
            _ => throw new ArgumentException($"Unsupported storage URL '{Redact(url)}'."),
        };
    }

    /// <summary>The URL with its password replaced by <c>***</c>, for printing.</summary>
    public static string Redact(string url) => StorageUrl.Redact(url);
}

internal enum StorageKind { Memory, Sqlite, Postgres }

/// <summary>Parses storage URLs; <see cref="Target"/> is the SQLite file path (empty for the others).</summary>
internal sealed record StorageUrl(StorageKind Kind, string Target)
{
    private const string SqlitePrefix = "sqlite:///";

    public static StorageUrl Parse(string url)
    {
        if (url.Equals("memory:", StringComparison.OrdinalIgnoreCase) || url.Equals("memory://", StringComparison.OrdinalIgnoreCase))
            return new(StorageKind.Memory, "");
        if (url.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = Uri.UnescapeDataString(url[SqlitePrefix.Length..]);
            if (path.Length == 0) throw new ArgumentException("sqlite:/// needs a file path, e.g. sqlite:///study.db.");
            return new(StorageKind.Sqlite, Path.GetFullPath(path));
        }
        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"SQLite URLs have three slashes: sqlite:///relative.db or sqlite:////absolute/path.db (got '{Redact(url)}').");
        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            return new(StorageKind.Postgres, "");
        throw new ArgumentException($"Unsupported storage URL '{Redact(url)}': use memory:, sqlite:///path.db or postgresql://user:password@host:port/database.");
    }

    /// <summary>Splits <c>scheme://[user[:password]@]rest</c>. The user info ends at the last '@' (passwords may hold '/' or '?').</summary>
    public static (string Scheme, string? User, string? Password, string HostAndPath) SplitUserInfo(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return ("", null, null, url);
        var scheme = url[..schemeEnd];
        var rest = url[(schemeEnd + 3)..];
        var at = rest.LastIndexOf('@');
        if (at < 0) return (scheme, null, null, rest);
        var userInfo = rest[..at];
        var colon = userInfo.IndexOf(':');
        return colon < 0
            ? (scheme, userInfo, null, rest[(at + 1)..])
            : (scheme, userInfo[..colon], userInfo[(colon + 1)..], rest[(at + 1)..]);
    }

    public static string Redact(string url)
    {
        var (scheme, user, password, rest) = SplitUserInfo(url);
        return password is null ? url : $"{scheme}://{user}:***@{rest}";
    }
}
