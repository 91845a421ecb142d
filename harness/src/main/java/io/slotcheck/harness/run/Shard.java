package io.slotcheck.harness.run;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a campaign one CI job runs: shard {@code index} of {@code count} runs the sequences index,
 * index + count, index + 2 × count, ... of the same seeded campaign, so that the shards together run exactly its
 * sequences, each as the whole campaign would.
 */
public record Shard(int index, int count) {

    /** The whole campaign, on one machine. */
    public static final Shard WHOLE = new Shard(1, 1);

    private static final Pattern FORM = Pattern.compile("(\\d{1,4})/(\\d{1,4})");

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count);
        }
    }

    /** {@code I/N}, 1 ≤ I ≤ N; empty when {@code text} is not that. */
    public static Optional<Shard> parse(String text) {
        Matcher form = FORM.matcher(text);
        if (!form.matches()) {
            return Optional.empty();
        }
        int index = Integer.parseInt(form.group(1));
        int count = Integer.parseInt(form.group(2));
        return index >= 1 && count >= 1 && index <= count ? Optional.of(new Shard(index, count)) : Optional.empty();
    }

    /** Whether this shard runs the campaign's sequence {@code sequence} (counted from 1). */
    public boolean runs(int sequence) {
        return (sequence - 1) % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
