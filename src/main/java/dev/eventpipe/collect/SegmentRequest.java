package dev.eventpipe.collect;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventpipe.event.Details;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;

/**
 * The calls of one request body, read as Segment's API defines it: a single call for {@code /v1/track}
 * and the other one-call paths, or {@code {"batch": [...], "sentAt", "context", "writeKey"}} for
 * {@code /v1/batch} and {@code /v1/import}.
 *
 * @param calls    each item as sent: an object, or whatever else a batch held (the codec rejects it)
 * @param writeKey the body's {@code writeKey}, or null
 */
record SegmentRequest(List<JsonNode> calls, SegmentMapper.Envelope envelope, String writeKey) {

    /**
     * Numbers keep their exact value ({@code 1.10}, {@code 1e999999}), and an object with a key twice is
     * not JSON we can take: which value is the event's is not for us to guess.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /**
     * Reads {@code body} (UTF-8 JSON).
     *
     * @param batch         whether the path takes a batch
     * @param maxEventBytes an item of a batch larger than this is refused with the whole request (Segment: 400)
     * @throws Refusal 400 when the body is not JSON, not the object the path takes, or holds an item too large
     */
    static SegmentRequest read(byte[] body, boolean batch, int maxEventBytes) throws Refusal {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Refusal(HttpStatus.BAD_REQUEST_400, "the body must be a JSON object");
            }
            SegmentRequest r;
            if (batch) {
                r = readBatch(p, maxEventBytes);
            } else {
                ObjectNode call = JSON.readTree(p);
                r = new SegmentRequest(List.of(call), SegmentMapper.Envelope.NONE,
                        call.get("writeKey") != null && call.get("writeKey").isTextual() ? call.get("writeKey").asText() : null);
            }
            if (p.nextToken() != null) {
                throw new Refusal(HttpStatus.BAD_REQUEST_400, "invalid JSON: text after the body's object");
            }
            return r;
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new Refusal(HttpStatus.BAD_REQUEST_400, "invalid JSON: " + Details.safe(m.replace('\n', ' ')) + at);
        } catch (IOException e) {
            throw new Refusal(HttpStatus.BAD_REQUEST_400, "invalid JSON: " + Details.safe(String.valueOf(e.getMessage())));
        }
    }

    private static SegmentRequest readBatch(JsonParser p, int maxEventBytes) throws IOException, Refusal {
        List<JsonNode> calls = null;
        JsonNode sentAt = null;
        ObjectNode context = null;
        JsonNode integrations = null;
        String writeKey = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "batch" -> {
                    if (v != JsonToken.START_ARRAY) {
                        throw new Refusal(HttpStatus.BAD_REQUEST_400, "'batch' must be an array of calls");
                    }
                    calls = items(p, maxEventBytes);
                }
                case "sentAt" -> sentAt = JSON.readTree(p);
                case "context" -> {
                    JsonNode c = JSON.readTree(p);
                    context = c instanceof ObjectNode o ? o : null;
                }
                case "integrations" -> integrations = JSON.readTree(p);
                case "writeKey" -> {
                    JsonNode k = JSON.readTree(p);
                    writeKey = k.isTextual() ? k.asText() : null;
                }
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new Refusal(HttpStatus.BAD_REQUEST_400, "invalid JSON: the body's object does not end");
        }
        if (calls == null) {
            throw new Refusal(HttpStatus.BAD_REQUEST_400, "the body has no 'batch' array");
        }
        return new SegmentRequest(calls, new SegmentMapper.Envelope(sentAt, context, integrations), writeKey);
    }

    private static List<JsonNode> items(JsonParser p, int maxEventBytes) throws IOException, Refusal {
        List<JsonNode> calls = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new Refusal(HttpStatus.BAD_REQUEST_400, "invalid JSON: the 'batch' array does not end");
            }
            long from = p.currentTokenLocation().getByteOffset();
            JsonNode read = JSON.readTree(p);
            JsonNode call = read == null ? JSON.getNodeFactory().nullNode() : read;
            long bytes = p.currentLocation().getByteOffset() - from;
            if (bytes > maxEventBytes) {
                throw new Refusal(HttpStatus.BAD_REQUEST_400, "item " + calls.size() + " of the batch is " + bytes
                        + " bytes, more than the " + maxEventBytes + " allowed per event", maxEventBytes + " bytes per event");
            }
            calls.add(call);
        }
        return calls;
    }
}
