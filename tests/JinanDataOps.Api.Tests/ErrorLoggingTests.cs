using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Akka.Actor;
using JinanDataOps.Api.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JinanDataOps.Api.Tests;

/// <summary>Issue 13: what reaches the exception handler is logged once, by <see cref="Problems.Handle"/> — an
/// unexpected error (500) at Error with its trace id, a refusal (503, 4xx) at Debug — and never again by ASP.NET Core's
/// exception handler middleware. The pipeline is the API's own (<see cref="ApiSetup.UseProblemAnswers"/>) on Kestrel;
/// the throwing routes stand for a handler's bug and a timed-out ask.</summary>
public sealed class ErrorLoggingTests
{
    [Fact]
    public async Task An_unexpected_error_is_logged_once_with_its_trace_id_and_a_refusal_only_at_debug()
    {
        var logs = new Capture();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddProblemDetails(); // as AddJinanApi does
        await using var app = builder.Build();
        app.UseProblemAnswers();
        app.MapGet("/bug", IResult () => throw new InvalidOperationException("a bug of ours"));
        app.MapGet("/timeout", IResult () => throw new AskTimeoutException("the entity did not answer"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        using var bug = await http.GetAsync("/bug");
        Assert.Equal(HttpStatusCode.InternalServerError, bug.StatusCode);
        var traceId = JsonDocument.Parse(await bug.Content.ReadAsStringAsync()).RootElement.GetProperty("traceId").GetString()!;
        using var timeout = await http.GetAsync("/timeout");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, timeout.StatusCode);
        await app.StopAsync();

        var error = Assert.Single(logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Equal(typeof(Problems.ProblemsLog).FullName!.Replace('+', '.'), error.Category);
        Assert.IsType<InvalidOperationException>(error.Exception);
        Assert.Contains("GET /bug", error.Message);
        // The problem's traceId is the W3C traceparent of the request ("00-{trace id}-{span id}-{flags}").
        var trace = Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.Message, @"\(trace ([0-9a-f]{32})\)")).Groups[1].Value;
        Assert.Contains(trace, traceId);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Debug && e.Exception is AskTimeoutException && e.Message.Contains("GET /timeout", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("unhandled exception has occurred", StringComparison.OrdinalIgnoreCase));
    }

    private sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Capture : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
