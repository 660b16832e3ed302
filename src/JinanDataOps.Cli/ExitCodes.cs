namespace JinanDataOps.Cli;

/// <summary>jdo's exit codes, distinct so scripts can tell a wrong token from a node that is down (README, "The terminal
/// console"; <c>jdo --help</c>).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad usage or input: an unknown command or option, an invalid value, or a 4xx other than 401/403.</summary>
    public const int Usage = 1;

    /// <summary>The API refused the caller: 401 (no token, or an invalid or expired one) or 403 (the role may not).</summary>
    public const int Refused = 2;

    /// <summary>The node cannot be reached, timed out, or answered 5xx.</summary>
    public const int Unavailable = 3;

    /// <summary>A verification failed: <c>jdo audit verify</c> found the audit chain broken.</summary>
    public const int VerificationFailed = 4;

    /// <summary>Interrupted (Ctrl+C) before a one-shot command finished, as shells report SIGINT.</summary>
    public const int Interrupted = 130;

    public const string Help =
        "Exit codes: 0 ok; 1 bad usage or input; 2 refused (HTTP 401/403: token missing, invalid or not allowed); " +
        "3 node not reachable, timed out or 5xx; 4 verification failed (audit chain broken); 130 interrupted.";
}

/// <summary>A failure the command has already explained: its message is printed as is, with its exit code.</summary>
public sealed class JdoException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
