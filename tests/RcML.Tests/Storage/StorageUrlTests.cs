using FluentAssertions;
using Npgsql;
using RcML.Storage;
using Xunit;

namespace RcML.Tests.Storage;

public sealed class StorageUrlTests
{
    [Theory]
    [InlineData("postgresql://rc:hunter2@db.lab:5432/studies", "postgresql://rc:***@db.lab:5432/studies")]
    [InlineData("postgres://rc:p%40ss@db/studies?sslmode=require", "postgres://rc:***@db/studies?sslmode=require")]
    [InlineData("postgresql://rc:a/b@c@db/studies", "postgresql://rc:***@db/studies")]
    [InlineData("postgresql://rc@db/studies", "postgresql://rc@db/studies")]
    [InlineData("sqlite:///study.db", "sqlite:///study.db")]
    [InlineData("memory:", "memory:")]
    public void Redact_hides_only_the_password(string url, string redacted) => StudyStorage.Redact(url).Should().Be(redacted);

    [Fact]
    public void Sqlite_urls_take_relative_paths_after_three_slashes_and_absolute_ones_after_four()
    {
        StorageUrl.Parse("sqlite:///study.db").Target.Should().Be(Path.GetFullPath("study.db"));
        StorageUrl.Parse("sqlite:///runs/study.db").Target.Should().Be(Path.GetFullPath("runs/study.db"));
        StorageUrl.Parse("sqlite:////tmp/rcml/study.db").Target.Should().Be("/tmp/rcml/study.db");
        StorageUrl.Parse("memory:").Kind.Should().Be(StorageKind.Memory);
    }

    [Theory]
    [InlineData("sqlite://study.db")]
    [InlineData("sqlite:///")]
    [InlineData("mysql://rc:hunter2@db/studies")]
    [InlineData("study.db")]
    public void Bad_urls_are_argument_errors_without_the_password(string url)
    {
        var act = () => StudyStorage.Open(url);
        act.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("hunter2");
    }

    [Fact]
    public void Postgres_urls_become_npgsql_connection_strings()
    {
        var b = PostgresUrl.ToConnectionString(
            "postgresql://rc%3Auser:p%40ss:w@db.lab:6543/my%20studies?sslmode=verify-full&connect_timeout=7&application_name=rcml&command_timeout=9");
        b.Host.Should().Be("db.lab");
        b.Port.Should().Be(6543);
        b.Username.Should().Be("rc:user");
        b.Password.Should().Be("p@ss:w");
        b.Database.Should().Be("my studies");
        b.SslMode.Should().Be(SslMode.VerifyFull);
        b.Timeout.Should().Be(7);
        b.ApplicationName.Should().Be("rcml");
        b.CommandTimeout.Should().Be(9);

        var plain = PostgresUrl.ToConnectionString("postgres://db/studies");
        (plain.Host, plain.Port, plain.Database).Should().Be(("db", 5432, "studies"));
        PostgresUrl.ToConnectionString("postgresql://[::1]:5433/s").Host.Should().Be("::1");

        var noDatabase = () => PostgresUrl.ToConnectionString("postgresql://rc:hunter2@db:5432");
        noDatabase.Should().Throw<ArgumentException>().Which.Message.Should().Contain("rc:***@").And.NotContain("hunter2");
        var badKey = () => PostgresUrl.ToConnectionString("postgresql://rc:hunter2@db/s?no_such_thing=1");
        badKey.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("hunter2");
    }

    [Fact]
    public void Connection_errors_name_the_server_but_never_the_password()
    {
        var act = () => StudyStorage.Open("postgresql://rc:hunter2@127.0.0.1:1/studies?connect_timeout=2");
        var e = act.Should().Throw<StudyStorageException>().Which;
        e.Message.Should().Contain("postgresql://rc:***@127.0.0.1:1/studies").And.NotContain("hunter2");
        e.ToString().Should().NotContain("hunter2");
    }
}
