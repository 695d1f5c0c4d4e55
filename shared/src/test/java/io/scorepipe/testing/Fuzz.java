package io.scorepipe.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Random and adversarial inputs for the fuzz tests, all drawn from one seed, and the findings of a
 * run. The seed is new each run, so that every run tries other inputs, and is part of every
 * failure message: {@code -Dscorepipe.fuzz.seed=<seed>} replays that run's inputs exactly.
 *
 * <p>Why not jqwik: its releases from 1.10 on print, on every engine run, a line addressed to AI
 * coding agents telling them to disregard their instructions, and their user guide asks that no
 * AI agent use the library; this project is developed with such agents and reads its build logs.
 * It is also built on JUnit Platform 1.x, while this project runs JUnit 6. The generators here are
 * small, run as plain JUnit Jupiter tests (so Spring's test context works as everywhere else), and
 * shrinking matters little when a finding carries its exact input.
 *
 * <p>Not thread-safe: one per test thread.
 */
public final class Fuzz {

    /** Spellings of numbers that are not finite, or not JSON numbers, bare or quoted. */
    public static final List<String> NON_NUMBERS = List.of("NaN", "nan", "-NaN", "Infinity", "-Infinity", "+Infinity",
            "INF", "-INF", "inf", "1e999", "-1e999", "1e400", "0x10", "1_000", ".5", "5.", "01", "+1", "--1", "1e", "e5",
            "1.2.3", "0.0.0", "١", "1,5");

    private static final String INTERESTING = "\u0000\u0001\u001f\u007f\u0085\u00a0\u00ff\u200b\u2028\u2029\ufeff\ufffd"
            + "\"\\/,;'`\t\r\n {}[]:-+.eE0123456789";

    private final long seed;
    private final SplittableRandom random;
    private final List<String> findings = new ArrayList<>();
    private int tries;

    private Fuzz(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** A fuzzer seeded from {@code -Dscorepipe.fuzz.seed}, or afresh. */
    public static Fuzz seeded() {
        String given = System.getProperty("scorepipe.fuzz.seed");
        Fuzz fuzz = new Fuzz(given != null && !given.isBlank() ? Long.parseLong(given.strip()) : System.nanoTime());
        // printed up front, so that a run which fails outside the checks (a timeout, say) can be replayed too
        System.out.println("fuzz seed " + fuzz.seed + " (replay with -Dscorepipe.fuzz.seed=" + fuzz.seed + ")");
        return fuzz;
    }

    public long seed() {
        return seed;
    }

    /**
     * Runs {@code body} {@code count} times; an assertion failure in one try is recorded as a finding
     * and the next try runs, so that one run reports every kind of failure it met.
     */
    public void tries(int count, IntConsumer body) {
        for (int i = 0; i < count; i++) {
            tries++;
            try {
                body.accept(i);
            }
            catch (AssertionError | RuntimeException ex) {
                finding("try " + i + ": " + (ex instanceof AssertionError ? "" : ex.getClass().getSimpleName() + ": ")
                        + ex.getMessage());
            }
        }
    }

    /** Runs one check; its assertion failure is recorded as a finding and the run goes on. */
    public void check(Runnable assertion) {
        tries++;
        try {
            assertion.run();
        }
        catch (AssertionError | RuntimeException ex) {
            finding((ex instanceof AssertionError ? "" : ex.getClass().getSimpleName() + ": ") + ex.getMessage());
        }
    }

    /** Records what went wrong, for {@link #report()}. */
    public void finding(String what) {
        if (findings.size() < 30) {
            findings.add(what);
        }
    }

    public List<String> findings() {
        return List.copyOf(findings);
    }

    /** The findings for an assertion message, with the seed that replays them. */
    public String report() {
        return findings.size() + " finding(s) in " + tries + " tries; replay with -Dscorepipe.fuzz.seed=" + seed + "\n"
                + String.join("\n", findings.stream().map(f -> f.length() <= 2000 ? f : f.substring(0, 2000) + "...").toList());
    }

    /** Fails with {@link #report()} when any try found something. */
    public void assertNoFindings() {
        if (!findings.isEmpty()) {
            throw new AssertionError(report());
        }
    }

    public int between(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    @SafeVarargs
    public final <T> T oneOf(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    public <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Random bytes, of any value. */
    public byte[] bytes(int maxLength) {
        byte[] bytes = new byte[between(0, maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Text that goes wrong in many ways: control characters, NUL, quotes, separators, line breaks,
     * byte-order marks, unpaired surrogates, characters outside the BMP.
     */
    public String text(int maxLength) {
        int length = between(0, maxLength);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            switch (random.nextInt(6)) {
                case 0 -> text.append(INTERESTING.charAt(random.nextInt(INTERESTING.length())));
                case 1 -> text.append((char) random.nextInt(0xD800, 0xE000)); // a lone surrogate
                case 2 -> text.appendCodePoint(random.nextInt(0x10000, 0x110000));
                case 3 -> text.append((char) random.nextInt(0x80, 0xD800));
                default -> text.append((char) random.nextInt(0x20, 0x7F));
            }
        }
        return text.toString();
    }

    /** A JSON string literal of {@link #text}, escaped so that it is valid JSON (lone surrogates included). */
    public String jsonString(int maxLength) {
        return quote(text(maxLength));
    }

    /** A JSON number, often an awkward one: huge, tiny, long, negative zero, exponent forms. */
    public String jsonNumber() {
        return switch (random.nextInt(10)) {
            case 0 -> "9".repeat(between(300, 999));
            case 1 -> "-0";
            case 2 -> "1e" + between(300, 400);
            case 3 -> "-1e-" + between(300, 400);
            case 4 -> "0." + "0".repeat(between(1, 500)) + "1";
            case 5 -> Double.toString(Double.MAX_VALUE);
            case 6 -> Long.toString(random.nextLong());
            default -> Double.toString(random.nextDouble(-1, 1));
        };
    }

    /** A JSON value of any type, nested up to {@code depth}. */
    public String jsonValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 6);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> jsonString(20);
            case 3 -> quote(oneOf(NON_NUMBERS));
            case 4, 5 -> jsonNumber();
            case 6 -> jsonArray(between(0, 4), depth - 1);
            default -> {
                StringBuilder object = new StringBuilder("{");
                int fields = between(0, 3);
                for (int i = 0; i < fields; i++) {
                    object.append(i == 0 ? "" : ",").append(jsonString(8)).append(':').append(jsonValue(depth - 1));
                }
                yield object.append('}').toString();
            }
        };
    }

    /** A JSON array of {@code length} random values. */
    public String jsonArray(int length, int depth) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < length; i++) {
            array.append(i == 0 ? "" : ",").append(jsonValue(depth));
        }
        return array.append(']').toString();
    }

    /** Breaks {@code text} in one of the ways text breaks in transit or by hand. */
    public String mutate(String text) {
        if (text.isEmpty()) {
            return text(10);
        }
        int at = random.nextInt(text.length());
        return switch (random.nextInt(7)) {
            case 0 -> text.substring(0, at); // truncated
            case 1 -> text + text(20); // trailing garbage
            case 2 -> text.substring(0, at) + text(8) + text.substring(at); // garbage inside
            case 3 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + between(1, 10))); // a piece lost
            case 4 -> text.substring(0, at) + text.substring(at, Math.min(text.length(), at + 10)).repeat(2)
                    + text.substring(Math.min(text.length(), at + 10)); // a piece doubled
            case 5 -> text.substring(0, at) + INTERESTING.charAt(random.nextInt(INTERESTING.length())) + text.substring(at + 1);
            default -> new StringBuilder(text).reverse().toString();
        };
    }

    /** Flips bits in a copy of {@code bytes}: what a broken encoder or a bad cable does. */
    public byte[] corrupt(byte[] bytes) {
        byte[] copy = bytes.clone();
        int flips = between(1, Math.max(1, copy.length / 20));
        for (int i = 0; i < flips && copy.length > 0; i++) {
            copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    /** A JSON string literal for {@code text}, every character outside printable ASCII escaped. */
    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20 || c > 0x7e) {
                quoted.append(String.format("\\u%04x", (int) c));
            }
            else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /** {@code text} for a message: control characters visible, long text cut. */
    public static String shown(String text) {
        String visible = quote(text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text);
        return visible.substring(1, visible.length() - 1);
    }

    /** {@code bytes} for a message, as text where they are UTF-8 and cut when long. */
    public static String shown(byte[] bytes) {
        return shown(new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8))
                + (bytes.length > 300 ? "...(" + bytes.length + " bytes)" : "");
    }
}
