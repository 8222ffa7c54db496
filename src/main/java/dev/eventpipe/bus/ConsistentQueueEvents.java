package dev.eventpipe.bus;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.elasticmq.actor.queue.InternalMessage;
import org.elasticmq.actor.queue.QueueEvent;
import scala.collection.mutable.ArrayBuffer;
import scala.collection.mutable.Buffer;

/**
 * Stands between ElasticMQ's queues and its SQL message store, and hands the store a copy of each
 * added or updated message instead of the live one.
 *
 * <p>Why: ElasticMQ 1.7.1 sends the store the very {@code InternalMessage} its queue keeps changing.
 * The store serialises it on another thread while the queue may be receiving that message, which
 * appends a receipt to the message's {@code ArrayBuffer} (size first, element second). A store that
 * reads in between finds a null receipt; spray-json's {@code StringJsonFormat} then fails
 * "requirement failed", the store actor restarts without answering, the queue logs
 * "Failed to notify queue event listener" after its 5 s ask timeout, and that message is missing from
 * the store: lost if the server restarts. Seen about once in 5,000 to 30,000 messages with a consumer
 * long-polling the queue.
 *
 * <p>The copy keeps the receipts written so far. A receipt still being appended is left out: the
 * receive that appends it sends its own update event afterwards, which stores the complete list.
 */
final class ConsistentQueueEvents extends AbstractActor {

    private final ActorRef store;

    private ConsistentQueueEvents(ActorRef store) {
        this.store = store;
    }

    /** In front of {@code store}; every reply goes from the store straight to whoever asked. */
    static Props props(ActorRef store) {
        return Props.create(ConsistentQueueEvents.class, () -> new ConsistentQueueEvents(store));
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder().matchAny(event -> store.forward(consistent(event), getContext())).build();
    }

    /** {@code event} with a copy of its message where it carries one; any other event as it is. */
    static Object consistent(Object event) {
        if (event instanceof QueueEvent.MessageAdded added) {
            return new QueueEvent.MessageAdded(added.queueName(), copy(added.message()));
        }
        if (event instanceof QueueEvent.MessageUpdated updated) {
            return new QueueEvent.MessageUpdated(updated.queueName(), copy(updated.message()));
        }
        return event;
    }

    static InternalMessage copy(InternalMessage m) {
        return new InternalMessage(m.id(), receipts(m.deliveryReceipts()), m.nextDelivery(), m.content(),
                m.messageAttributes(), m.created(), m.orderIndex(), m.firstReceive(), m.receiveCount(), m.isFifo(),
                m.messageGroupId(), m.messageDeduplicationId(), m.tracingId(), m.sequenceNumber(),
                m.deadLetterSourceQueueName());
    }

    /** The receipts appended so far; the queue's thread may be appending one right now. */
    private static Buffer<String> receipts(Buffer<String> live) {
        ArrayBuffer<String> copy = new ArrayBuffer<>();
        int n = live.length();
        for (int i = 0; i < n; i++) {
            String receipt;
            try {
                receipt = live.apply(i);
            } catch (IndexOutOfBoundsException e) {
                break;
            }
            if (receipt != null) {
                copy.addOne(receipt);
            }
        }
        return copy;
    }
}
