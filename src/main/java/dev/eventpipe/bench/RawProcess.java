package dev.eventpipe.bench;

import dev.eventpipe.bus.SqsClients;
import dev.eventpipe.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The raw limit as a whole process, the way the command it is held against runs: a fresh JVM with the
 * launcher's flags and eventpipe's own SQS client settings, doing nothing but the SQS calls. So a fresh
 * {@code generate} or {@code consume} process is compared with a fresh raw process, JVM start and JIT
 * warm-up on both sides, rather than with a loop in the benchmark's warm JVM.
 *
 * <pre>
 * RawProcess send  BODIES_FILE THREADS   # SendMessageBatch of every line of the file, 10 a call
 * RawProcess drain COUNT THREADS         # ReceiveMessage + DeleteMessageBatch until COUNT are deleted
 * </pre>
 * The queue and server come from the environment ({@code EVENTPIPE_AWS_ENDPOINT}, {@code EVENTPIPE_AWS_SQS_NAME}).
 */
public final class RawProcess {

    private RawProcess() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.load(Path.of("/nonexistent/eventpipe-raw.ini"), false, System.getenv());
        int threads = Integer.parseInt(args[2]);
        try (SqsClient sqs = SqsClients.create(settings.aws(), Math.max(threads, 4))) {
            String url = sqs.getQueueUrl(b -> b.queueName(settings.aws().sqsName())).queueUrl();
            switch (args[0]) {
                case "send" -> {
                    List<String> bodies = Files.readAllLines(Path.of(args[1]));
                    RawSqs.fill(sqs, url, bodies, threads);
                    System.out.println("raw: sent " + bodies.size());
                }
                case "drain" -> {
                    long count = Long.parseLong(args[1]);
                    // Ends at the last delete, as consume --until-empty does, not when the long polls on the emptied queue end.
                    RawSqs.drain(sqs, url, threads, count, 2, true);
                    System.out.println("raw: drained " + count);
                }
                default -> throw new IllegalArgumentException("send or drain, not " + args[0]);
            }
        }
    }
}
