package dev.eventpipe.cli;

import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on the terminal for long batch work; nothing at all when output is not a terminal. */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private final Thread updater;

    private Progress(ProgressBar bar, Thread updater) {
        this.bar = bar;
        this.updater = updater;
    }

    /** Shows {@code done} out of {@code total} until closed. */
    static Progress start(String task, long total, String unit, LongSupplier done) {
        if (System.console() == null || total <= 0) {
            return new Progress(null, null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" " + unit, 1)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                bar.stepTo(Math.min(total, done.getAsLong()));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "progress");
        t.setDaemon(true);
        t.start();
        return new Progress(bar, t);
    }

    /** Moves the bar to its final value before it closes. */
    void finish(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            updater.interrupt();
            bar.close();
        }
    }
}
