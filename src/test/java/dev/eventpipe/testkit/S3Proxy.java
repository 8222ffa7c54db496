package dev.eventpipe.testkit;

import dev.eventpipe.bus.EmbeddedQueueServer;
import java.net.URI;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real S3-compatible server (S3Proxy, in memory) in the test JVM on a free port, for one test class. */
public final class S3Proxy implements BeforeAllCallback, AfterAllCallback {

    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret";

    private org.gaul.s3proxy.S3Proxy proxy;
    private URI endpoint;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        endpoint = URI.create("http://127.0.0.1:" + EmbeddedQueueServer.freePort());
        proxy = org.gaul.s3proxy.S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(endpoint)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Environment overrides that point [aws] and [dfs] at this server and {@code bucket}. */
    public java.util.Map<String, String> env(String bucket) {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("EVENTPIPE_DFS_TYPE", "s3");
        env.put("EVENTPIPE_AWS_S3_BUCKET", bucket);
        env.put("EVENTPIPE_AWS_S3_ENDPOINT", endpoint.toString());
        env.put("EVENTPIPE_AWS_AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("EVENTPIPE_AWS_AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        return env;
    }
}
