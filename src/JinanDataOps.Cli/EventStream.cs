using System.Runtime.CompilerServices;
using System.Text;

namespace JinanDataOps.Cli;

/// <summary>One Server-Sent Event: its <c>event:</c> name and its <c>data:</c> (one line of JSON on GET /cluster/events).</summary>
public sealed record ServerEvent(string Name, string Data);

/// <summary>Reads Server-Sent Events line by line: fields until a blank line, comment lines (": keep-alive") skipped.</summary>
public static class EventStream
{
    public static async IAsyncEnumerable<ServerEvent> Read(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string name = "message";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0) yield return new ServerEvent(name, data.ToString());
                name = "message";
                data.Clear();
            }
            else if (line.StartsWith(':')) continue;
            else if (line.StartsWith("event:")) name = line["event:".Length..].Trim();
            else if (line.StartsWith("data:"))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(line["data:".Length..].TrimStart());
            }
        }
    }
}
