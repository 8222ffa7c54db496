package dev.eventpipe.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.elasticmq.MessageContent;
import org.elasticmq.NeverReceived$;
import org.elasticmq.actor.queue.InternalMessage;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.DBMessage;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.immutable.Map$;
import scala.collection.mutable.ArrayBuffer;

class ConsistentQueueEventsTest {

    /** A message as ElasticMQ's store may see it while a receive appends a receipt: the size is counted, the receipt not yet there. */
    static InternalMessage messageBeingReceived(String id, String body) {
        ArrayBuffer<String> receipts = new ArrayBuffer<>();
        receipts.addOne(id + "#first-receipt");
        receipts.addOne(null);
        return new InternalMessage(id, receipts, System.currentTimeMillis(), new MessageContent(body), Map$.MODULE$.empty(),
                OffsetDateTime.now(ZoneOffset.UTC), 0, NeverReceived$.MODULE$, 1, false, Option.empty(), Option.empty(),
                Option.empty(), Option.empty(), Option.empty());
    }

    @Test
    void elasticMqsStoreFailsOnAMessageWhoseReceiptIsStillBeingAppended() {
        // The failure of issue 12.12, from the store's own serialiser.
        assertThatThrownBy(() -> DBMessage.from(messageBeingReceived("m-1", "hello")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("requirement failed");
    }

    @Test
    void theStoreGetsACopyWithTheReceiptsWrittenSoFar() {
        InternalMessage live = messageBeingReceived("m-2", "hello");
        Object event = ConsistentQueueEvents.consistent(new QueueEvent.MessageAdded("q", live));

        assertThat(event).isInstanceOf(QueueEvent.MessageAdded.class);
        InternalMessage copy = ((QueueEvent.MessageAdded) event).message();
        assertThat(copy).isNotSameAs(live);
        assertThat(copy.deliveryReceipts()).isNotSameAs(live.deliveryReceipts());
        DBMessage row = DBMessage.from(copy);
        assertThat(new String(row.deliveryReceipts(), StandardCharsets.UTF_8)).isEqualTo("[\"m-2#first-receipt\"]");
        assertThat(row.messageId()).isEqualTo("m-2");
        assertThat(new String(row.content(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(row.receiveCount()).isEqualTo(1);
        assertThat(row.nextDelivery()).isEqualTo(live.nextDelivery());
        assertThat(copy.created()).isEqualTo(live.created());
    }

    @Test
    void updatesAreCopiedTooAndOtherEventsPassAsTheyAre() {
        Object updated = ConsistentQueueEvents.consistent(new QueueEvent.MessageUpdated("q", messageBeingReceived("m-3", "x")));
        assertThat(((QueueEvent.MessageUpdated) updated).message().deliveryReceipts().length()).isEqualTo(1);
        QueueEvent.MessageRemoved removed = new QueueEvent.MessageRemoved("q", "m-3");
        assertThat(ConsistentQueueEvents.consistent(removed)).isSameAs(removed);
    }
}
