using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace JinanDataOps.Api.Http;

/// <summary>Every body over its route's limit is answered 413 problem+json — and the answer reaches the client.
/// Kestrel's own limit refuses the body by failing the read, and then closes the connection without reading
/// what the client is still sending; the client, still writing, then sees a reset or broken pipe instead of
/// the 413 it was sent (issue 10: 5 of 166 over-limit uploads had no answer; with HttpClient on loopback
/// every upload of a few megabytes had none). So the route's limit is enforced here instead, and Kestrel's
/// limit is raised by <see cref="MaxDrainedBytes"/>: after the 413 Kestrel reads and discards the rest of the
/// body (for at most 5 s, its request-draining timeout), the client finishes sending, reads the answer, and
/// the connection stays usable. Past that allowance Kestrel closes the connection as before: reading a
/// gigabyte only to refuse it is not worth it.</summary>
public static class RequestBodyLimits
{
    /// <summary>How much more than its limit a refused body may be for the server still to read it to the
    /// end after answering 413 (on loopback that takes well under a second).</summary>
    public const long MaxDrainedBytes = 64 * 1024 * 1024;

    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app, Func<HttpRequest, long> limitFor) =>
        app.Use(async (http, next) =>
        {
            var limit = limitFor(http.Request);
            var size = http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature ? feature : null;
            if (http.Request.ContentLength is { } length && length > limit)
            {
                // Refused before a byte is read: the declared length says it all, and no work is spent on it.
                if (size is not null) size.MaxRequestBodySize = length <= limit + MaxDrainedBytes ? length : limit;
                await Problems.TooLarge(Detail(http.Request, limit, length)).ExecuteAsync(http);
                return;
            }
            if (http.Request.ContentLength is null && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
            {
                // A chunked body's size shows only as it is read: counted here, so the 413 leaves Kestrel's
                // body intact for it to drain.
                if (size is not null) size.MaxRequestBodySize = limit + MaxDrainedBytes;
                http.Request.Body = new LimitedBody(http.Request.Body, limit, Detail(http.Request, limit, null));
            }
            else if (size is not null)
            {
                size.MaxRequestBodySize = limit;
            }
            await next(http);
        });

    private static string Detail(HttpRequest request, long limit, long? length) =>
        $"{(length is { } n ? $"the body has {n} bytes" : "the body is longer than that")}; {request.Method} {request.Path} takes at most {limit} bytes";

    /// <summary>The request body, refusing to be read past <c>limit</c> bytes with the 413 that Kestrel's own
    /// limit would give (a BadHttpRequestException, which the binding and the exception handler answer).</summary>
    private sealed class LimitedBody(Stream inner, long limit, string detail) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            _read += read;
            if (_read > limit) throw new BadHttpRequestException(detail, StatusCodes.Status413PayloadTooLarge);
            return read;
        }
    }
}
