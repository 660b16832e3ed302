using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>The real host as a separate OS process on loopback: <c>dotnet JinanDataOps.Host.dll --urls
/// http://127.0.0.1:{port}</c> in the Development environment, with a fresh temporary working directory
/// (the SQLite journal is created at <c>data/jinandataops.db</c> under it). It can be killed hard — the
/// whole process tree, no graceful stop — and started again on the same directory.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    /// <summary>Configuration the test environment might carry that must not leak into the host.</summary>
    private static readonly string[] ScrubbedPrefixes =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "URLS", "Persistence__", "Cluster__", "Auth__", "Platform__", "ConfigFile"];

    /// <summary>Microsoft.Hosting.Lifetime's line, as text ("Now listening on: http://127.0.0.1:40123") or inside a JSON
    /// line (Logging:Format=json: "Message":"Now listening on: http://127.0.0.1:40123",...): the address ends at white
    /// space or at the closing quote of the JSON string.</summary>
    private static readonly Regex ListeningLine = new(@"Now listening on: (http://[^\s""]+)", RegexOptions.CultureInvariant);

    private readonly Dictionary<string, string> _environment;
    private readonly object _logLock = new();
    private readonly StreamWriter _log;
    private Process? _process;

    public HostProcess(IReadOnlyDictionary<string, string>? environment = null)
    {
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        WorkingDirectory = Path.Combine(Path.GetTempPath(), $"jinandataops-e2e-{Guid.NewGuid():N}"[..30]);
        Directory.CreateDirectory(WorkingDirectory);
        LogPath = Path.Combine(WorkingDirectory, "host.log");
        _log = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };
    }

    /// <summary>The built host beside the tests: the test project references the Host project, so the
    /// SDK copies JinanDataOps.Host.dll, its runtimeconfig/deps files and appsettings*.json here. The
    /// benchmarks may run another build of it (e.g. a ReadyToRun publish) from the directory in
    /// <c>JDO_HOST_DIR</c>.</summary>
    public static string HostDll => Path.Combine(HostDirectory, "JinanDataOps.Host.dll");

    private static string HostDirectory => Environment.GetEnvironmentVariable("JDO_HOST_DIR") is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;

    public string WorkingDirectory { get; }

    public string LogPath { get; }

    public string DatabasePath => Path.Combine(WorkingDirectory, "data", "jinandataops.db");

    /// <summary>http://127.0.0.1:{port}/ of the running process (a fresh port on every start).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:1/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>"running as pid N" or "exited with code C at T" (the last process started), for diagnostics.</summary>
    public string Describe()
    {
        var process = _process;
        if (process is null) return "the host is not started";
        try
        {
            return process.HasExited ? $"the host process {process.Id} exited with code {process.ExitCode} at {process.ExitTime:O}" : $"the host process {process.Id} is running";
        }
        catch (InvalidOperationException ex)
        {
            return $"the host process state is unknown ({ex.Message})";
        }
    }

    /// <summary>CPU time the running host process has used so far (benchmarks: work against waiting).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException("the host is not running");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>When the host last answered /health/ready with 200.</summary>
    public DateTimeOffset ReadySince { get; private set; }

    public int Starts { get; private set; }

    public static void VerifyBuildOutput()
    {
        foreach (var file in new[] { "JinanDataOps.Host.dll", "JinanDataOps.Host.runtimeconfig.json", "JinanDataOps.Host.deps.json", "appsettings.json", "appsettings.Development.json" })
        {
            var path = Path.Combine(HostDirectory, file);
            if (!File.Exists(path))
                throw new InvalidOperationException($"{path} is missing: the test project must reference src/JinanDataOps.Host so the built host is copied beside the tests.");
        }
    }

    /// <summary>Starts the host and waits until GET <paramref name="probePath"/> (/health/ready unless a test
    /// expects the host not to be ready, and waits for /health/live) answers 200.</summary>
    public async Task StartAsync(TimeSpan? readyTimeout = null, string probePath = "health/ready")
    {
        if (IsRunning) throw new InvalidOperationException("the host is already running");
        VerifyBuildOutput();
        await StartOnceAsync(readyTimeout ?? TimeSpan.FromSeconds(60), probePath);
        Starts++;
    }

    private async Task StartOnceAsync(TimeSpan readyTimeout, string probePath)
    {
        var info = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
        };
        // Port 0: Kestrel binds a port the system chooses and says which. A port picked here and handed over
        // could be taken by another process in between — and if that were another host of these tests, its
        // answers would be taken for this one's (a CI run saw a test talk to a host that was then stopped).
        info.ArgumentList.Add(HostDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var key in info.Environment.Keys.ToArray())
            if (ScrubbedPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase))) info.Environment.Remove(key);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_ENVIRONMENT"] = "Development";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in _environment) info.Environment[key] = value;
        // The port is read from this category's "Now listening on" line, whatever else is logged.
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

        WriteLog($"[e2e] {DateTimeOffset.UtcNow:O} starting {info.FileName} {string.Join(' ', info.ArgumentList)} in {WorkingDirectory}");
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            WriteLog(e.Data);
            // Microsoft.Hosting.Lifetime: "Now listening on: http://127.0.0.1:40123"
            if (ListeningLine.Match(e.Data) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) WriteLog("[stderr] " + e.Data); };
        process.Exited += (_, _) => WriteLog($"[e2e] {DateTimeOffset.UtcNow:O} the host process exited ({SafeExitCode(process)})");
        if (!process.Start()) throw new HostFailedException($"could not start {info.FileName}", exited: true, Tail());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        BaseAddress = new Uri("http://127.0.0.1:1/");

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var lastAnswer = "no answer yet";
        while (deadline.Elapsed < readyTimeout)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new HostFailedException($"the host exited with code {process.ExitCode} before it was ready", exited: true, Tail());
            }
            if (!listening.Task.IsCompleted)
            {
                lastAnswer = "not listening yet";
                await Task.WhenAny(listening.Task, Task.Delay(200));
                continue;
            }
            BaseAddress = listening.Task.Result;
            try
            {
                using var response = await probe.GetAsync(new Uri(BaseAddress, probePath));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ReadySince = DateTimeOffset.UtcNow;
                    WriteLog($"[e2e] {ReadySince:O} ready after {deadline.Elapsed.TotalSeconds:F1} s");
                    return;
                }
                lastAnswer = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                lastAnswer = ex.Message;
            }
            await Task.Delay(200);
        }
        Kill();
        throw new HostFailedException($"GET /{probePath} did not answer 200 within {readyTimeout.TotalSeconds} s (last: {lastAnswer})", exited: false, Tail());
    }

    /// <summary>Graceful stop, as an orchestrator does it: SIGTERM, then waits for the process to exit by itself (the
    /// host drains its HTTP requests and its node leaves the cluster, handing its shards over). Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("the host is not running");
        WriteLog($"[e2e] {DateTimeOffset.UtcNow:O} SIGTERM to process {process.Id}");
        if (Signal(process.Id, 15) != 0) throw new InvalidOperationException($"could not signal process {process.Id}");
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new HostFailedException($"the host did not exit within {timeout.TotalSeconds} s of SIGTERM", exited: false, Tail());
        }
        var code = process.ExitCode;
        _process = null;
        process.Dispose();
        return code;
    }

    /// <summary>Freezes the process (SIGSTOP) — a stall as a long GC pause or a starved machine gives — until
    /// <see cref="Thaw"/>. Its sockets stay open: the kernel still completes connections to it.</summary>
    public void Freeze() => SendSignal(19);

    /// <summary>Lets a frozen process run again (SIGCONT).</summary>
    public void Thaw() => SendSignal(18);

    private void SendSignal(int signal)
    {
        var process = _process ?? throw new InvalidOperationException("the host is not running");
        WriteLog($"[e2e] {DateTimeOffset.UtcNow:O} signal {signal} to process {process.Id}");
        if (Signal(process.Id, signal) != 0) throw new InvalidOperationException($"could not signal process {process.Id}");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    /// <summary>Hard kill: the whole process tree, no graceful shutdown (a crash, as far as the host can tell).</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null) return;
        _process = null;
        try
        {
            if (!process.HasExited)
            {
                WriteLog($"[e2e] {DateTimeOffset.UtcNow:O} killing process {process.Id} (entire tree)");
                process.Kill(entireProcessTree: true);
            }
            if (!process.WaitForExit(TimeSpan.FromSeconds(30))) throw new InvalidOperationException($"process {process.Id} did not exit after Kill");
            process.WaitForExit(); // drains the redirected output
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>The last lines of the host's stdout/stderr (all starts), for diagnostics.</summary>
    public string Tail(int lines = 60)
    {
        try
        {
            lock (_logLock)
            {
                using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
                var all = reader.ReadToEnd().Split('\n');
                return $"--- last {lines} lines of {LogPath} ---\n" + string.Join('\n', all.TakeLast(lines));
            }
        }
        catch (IOException ex)
        {
            return $"(host log {LogPath} unreadable: {ex.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        lock (_logLock) _log.Dispose();
        if (Environment.GetEnvironmentVariable("JINAN_E2E_KEEP") is { Length: > 0 }) return;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                Directory.Delete(WorkingDirectory, recursive: true);
                return;
            }
            catch (IOException)
            {
                await Task.Delay(200);
            }
            catch (UnauthorizedAccessException)
            {
                await Task.Delay(200);
            }
        }
    }

    private void WriteLog(string line)
    {
        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // output arriving after disposal is dropped
            }
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return $"code {process.ExitCode}";
        }
        catch (InvalidOperationException)
        {
            return "code unknown";
        }
    }

    /// <summary>The dotnet muxer running these tests (testhost runs under it), else "dotnet" from PATH.</summary>
    private static string DotnetExecutable()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return self;
        return "dotnet";
    }
}

public sealed class HostFailedException(string message, bool exited, string tail) : Exception($"{message}\n{tail}")
{
    public bool Exited { get; } = exited;
}
