namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>A cluster that has just formed is ready node by node before every kind of entity can be reached: each
/// shard region (or proxy) must find its coordinator, and a coordinator that keeps its state in the journal first
/// recovers it — on a loaded machine that has taken more than the ask timeout, so a procedure driven at once met 503s.
/// Until every kind the procedures use answers (404 for an id nobody has), the cluster is still warming up.</summary>
public static class ClusterWarmUp
{
    private static readonly string[] Kinds = ["datasets", "operators", "calls", "applications", "agreements", "data-requests", "evaluations", "products", "incidents"];

    public static async Task UntilEveryKindAnswers(ApiClient api, TimeSpan? timeout = null)
    {
        var token = await api.Token("authority", "warm-up-city");
        foreach (var kind in Kinds)
        {
            await api.Eventually(async () => (await api.Get(token, $"/api/{kind}/warm-up-nobody")).ExpectProblem(404, "not-found"), timeout ?? TimeSpan.FromSeconds(120));
        }
    }
}
