using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Storage;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// A PostgreSQL server for the storage tests: the one <c>$RCML_TEST_POSTGRES_URL</c> names (its user needs
/// CREATEDB), or else a private one started here (initdb into a temp folder, listening on 127.0.0.1 on a free
/// port, trust authentication, fsync off) and removed at the end. Each test gets its own database. When no
/// server is named and PostgreSQL is not installed, every test using it fails saying so.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string UrlVariable = "RCML_TEST_POSTGRES_URL";
    private const string InstallHint =
        "PostgreSQL is not installed, so the PostgreSQL storage tests cannot run. Install it (Debian/Ubuntu: " +
        "apt-get install -y postgresql; the tests look in /usr/lib/postgresql/*/bin and on PATH), or set " +
        UrlVariable + " to postgresql://user:password@host:port/database of a server where that user may CREATE DATABASE.";

    private readonly string? _adminUrl;
    private readonly string? _unavailable;
    private readonly string? _folder, _binaries, _runAs;
    private readonly List<string> _databases = [];
    private int _next;

    public PostgresServer()
    {
        var external = Environment.GetEnvironmentVariable(UrlVariable);
        if (!string.IsNullOrWhiteSpace(external)) { _adminUrl = external; return; }
        _binaries = FindBinaries();
        if (_binaries is null) { _unavailable = InstallHint; return; }
        try
        {
            // The server refuses to run as root: run it as the postgres user, who must own the folder.
            _runAs = Environment.UserName == "root" ? "postgres" : null;
            StopOrphans();
            _folder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
            File.WriteAllText(Path.Combine(_folder, OwnerFile), Environment.ProcessId.ToString());
            var data = Path.Combine(_folder, "data");
            if (_runAs is not null) Run("chown", "-R", $"{_runAs}:", _folder);
            Server("initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
            var port = FreePort();
            Server("pg_ctl", "-D", data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "-o",
                $"-k {_folder} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200", "start");
            _adminUrl = $"postgresql://postgres@127.0.0.1:{port}/postgres";
        }
        catch (Exception e)
        {
            _unavailable = $"Could not start a private PostgreSQL server with {_binaries}: {e.Message}";
            Dispose();
        }
    }

    private const string FolderPrefix = "rcml-pg-", OwnerFile = "owner.pid";

    /// <summary>Stops servers left by test runs that were killed (their owner process is gone); others' are left alone.</summary>
    private void StopOrphans()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid) || Directory.Exists($"/proc/{pid}")) continue;
            try { Server("pg_ctl", "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop"); } catch (Exception) { }
            if (File.Exists(Path.Combine(folder, "data", "postmaster.pid"))) continue; // still running: leave it be
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A URL of a new, empty database.</summary>
    public string CreateDatabase()
    {
        if (_adminUrl is null) throw new InvalidOperationException(_unavailable);
        var name = $"rcml_test_{Environment.ProcessId}_{Interlocked.Increment(ref _next)}";
        Admin($"CREATE DATABASE {name}");
        lock (_databases) _databases.Add(name);
        return WithDatabase(_adminUrl, name);
    }

    private void Admin(string sql)
    {
        using var source = NpgsqlDataSource.Create(PostgresUrl.ToConnectionString(_adminUrl!));
        using var command = source.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    /// <summary>The URL with its database path replaced.</summary>
    private static string WithDatabase(string url, string database)
    {
        var query = url.IndexOf('?', url.LastIndexOf('@') + 1);
        var tail = query < 0 ? "" : url[query..];
        var head = query < 0 ? url : url[..query];
        var hostStart = Math.Max(head.LastIndexOf('@') + 1, head.IndexOf("://", StringComparison.Ordinal) + 3);
        var slash = head.IndexOf('/', hostStart);
        return (slash < 0 ? head : head[..slash]) + "/" + database + tail;
    }

    private static string? FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).ToList()
            : new List<string>();
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Where(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return versions.Concat(onPath).FirstOrDefault();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Server(string program, params string[] args)
    {
        var path = Path.Combine(_binaries!, program);
        if (_runAs is null) Run(path, args);
        else Run("runuser", ["-u", _runAs, "--", path, .. args]);
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(true); throw new TimeoutException($"{program} did not finish."); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(program)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is null)
        {
            if (_adminUrl is not null)
                foreach (var db in _databases)
                    try { Admin($"DROP DATABASE IF EXISTS {db} WITH (FORCE)"); } catch (NpgsqlException) { }
            return;
        }
        try { Server("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"); } catch (Exception) { }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
