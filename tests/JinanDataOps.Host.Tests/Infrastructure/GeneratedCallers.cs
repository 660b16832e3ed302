using System.Collections.Concurrent;
using JinanDataOps.Client;
using JinanDataOps.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace JinanDataOps.Host.Tests.Infrastructure;

/// <summary>Callers of the running host through the Kiota-generated <see cref="JinanDataOpsClient"/>: one
/// request adapter per caller, each with its own bearer token (issued by the host's POST /dev/tokens, itself
/// called through the generated client), all sharing one HttpClient with Kiota's default middleware.</summary>
public sealed class GeneratedCallers : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly ConcurrentDictionary<(DevTokenBody_role Role, string Org), Lazy<Task<JinanDataOpsClient>>> _callers = new();
    private readonly ConcurrentBag<HttpClientRequestAdapter> _adapters = [];

    public GeneratedCallers(HostProcess host)
    {
        _http = KiotaClientFactory.Create();
        _http.Timeout = TimeSpan.FromSeconds(60);
        // The generated URL templates are "{+baseurl}/api/...": the base carries no trailing slash.
        _baseUrl = host.BaseAddress.ToString().TrimEnd('/');
        Anonymous = Client(new AnonymousAuthenticationProvider());
    }

    /// <summary>No token at all: /dev/tokens, health, and the 401 of every /api route.</summary>
    public JinanDataOpsClient Anonymous { get; }

    /// <summary>The client of (role, org): a development token from the host, then an adapter that sends it.</summary>
    public Task<JinanDataOpsClient> As(DevTokenBody_role role, string org) =>
        _callers.GetOrAdd((role, org), key => new Lazy<Task<JinanDataOpsClient>>(async () =>
        {
            var issued = await Anonymous.Dev.Tokens.PostAsync(new DevTokenBody { Role = key.Role, Org = key.Org });
            var token = issued?.Token ?? throw new InvalidOperationException($"POST /dev/tokens gave no token for {key.Role}/{key.Org}");
            return Client(new BearerToken(token));
        })).Value;

    private JinanDataOpsClient Client(IAuthenticationProvider authentication)
    {
        var adapter = new HttpClientRequestAdapter(authentication, httpClient: _http) { BaseUrl = _baseUrl };
        _adapters.Add(adapter);
        return new JinanDataOpsClient(adapter);
    }

    public void Dispose()
    {
        foreach (var adapter in _adapters) adapter.Dispose();
        _http.Dispose();
    }

    /// <summary>Sets <c>Authorization: Bearer …</c> on every request of its adapter. Kiota's own
    /// <c>BaseBearerTokenAuthenticationProvider</c> is meant for token providers that refresh; a dev token
    /// is fixed for the test's life, so this is all it takes.</summary>
    private sealed class BearerToken(string token) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
        {
            request.Headers.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        }
    }
}
