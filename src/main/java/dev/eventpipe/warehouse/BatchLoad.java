package dev.eventpipe.warehouse;

import java.util.List;

/**
 * What one load transaction committed.
 *
 * @param files   each file recorded in the ledger by this load
 * @param skipped files of the batch already in the ledger (loaded by another pass): only to be moved
 */
public record BatchLoad(List<FileLoad> files, List<String> skipped) {

    /**
     * One file's rows.
     *
     * @param duplicates rows skipped because their id was already loaded; null where the engine
     *                   cannot tell per file
     */
    public record FileLoad(String fileKey, long rows, Long duplicates) {
    }

    public long rows() {
        return files.stream().mapToLong(FileLoad::rows).sum();
    }

    /** Rows inserted, when every file's duplicates are known. */
    public long inserted() {
        return rows() - duplicates();
    }

    public long duplicates() {
        return files.stream().mapToLong(f -> f.duplicates() == null ? 0 : f.duplicates()).sum();
    }
}
