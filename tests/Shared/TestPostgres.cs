using System.Diagnostics;

namespace JinanDataOps.Tests.Shared;

/// <summary>The PostgreSQL server the tests that need one use (store suite, three-node cluster), so the README's test
/// command works as it is: the server named by <c>JDO_TEST_POSTGRES</c> when set (<c>.ci/run</c> starts one); otherwise
/// one throw-away server for this test process, started with the repository's <c>.ci/postgres.sh</c> (Debian package
/// <c>postgresql</c>) and stopped when the process ends. Null only when <c>JDO_SKIP_POSTGRES=1</c> says to skip;
/// without a server and without that, the caller fails with the reason.</summary>
public static class TestPostgres
{
    private static readonly Lazy<(string? Server, string? Why)> Shared = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    public static bool SkipRequested => Environment.GetEnvironmentVariable("JDO_SKIP_POSTGRES") == "1";

    /// <summary>The server's connection string (database <c>postgres</c>); tests create databases of their own in it.</summary>
    public static string? Server()
    {
        var (server, why) = Shared.Value;
        if (server is not null || SkipRequested) return server;
        throw new InvalidOperationException(why);
    }

    private static (string?, string?) Resolve()
    {
        if (Environment.GetEnvironmentVariable("JDO_TEST_POSTGRES") is { Length: > 0 } given) return (given, null);
        if (SkipRequested) return (null, null);
        var script = FindScript();
        if (script is null) return (null, "JDO_TEST_POSTGRES is not set and .ci/postgres.sh was not found above " + AppContext.BaseDirectory);
        // A folder of this process's own, so parallel test processes (one per test project) never share or stop each other's.
        var folder = Path.Combine(Path.GetTempPath(), $"jdo-test-pg-{Environment.ProcessId}");
        var (code, stdout, stderr) = Run(script, "start", folder);
        if (code != 0 || !stdout.Contains("JDO_TEST_POSTGRES=\"", StringComparison.Ordinal))
            return (null, $"no PostgreSQL for the tests: JDO_TEST_POSTGRES is not set and `.ci/postgres.sh start` failed ({stderr.Trim()}). " +
                          "Install the Debian package postgresql (`.ci/run` does), or set JDO_SKIP_POSTGRES=1 to skip these tests on purpose.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run(script, "stop", folder);
        var start = stdout.IndexOf("JDO_TEST_POSTGRES=\"", StringComparison.Ordinal) + "JDO_TEST_POSTGRES=\"".Length;
        return (stdout[start..stdout.IndexOf('"', start)], null);
    }

    /// <summary>Creates a database of its own for a test in <paramref name="server"/> and returns its name.</summary>
    public static async Task<string> CreateDatabase(string server, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>The connection string of database <paramref name="database"/> on <paramref name="server"/>.</summary>
    public static string ConnectionString(string server, string database, int? maxPoolSize = null)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = database };
        if (maxPoolSize is { } size) builder.MaxPoolSize = size;
        return builder.ConnectionString;
    }

    /// <summary>Drops a test's database, whoever is still connected (nodes killed a moment ago).</summary>
    public static async Task DropDatabase(string? server, string? database)
    {
        if (server is null || database is null) return;
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var connection = new Npgsql.NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A server of the caller's own, which it may stop and start again (an outage), stopped and removed when
    /// disposed. Null only when <c>JDO_SKIP_POSTGRES=1</c> says to skip.</summary>
    public static PrivatePostgres? Private()
    {
        if (SkipRequested) return null;
        var script = FindScript() ?? throw new InvalidOperationException(".ci/postgres.sh was not found above " + AppContext.BaseDirectory);
        var folder = Path.Combine(Path.GetTempPath(), $"jdo-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        var (code, stdout, stderr) = Run(script, "start", folder);
        if (code != 0 || !stdout.Contains("JDO_TEST_POSTGRES=\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"`.ci/postgres.sh start` failed ({stderr.Trim()}); install the Debian package postgresql or set JDO_SKIP_POSTGRES=1");
        var start = stdout.IndexOf("JDO_TEST_POSTGRES=\"", StringComparison.Ordinal) + "JDO_TEST_POSTGRES=\"".Length;
        return new PrivatePostgres(stdout[start..stdout.IndexOf('"', start)], command =>
        {
            var (c, _, e) = Run(script, command, folder);
            if (c != 0) throw new InvalidOperationException($"`.ci/postgres.sh {command}` failed: {e.Trim()}");
        });
    }

    public sealed class PrivatePostgres(string server, Action<string> run) : IDisposable
    {
        public string Server { get; } = server;

        /// <summary>Stops the server (fast shutdown), keeping its data and port.</summary>
        public void Pause() => run("pause");

        /// <summary>Starts it again on the same port.</summary>
        public void Resume() => run("resume");

        public void Dispose() => run("stop");
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, ".ci", "postgres.sh"))) return Path.Combine(dir.FullName, ".ci", "postgres.sh");
        return null;
    }

    private static (int Code, string Stdout, string Stderr) Run(string script, string command, string folder)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(command);
        info.Environment["JDO_PG_DIR"] = folder;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(120_000);
        return (process.HasExited ? process.ExitCode : -1, stdout.Result, stderr.Result);
    }
}
