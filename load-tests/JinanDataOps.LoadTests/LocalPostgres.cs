using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace JinanDataOps.LoadTests;

/// <summary>A throw-away PostgreSQL server in a temporary folder on a free loopback port, from the
/// Debian packages (postgresql): initdb, pg_ctl start, and stop plus removal when disposed. As root it
/// runs the server as the 'postgres' user, since PostgreSQL refuses to run as root.</summary>
public sealed class LocalPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _dir;

    private LocalPostgres(string bin, string dir, int port)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    public static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
            : null;

    public static LocalPostgres Start()
    {
        var bin = FindBin() ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql)");
        var dir = Path.Combine(Path.GetTempPath(), $"jdo-pg-{Guid.NewGuid():N}"[..18]);
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var pg = new LocalPostgres(bin, dir, port);
        if (Environment.UserName == "root") Run("chown", "-R", "postgres", dir);
        pg.AsPostgres(Path.Combine(bin, "initdb"), "-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync");
        pg.AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-o",
            $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB", "start");
        return pg;
    }

    public void CreateDatabase(string name) =>
        AsPostgres(Path.Combine(_bin, "psql"), "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "-c", $"CREATE DATABASE \"{name}\"");

    /// <summary>Stops the server (fast shutdown), keeping its data: an outage.</summary>
    public void Stop() => AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "stop");

    /// <summary>Starts the stopped server again on the same port with the same data.</summary>
    public void Restart() => AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-o",
        $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB", "start");

    public void Dispose()
    {
        try
        {
            AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "stop");
        }
        finally
        {
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private void AsPostgres(string program, params string[] args)
    {
        if (Environment.UserName == "root") Run("runuser", ["-u", "postgres", "--", program, .. args]);
        else Run(program, args);
    }

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}{stdout.Result}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
