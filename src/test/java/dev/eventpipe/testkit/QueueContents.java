package dev.eventpipe.testkit;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Reads every message of a queue without deleting it (they stay hidden for the visibility timeout given). */
public final class QueueContents {

    private QueueContents() {
    }

    public static List<Message> drainView(SqsClient sqs, String queueName, int visibilitySeconds) {
        String url = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        List<Message> all = new ArrayList<>();
        int empty = 0;
        while (empty < 2) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .visibilityTimeout(visibilitySeconds).waitTimeSeconds(0)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (got.isEmpty()) {
                empty++;
            } else {
                empty = 0;
                all.addAll(got);
            }
        }
        return all;
    }
}
