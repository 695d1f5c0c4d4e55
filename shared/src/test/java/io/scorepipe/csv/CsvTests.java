package io.scorepipe.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class CsvTests {

    @Test
    void fieldsAreSplitOnCommasOutsideQuotes() {
        assertThat(Csv.split("a,\"b,c\",,d")).containsExactly("a", "b,c", "", "d");
        assertThat(Csv.split("")).containsExactly("");
        assertThat(Csv.split("x,")).containsExactly("x", "");
    }

    @Test
    void linesWithoutQuotesSplitAsTheQuotedPathWould() {
        for (String line : new String[] {"", ",", "a", "a,", ",a", "a,,b", " 1.5 , -2e-3,x y ,", "r1,0.1,0.2,0.3"}) {
            // the same line with one field quoted takes the general path; the fields must not differ
            String quoted = "\"q\"," + line;
            assertThat(Csv.split(line)).as(line).isEqualTo(Csv.split(quoted).subList(1, Csv.split(quoted).size()));
        }
        assertThat(Csv.split("a,,b")).containsExactly("a", "", "b");
        assertThat(Csv.split("a,")).containsExactly("a", "");
    }

    @Test
    void twoQuotesInsideQuotesAreOne() {
        assertThat(Csv.split("\"say \"\"hi\"\"\",2")).containsExactly("say \"hi\"", "2");
    }

    @Test
    void brokenQuotingIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Csv.split("\"open,1"));
        assertThatIllegalArgumentException().isThrownBy(() -> Csv.split("a\"b,1"));
    }

    @Test
    void quotingRoundTripsWhatSplittingReads() {
        for (String field : new String[] {"plain", "with,comma", "with \"quotes\"", "", " padded "}) {
            assertThat(Csv.split(Csv.quote(field) + ",next")).containsExactly(field, "next");
        }
    }
}
