package dev.agentgateway.core.loop;

/**
 * When a stream's output counts as degenerate: it ends in one block of text repeated {@code repeats}
 * times in a row ("I apologise. I apologise. I apologise. …"). The stream is cut the moment its
 * output does, with a {@link LoopDetectedException} of pattern {@link LoopPattern#REPEATED_STREAM_OUTPUT}.
 * A block is between {@code minBlockLength} and {@code maxBlockLength} characters long; any run of
 * one character that is at least {@code minBlockLength × repeats} long counts too (it repeats every
 * block of its own characters), so keep the product above the longest rule line or table border the
 * agent's answers may contain.
 *
 * @param minBlockLength shortest repeated block, in characters (default 8)
 * @param maxBlockLength longest repeated block looked for, in characters (default 400)
 * @param repeats        consecutive copies of the block that cut the stream (default 8)
 */
public record StreamRepetitionRule(int minBlockLength, int maxBlockLength, int repeats) {

    public static final int DEFAULT_MIN_BLOCK_LENGTH = 8;
    public static final int DEFAULT_MAX_BLOCK_LENGTH = 400;
    public static final int DEFAULT_REPEATS = 8;

    public StreamRepetitionRule {
        if (minBlockLength < 1) {
            throw new IllegalArgumentException("minBlockLength must be at least 1, was " + minBlockLength);
        }
        if (maxBlockLength < minBlockLength) {
            throw new IllegalArgumentException("maxBlockLength must be at least minBlockLength (" + minBlockLength
                    + "), was " + maxBlockLength);
        }
        if (repeats < 2) {
            throw new IllegalArgumentException("repeats must be at least 2, was " + repeats);
        }
    }

    public static StreamRepetitionRule defaults() {
        return new StreamRepetitionRule(DEFAULT_MIN_BLOCK_LENGTH, DEFAULT_MAX_BLOCK_LENGTH, DEFAULT_REPEATS);
    }

    /**
     * The length of the block {@code text} ends repeating, or 0 when it does not: the shortest
     * block length {@code p} in range whose last {@code p × repeats} characters repeat with period
     * {@code p}. Most lengths fail at their first comparison, so a check costs about
     * {@code maxBlockLength - minBlockLength} character comparisons on text that does not repeat.
     */
    public int repeatedBlockAtEnd(CharSequence text) {
        int length = text.length();
        int longest = Math.min(maxBlockLength, length / repeats);
        for (int block = minBlockLength; block <= longest; block++) {
            if (endsPeriodic(text, length, block)) {
                return block;
            }
        }
        return 0;
    }

    /** Whether the last {@code block × repeats} characters have period {@code block}. */
    private boolean endsPeriodic(CharSequence text, int length, int block) {
        int from = length - block * (repeats - 1);
        for (int i = length - 1; i >= from; i--) {
            if (text.charAt(i) != text.charAt(i - block)) {
                return false;
            }
        }
        return true;
    }
}
