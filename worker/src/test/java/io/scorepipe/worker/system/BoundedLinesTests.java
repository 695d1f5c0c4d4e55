package io.scorepipe.worker.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedLinesTests {

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\n\n", "\r\n\r\n", "a\r\r\nb", "\uFEFFh\u00e9,x\n1,2"})
    void splitsLikeBufferedReader(String text) throws IOException {
        assertThat(lines(text, 1000)).isEqualTo(bufferedReaderLines(text));
    }

    @Test
    void splitsLikeBufferedReaderAcrossBufferBoundariesAndWithAnyLineBreaks() throws IOException {
        Random random = new Random(3);
        StringBuilder text = new StringBuilder();
        while (text.length() < 300_000) {
            text.append("x".repeat(random.nextInt(200))).append(new String[] {"\n", "\r\n", "\r", "", "é"}[random.nextInt(5)]);
        }
        assertThat(lines(text.toString(), 1_000_000)).isEqualTo(bufferedReaderLines(text.toString()));
    }

    @Test
    void aLongLineIsCutToTheLimitAndMeasuredWhole() throws IOException {
        try (BoundedLines lines = new BoundedLines(stream("short\n" + "y".repeat(100_000) + "\r\nlast"), 10)) {
            assertThat(lines.next()).isTrue();
            assertThat(lines.text()).isEqualTo("short");
            assertThat(lines.tooLong()).isFalse();
            assertThat(lines.next()).isTrue();
            assertThat(lines.text()).isEqualTo("yyyyyyyyyy");
            assertThat(lines.tooLong()).isTrue();
            assertThat(lines.length()).isEqualTo(100_000);
            assertThat(lines.next()).isTrue();
            assertThat(lines.text()).isEqualTo("last");
            assertThat(lines.next()).isFalse();
        }
    }

    @Test
    void aLineOfAGigabyteCostsOnlyTheLimit() throws IOException {
        // a gigabyte without a line break, never in memory: the reader must not hold it either
        long size = 1L << 30;
        InputStream endless = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'z' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                Arrays.fill(buffer, offset, offset + n, (byte) 'z');
                left -= n;
                return n;
            }
        };
        try (BoundedLines lines = new BoundedLines(endless, 65_536)) {
            assertThat(lines.next()).isTrue();
            assertThat(lines.tooLong()).isTrue();
            assertThat(lines.length()).isEqualTo(size);
            assertThat(lines.text()).hasSize(65_536);
            assertThat(lines.next()).isFalse();
        }
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() throws IOException {
        byte[] bytes = {'a', (byte) 0xff, 'b', '\n', (byte) 0xc3};
        try (BoundedLines lines = new BoundedLines(new ByteArrayInputStream(bytes), 100)) {
            assertThat(lines.next()).isTrue();
            assertThat(lines.text()).isEqualTo("a\uFFFDb");
            assertThat(lines.next()).isTrue();
            assertThat(lines.text()).isEqualTo("\uFFFD");
        }
    }

    private static List<String> lines(String text, int maxBytes) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BoundedLines reader = new BoundedLines(stream(text), maxBytes)) {
            while (reader.next()) {
                lines.add(reader.text());
            }
        }
        return lines;
    }

    private static List<String> bufferedReaderLines(String text) throws IOException {
        try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            return reader.lines().toList();
        }
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
