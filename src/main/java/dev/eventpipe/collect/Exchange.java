package dev.eventpipe.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.event.Details;
import dev.eventpipe.event.RejectionReason;
import dev.eventpipe.event.Utf8;
import dev.eventpipe.http.Responses;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request to a tracking path, from its headers to its answer: checked (type, encoding, key, size),
 * its body read without holding a thread while the client is slow (and within a deadline), unpacked,
 * read as Segment calls, mapped, and handed to the {@link PackSender}; answered 200 once the queue took
 * its events. Every way out goes through {@link #answer}, which answers once.
 */
final class Exchange implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final Logger access = LoggerFactory.getLogger("dev.eventpipe.collect.access");
    /** Bodies up to this size are handled on the thread that read them; larger ones (and gzip) on a pool thread. */
    static final int INLINE_BODY_BYTES = 16 * 1024;
    /**
     * A refused request's body is still read, and thrown away, up to this many bytes before it is answered.
     * The client is usually still sending it; closing a connection with bytes unread makes TCP reset it,
     * and the reset can reach the client before the answer does: an SDK would then see a network error
     * and send the same body again, instead of a 413 that tells it not to.
     */
    static final long MAX_DRAINED_BYTES = 4L << 20;
    private static final byte[] SUCCESS = "{\"success\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Collector.Context ctx;
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Endpoint endpoint;
    private final long start;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final int limit;
    private ByteArrayOutputStream body;
    private long reserved;
    private volatile Scheduler.Task deadline;
    private boolean gzip;
    private String headerKey;
    private int events;
    /** The answer a request gets once its body is read through, or null while it is being taken. */
    private volatile Refusal refusal;
    private long drained;

    Exchange(Collector.Context ctx, Request request, Response response, Callback callback, Endpoint endpoint, long start) {
        this.ctx = ctx;
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.endpoint = endpoint;
        this.start = start;
        this.limit = endpoint.batch() ? Collector.MAX_BATCH_REQUEST_BYTES : ctx.maxEventBytes();
    }

    /** Checks the headers, then reads the body. */
    void begin() {
        long length = request.getLength();
        try {
            checkHeaders();
        } catch (Refusal r) {
            if (length > MAX_DRAINED_BYTES) {
                refuse(r, true);
            } else {
                refusal = r;
                run();
            }
            return;
        }
        if (!reserve(length >= 0 ? length : limit)) {
            return;
        }
        body = new ByteArrayOutputStream(length >= 0 ? (int) length : 8192);
        run();
    }

    private void checkHeaders() throws Refusal {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        // RudderStack's node SDK labels its gzipped JSON as a form; curl -d does too.
        if (!mime.isEmpty() && !mime.equals("application/json") && !mime.equals("text/plain")
                && !mime.equals("application/x-www-form-urlencoded")) {
            throw new Refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "Content-Type '" + Details.safe(mime)
                    + "' is not taken: send JSON as application/json or text/plain");
        }
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        String enc = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
        if (!enc.isEmpty() && !enc.equals("identity") && !enc.equals("gzip")) {
            throw new Refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "Content-Encoding '" + Details.safe(enc)
                    + "' is not taken: gzip or none");
        }
        gzip = enc.equals("gzip");
        headerKey = WriteKeys.fromBasic(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (headerKey != null && !ctx.keys().accepts(headerKey)) {
            throw new Refusal(HttpStatus.UNAUTHORIZED_401, "the write key is not one of this collector's");
        }
        long length = request.getLength();
        if (length > limit) {
            throw tooLarge(length);
        }
    }

    private Refusal tooLarge(long bytes) {
        String what = endpoint.batch() ? "batch request" : "request";
        return new Refusal(HttpStatus.PAYLOAD_TOO_LARGE_413, "the " + what + " is " + (bytes > limit ? bytes + " bytes" : "more than "
                + limit + " bytes") + ", more than the " + limit + " allowed", limit + " bytes per " + what);
    }

    /** Reads what has arrived; asks to be called again when more does. */
    @Override
    public void run() {
        while (!answered.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                // Most bodies are whole in the first read; one that is not gets a deadline, however slowly it trickles.
                if (deadline == null) {
                    deadline = request.getComponents().getScheduler().schedule(this::tooSlow, Collector.BODY_DEADLINE.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                answer(HttpStatus.BAD_REQUEST_400, "the body could not be read: " + Details.safe(String.valueOf(chunk.getFailure().getMessage())), null);
                return;
            }
            ByteBuffer b = chunk.getByteBuffer();
            if (refusal == null && body.size() + b.remaining() > limit) {
                refusal = tooLarge(body.size() + b.remaining());
                drained = body.size();
                body = null;
            }
            if (refusal != null) {
                drained += b.remaining();
                boolean last = chunk.isLast();
                chunk.release();
                if (last || drained > MAX_DRAINED_BYTES) {
                    refuse(refusal, !last);
                    return;
                }
                continue;
            }
            if (b.hasArray()) {
                body.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            } else {
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                body.write(bytes, 0, bytes.length);
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                if (deadline != null) {
                    deadline.cancel();
                }
                byte[] whole = body.toByteArray();
                if (gzip || whole.length > INLINE_BODY_BYTES) {
                    // Unpacking and mapping hundreds of events must not hold up the connections that share this thread.
                    try {
                        request.getComponents().getExecutor().execute(() -> handleWhole(whole));
                    } catch (RejectedExecutionException e) {
                        response.getHeaders().put(HttpHeader.RETRY_AFTER, "2");
                        answer(HttpStatus.SERVICE_UNAVAILABLE_503, "the collector is stopping; send again", null);
                    }
                } else {
                    handleWhole(whole);
                }
                return;
            }
        }
    }

    private void handleWhole(byte[] whole) {
        try {
            handleBody(whole);
        } catch (Refusal r) {
            refuse(r, false);
        } catch (RuntimeException e) {
            log.error("collect: a request to '{}' failed", endpoint.path(), e);
            answer(HttpStatus.INTERNAL_SERVER_ERROR_500, "the collector failed on this request: " + Details.safe(String.valueOf(e)), null);
        }
    }

    private void tooSlow() {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        if (refusal != null) {
            answer(refusal.status(), refusal.getMessage(), refusal.details());
            return;
        }
        answer(HttpStatus.REQUEST_TIMEOUT_408, "the body did not arrive within " + Collector.BODY_DEADLINE.toSeconds() + " s", null);
    }

    private void handleBody(byte[] raw) throws Refusal {
        byte[] json = gzip ? gunzip(raw) : raw;
        if (json != raw && !reserve(json.length)) {
            return;
        }
        SegmentRequest parsed = SegmentRequest.read(json, endpoint.batch(), ctx.maxEventBytes());
        if (headerKey == null && !ctx.keys().accepts(parsed.writeKey())) {
            throw new Refusal(HttpStatus.UNAUTHORIZED_401, parsed.writeKey() == null
                    ? "no write key: send it as the user name of HTTP Basic auth, or as the body's writeKey"
                    : "the write key is not one of this collector's");
        }
        Receipt receipt = new Receipt(ctx.clock().instant());
        List<byte[]> lines = new ArrayList<>(parsed.calls().size());
        long bytes = 0;
        int accepted = 0;
        for (JsonNode call : parsed.calls()) {
            byte[] line;
            if (call instanceof ObjectNode o) {
                SegmentMapper.Line mapped = ctx.mapper().line(ctx.mapper().map(o, endpoint.type(), parsed.envelope(), receipt), ctx.codec());
                if (mapped.rejected() == null) {
                    accepted++;
                } else {
                    // On to the queue as it is: the consumer rejects it the same way and dead-letters it with its reason.
                    ctx.metrics().rejected(mapped.rejected());
                }
                line = mapped.bytes();
            } else {
                ctx.metrics().rejected(RejectionReason.NOT_AN_OBJECT);
                line = Utf8.encodeLossless(call.toString());
            }
            lines.add(line);
            bytes += line.length;
        }
        ctx.metrics().accepted(accepted);
        events = lines.size();
        if (lines.isEmpty()) {
            answerSuccess();
            return;
        }
        if (!reserve(bytes)) {
            return;
        }
        // Jetty's scheduler drops a cancelled task at once; CompletableFuture.orTimeout kept each one for the
        // whole deadline, and at thousands of requests a second they filled the old generation (full GCs).
        Scheduler.Task timeout = request.getComponents().getScheduler().schedule(this::queueDidNotTake,
                Collector.SEND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        ctx.sender().submit(lines).whenComplete((ok, failure) -> {
            timeout.cancel();
            if (failure == null) {
                answerSuccess();
            } else {
                queueDidNotTake();
            }
        });
    }

    private void queueDidNotTake() {
        if (finish(HttpStatus.SERVICE_UNAVAILABLE_503)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "2");
            String error = "the queue did not take the events; send them again";
            Responses.error(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, error,
                    new Refusal(HttpStatus.SERVICE_UNAVAILABLE_503, error, null).details());
        }
    }

    private byte[] gunzip(byte[] gz) throws Refusal {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, gz.length * 8 + 64));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > limit) {
                    throw tooLarge(-1);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new Refusal(HttpStatus.BAD_REQUEST_400, "the body is not valid gzip (Content-Encoding: gzip): "
                    + Details.safe(String.valueOf(e.getMessage())));
        }
    }

    private boolean reserve(long n) {
        synchronized (this) {
            if (answered.get()) {
                return false;
            }
            if (ctx.inflight().tryReserve(n)) {
                reserved += n;
                return true;
            }
        }
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        answer(HttpStatus.SERVICE_UNAVAILABLE_503, "the collector holds as many request bytes as it may ("
                + ctx.inflight().max() + "); send again shortly", "[collector] max_inflight_bytes = " + ctx.inflight().max());
        return false;
    }

    /** @param bodyLeft whether some of the body is still unread: the connection then cannot carry another request */
    private void refuse(Refusal r, boolean bodyLeft) {
        if (bodyLeft) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        answer(r.status(), r.getMessage(), r.details());
    }

    private void answerSuccess() {
        if (finish(HttpStatus.OK_200)) {
            Responses.send(request, response, callback, HttpStatus.OK_200, Responses.JSON, SUCCESS);
        }
    }

    private void answer(int status, String error, Object limitOrDetails) {
        if (!finish(status)) {
            return;
        }
        Map<String, ?> details;
        if (limitOrDetails instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, ?> d = (Map<String, ?>) m;
            details = d;
        } else {
            details = new Refusal(status, error, (String) limitOrDetails).details();
        }
        Responses.error(request, response, callback, status, error, details);
    }

    /** Marks the exchange answered (once) and releases what it held; false when it already was. */
    private boolean finish(int status) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        if (deadline != null) {
            deadline.cancel();
        }
        synchronized (this) {
            ctx.inflight().release(reserved);
            reserved = 0;
        }
        long nanos = System.nanoTime() - start;
        ctx.metrics().request(endpoint.path(), status, nanos);
        if (access.isDebugEnabled()) {
            ByteArrayOutputStream b = body;
            access.debug("'{}' '{}' {} {} events, {} body bytes, {} ms, from '{}'", request.getMethod(), request.getHttpURI().getPath(),
                    status, events, b == null ? drained : b.size(), nanos / 1_000_000, Request.getRemoteAddr(request));
        }
        return true;
    }
}
