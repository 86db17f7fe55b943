package dev.nnc.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link SpinningCrew} that one caller at a time claims, started by the first claim
 * (a program that never claims it has no helper threads). A caller that finds it
 * claimed does its work alone rather than wait: prediction's helpers, which an
 * application may call on from many threads at once.
 */
public final class ClaimableCrew {
    private final int helpers;
    private final String name;
    private final AtomicBoolean claimed = new AtomicBoolean();
    /** Written only by a claimer; the claim's compare-and-set publishes it to the next. */
    private SpinningCrew crew;

    public ClaimableCrew(int helpers, String name) {
        this.helpers = helpers;
        this.name = name;
    }

    /** Claims the crew, or returns false when another caller has it; after true, {@link #release} it. */
    public boolean tryClaim() {
        return claimed.compareAndSet(false, true);
    }

    /** The claimed crew, started on the first call. */
    public SpinningCrew crew() {
        if (crew == null) crew = new SpinningCrew(helpers, name);
        return crew;
    }

    public void release() {
        claimed.set(false);
    }
}
