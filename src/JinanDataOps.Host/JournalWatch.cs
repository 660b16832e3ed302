using JinanDataOps.Actors.Clustering;
using JinanDataOps.Api.Endpoints;

namespace JinanDataOps.Host;

/// <summary>Probes the journal's database every second (issue 12: the database going away). While it does not answer,
/// <see cref="Degradation"/> carries the reason "journal": commands are refused at once with 503 and Retry-After
/// instead of each waiting out the ask timeout, reads wait at most the degraded timeout, and readiness says why.
/// An embedded SQLite file does not go away, so it is not probed.</summary>
public sealed class JournalWatch(IJournalProbe probe, Degradation degradation, ILogger<JournalWatch> log) : BackgroundService
{
    private const string Source = Degradation.Journal;
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    /// <summary>A healthy database answers SELECT 1 in milliseconds; two seconds allows for a saturated machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            string? problem;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                timeout.CancelAfter(Patience);
                try
                {
                    problem = await probe.Problem(timeout.Token);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    problem = timeout.IsCancellationRequested ? "no answer within the timeout" : $"{ex.GetType().Name}: {ex.Message}";
                }
            }
            var wasDown = degradation.Reasons.ContainsKey(Source);
            if (problem is null)
            {
                degradation.Clear(Source);
                if (wasDown) log.LogWarning("The journal answers again: commands are accepted");
            }
            else
            {
                degradation.Set(Source, problem);
                if (!wasDown) log.LogWarning("The journal does not answer ({Problem}): commands are refused with 503 until it does", problem);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
