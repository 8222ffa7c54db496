package dev.eventpipe.ingest;

import dev.eventpipe.bus.QueueMessage;
import java.time.Duration;
import java.util.List;

/** What the {@link Writer} asks of the queue side: delete what is durable, keep what is held hidden. */
interface Acknowledger {

    /** Every line {@code m} gave is durable: it may be deleted. */
    void delete(QueueMessage m);

    /** Keep {@code receipts} hidden for {@code timeout} from now. */
    void extend(List<QueueMessage> receipts, Duration timeout);
}
