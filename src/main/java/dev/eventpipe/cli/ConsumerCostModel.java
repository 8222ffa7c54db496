package dev.eventpipe.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * "A decision depends mainly on an expected load", in figures: the monthly cost, headroom and latency to
 * the file store of the hosted consumer and of the Lambda handler at a sustained rate, from AWS's public
 * prices and from the handler's CPU time per event measured by {@code bench lambda}. Both consumers run
 * the same ingest code, so the same CPU time per event stands for both.
 *
 * <p>The model counts what differs between the two. The producer's SendMessage calls and the queue's
 * ReceiveMessage and DeleteMessageBatch calls are the same for both (Lambda's event source mapping
 * long-polls and deletes in batches of ten as the consumer does, and both are billed as SQS requests),
 * so they are one shared row. One event per message, as the prototype's producer sends them.
 */
record ConsumerCostModel(Prices prices, double cpuSecondsPerEvent, Hosted hosted, Lambda lambda) {

    /** Seconds in a month of 730 hours, the month AWS's price pages use. */
    static final double MONTH_SECONDS = 730 * 3600.0;

    /** Prices in US dollars, us-east-1. */
    record Prices(double lambdaPerGbSecond, double lambdaPerMillionRequests, double sqsPerMillionRequests,
            double s3PerThousandPuts, double smallInstancePerHour, double largeInstancePerHour) {

        /**
         * us-east-1, as published on aws.amazon.com/lambda/pricing, /sqs/pricing, /s3/pricing and
         * /ec2/pricing/on-demand (t4g.small, c7g.large) when last read; not checked here: this machine
         * has no route to aws.amazon.com. Free tiers left out.
         */
        static Prices usEast1() {
            return new Prices(0.0000166667, 0.20, 0.40, 0.005, 0.0168, 0.0725);
        }
    }

    /** The hosted consumer as settings.ini configures it: a file per batch of events or of age. */
    record Hosted(int batchMaxEvents, double batchMaxAgeSeconds, double smallInstanceVcpus, double largeInstanceVcpus) {
    }

    /** The function as deploy/lambda/template.yaml configures it. */
    record Lambda(int batchSize, double batchingWindowSeconds, int memoryMb, int maximumConcurrency, double putSeconds) {

        /** deploy/lambda/template.yaml's BatchSize, MaximumBatchingWindowInSeconds, MemorySize, MaximumConcurrency. */
        static Lambda asDeployed(double putSeconds) {
            return new Lambda(100, 5, 1024, 10, putSeconds);
        }

        /** Lambda gives CPU in proportion to memory: one vCPU at 1,769 MB. */
        double vcpus() {
            return memoryMb / 1769.0;
        }
    }

    /** One rate's figures. */
    record Row(double eventsPerSec, double sharedSqs, double hostedInstance, double hostedPuts, double hostedHeadroom,
            String hostedInstanceName, double lambdaCompute, double lambdaRequests, double lambdaPuts, double lambdaHeadroom,
            double lambdaInvocationSeconds, double lambdaEventsPerInvocation) {

        double hostedTotal() {
            return hostedInstance + hostedPuts;
        }

        double lambdaTotal() {
            return lambdaCompute + lambdaRequests + lambdaPuts;
        }
    }

    Row at(double rate) {
        double month = MONTH_SECONDS;
        // The queue's requests, shared: a send per event, a receive and a delete per ten.
        double sqs = (rate + 2 * rate / 10) * month / 1e6 * prices.sqsPerMillionRequests();

        double cpuCores = rate * cpuSecondsPerEvent;
        // A t4g.small's baseline is 20% of its 2 vCPUs; past a quarter of that (the consumer also spends CPU on
        // the queue's HTTP calls, which the handler does not), a c7g.large.
        boolean large = cpuCores * 4 > hosted.smallInstanceVcpus() * 0.2;
        double vcpus = large ? hosted.largeInstanceVcpus() : hosted.smallInstanceVcpus() * 0.2;
        double instance = (large ? prices.largeInstancePerHour() : prices.smallInstancePerHour()) * 730;
        // A file per batch_max_events, or per batch_max_age when fewer arrive; the loader's move to archive/
        // is a copy, one more PUT-priced request.
        double hostedFiles = Math.max(rate / hosted.batchMaxEvents(), 1 / hosted.batchMaxAgeSeconds());
        double hostedPuts = 2 * hostedFiles * month / 1000 * prices.s3PerThousandPuts();

        // An invocation per full batch, or per batching window when fewer arrive; one file (one PUT) each.
        double invocations = Math.min(rate, Math.max(rate / lambda.batchSize(), 1 / lambda.batchingWindowSeconds()));
        double perInvocation = rate / invocations;
        double seconds = lambda.putSeconds() + perInvocation * cpuSecondsPerEvent / lambda.vcpus();
        double gbSeconds = invocations * Math.ceil(seconds * 1000) / 1000 * (lambda.memoryMb() / 1024.0) * month;
        double compute = gbSeconds * prices.lambdaPerGbSecond();
        double requests = invocations * month / 1e6 * prices.lambdaPerMillionRequests();
        double lambdaPuts = 2 * invocations * month / 1000 * prices.s3PerThousandPuts();
        double lambdaCapacity = lambda.maximumConcurrency() * lambda.batchSize()
                / (lambda.putSeconds() + lambda.batchSize() * cpuSecondsPerEvent / lambda.vcpus());
        return new Row(rate, sqs, instance, hostedPuts, vcpus / cpuCores, large ? "c7g.large" : "t4g.small", compute, requests,
                lambdaPuts, lambdaCapacity / rate, seconds, perInvocation);
    }

    /**
     * The table for the README: one row per rate, the hosted consumer against this model's function and
     * against {@code larger}, the same function fed larger batches.
     */
    void print(PrintWriter out, List<Double> rates, Lambda larger) {
        ConsumerCostModel big = new ConsumerCostModel(prices, cpuSecondsPerEvent, hosted, larger);
        out.println("hosted consumer vs Lambda: US$ a month in us-east-1 (public prices, not checked here); headroom = capacity / rate;");
        out.printf("latency = most time from the queue to the file store. Lambda A: BatchSize %d, window %.0f s (the template);%n",
                lambda.batchSize(), lambda.batchingWindowSeconds());
        out.printf("Lambda B: BatchSize %d, window %.0f s. SQS requests (a send per event, a receive and a delete per ten)"
                + " are the same for all.%n", larger.batchSize(), larger.batchingWindowSeconds());
        String row = "%-8s %10s | %-30s %8s %8s | %-22s %8s %8s | %-22s %8s %8s%n";
        out.printf(row, "events/s", "SQS", "hosted", "headroom", "latency", "Lambda A", "headroom", "latency", "Lambda B",
                "headroom", "latency");
        for (double rate : rates) {
            Row h = at(rate);
            Row b = big.at(rate);
            out.printf(row, String.format("%,.0f", rate), money(h.sharedSqs()),
                    money(h.hostedTotal()) + " (" + h.hostedInstanceName() + ")", times(h.hostedHeadroom()),
                    seconds(hosted.batchMaxAgeSeconds()), money(h.lambdaTotal()), times(h.lambdaHeadroom()),
                    seconds(lambda.batchingWindowSeconds() + h.lambdaInvocationSeconds()), money(b.lambdaTotal()),
                    times(b.lambdaHeadroom()), seconds(larger.batchingWindowSeconds() + b.lambdaInvocationSeconds()));
        }
        out.flush();
    }

    private static String times(double x) {
        return x >= 10 ? String.format("%,.0fx", x) : String.format("%.1fx", x);
    }

    private static String seconds(double s) {
        return String.format("%.1f s", s);
    }

    static String money(double dollars) {
        return dollars < 10 ? String.format("$%.2f", dollars) : String.format("$%,.0f", dollars);
    }
}
