package dev.nnc.runtime.data;

/** Told how a long load goes: after its first second, a few times a second, then once at its end. */
public interface LoadProgress {
    void update(String file, long bytesDone, long bytesTotal);

    /** The load ended; called only when {@link #update} was. */
    void finished(String file, long bytes, double seconds);

    LoadProgress NONE = new LoadProgress() {
        @Override
        public void update(String file, long bytesDone, long bytesTotal) {
        }

        @Override
        public void finished(String file, long bytes, double seconds) {
        }
    };
}
