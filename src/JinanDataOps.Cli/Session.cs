using System.Net;
using System.Net.Http.Headers;
using JinanDataOps.Client;
using JinanDataOps.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Spectre.Console;

namespace JinanDataOps.Cli;

/// <summary>What a command runs with: the console to write to and where to read JDO_URL / JDO_TOKEN from (the process
/// environment, or a test's). Handed to every command as its CommandContext data.</summary>
public sealed record Session(IAnsiConsole Console, Func<string, string?> Environment);

/// <summary>One node of the API, as the options and the environment name it: the Kiota-generated client for the typed
/// routes, and a plain HttpClient for the Server-Sent Events of GET /cluster/events, which OpenAPI cannot type.</summary>
public sealed class Connection : IDisposable
{
    private readonly HttpClientRequestAdapter _adapter;

    public Connection(JdoSettings settings, Session session)
    {
        Url = (settings.Url ?? session.Environment("JDO_URL") ?? JdoSettings.DefaultUrl).TrimEnd('/');
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new JdoException(ExitCodes.Usage, $"JDO_URL must be an absolute http(s) address, not '{Url}'.");
        Token = settings.Token ?? session.Environment("JDO_TOKEN");
        if (string.IsNullOrWhiteSpace(Token)) Token = null;
        Http = KiotaClientFactory.Create();
        // Long enough for GET /cluster/shards on a loaded cluster (the coordinators answer within their own timeout),
        // short enough that a hung node ends as exit 3 rather than a hung script.
        Http.Timeout = TimeSpan.FromSeconds(60);
        IAuthenticationProvider auth = Token is null ? new AnonymousAuthenticationProvider() : new Bearer(Token);
        // The generated URL templates are "{+baseurl}/cluster/...": the base carries no trailing slash.
        _adapter = new HttpClientRequestAdapter(auth, httpClient: Http) { BaseUrl = Url };
        Client = new JinanDataOpsClient(_adapter);
    }

    public string Url { get; }

    public string? Token { get; }

    public HttpClient Http { get; }

    public JinanDataOpsClient Client { get; }

    /// <summary>Runs one API call and turns its failures into jdo's exit codes with a message that says what to do.</summary>
    public async Task<T> Call<T>(string route, Func<CancellationToken, Task<T?>> call, CancellationToken ct) where T : class
    {
        try
        {
            return await call(ct) ?? throw new JdoException(ExitCodes.Unavailable, $"{route} answered with no body.");
        }
        catch (ApiException e)
        {
            throw Failure(route, e.ResponseStatusCode, (e as ApiProblem)?.Detail ?? (e as ApiProblem)?.Title);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Unreachable($"no answer within {Http.Timeout.TotalSeconds:0} s");
        }
    }

    public JdoException Failure(string route, int status, string? detail)
    {
        var why = string.IsNullOrWhiteSpace(detail) ? "" : $": {detail}";
        return status switch
        {
            401 => new JdoException(ExitCodes.Refused, Token is null
                ? $"{route} answered 401: no token. Give --token or set JDO_TOKEN{why}."
                : $"{route} answered 401: the token is invalid or expired{why}."),
            403 => new JdoException(ExitCodes.Refused, $"{route} answered 403: this token's role may not do this{why}."),
            >= 500 => new JdoException(ExitCodes.Unavailable, $"{route} answered {status} at {Url}{why}."),
            _ => new JdoException(ExitCodes.Usage, $"{route} answered {status}{why}."),
        };
    }

    public JdoException Unreachable(string why) => new(ExitCodes.Unavailable, $"{Url} is not reachable ({why}).");

    /// <summary>An SSE request with the caller's token; the stream itself is read by <see cref="EventStream"/>.</summary>
    public async Task<HttpResponseMessage> OpenEvents(string route, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + route);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (Token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        HttpResponseMessage response;
        try
        {
            // A follow runs until Ctrl+C: the client's timeout must not end it (the stream's keep-alive comments come every 15 s).
            response = await Streaming.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e.Message);
        }
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw Failure(route, status, null);
        }
        return response;
    }

    private HttpClient Streaming => _streaming ??= new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    private HttpClient? _streaming;

    /// <summary>The model as JSON, written by Kiota's own serializer (the names and formats of the contract).</summary>
    public static Task<string> Json<T>(T model) where T : IParsable => KiotaJsonSerializer.SerializeAsStringAsync(model);

    public static Task<string> Json<T>(IEnumerable<T> models) where T : IParsable => KiotaJsonSerializer.SerializeAsStringAsync(models);

    public void Dispose()
    {
        _adapter.Dispose();
        Http.Dispose();
        _streaming?.Dispose();
    }

    /// <summary>Sets <c>Authorization: Bearer …</c>. Kiota's BaseBearerTokenAuthenticationProvider is for tokens that
    /// refresh; jdo is given one fixed token.</summary>
    private sealed class Bearer(string token) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null,
            CancellationToken cancellationToken = default)
        {
            request.Headers.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        }
    }
}
