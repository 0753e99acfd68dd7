package io.panavec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.panavec.faiss.FactoryString;
import io.panavec.filter.Filter;

/** The text parsers: the filter language and the FAISS factory strings panavec lets through. */
class ParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void filter(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Filter f = Filter.parse(text);
            String printed = Filter.text(f); // parses, and prints back the same (BETWEEN prints as two ranges)
            if (!Filter.text(Filter.parse(printed)).equals(printed)) {
                throw new AssertionError("text form is not stable: " + text + " -> " + printed);
            }
        } catch (IllegalArgumentException e) { // FilterParseException among them
            // refused with a message
        }
    }

    @FuzzTest(maxDuration = "30s")
    void faissFactory(FuzzedDataProvider data) {
        int dim = data.consumeInt(1, 1024);
        String spec = data.consumeRemainingAsString();
        try {
            FactoryString.check(spec, dim);
        } catch (IllegalArgumentException e) {
            // refused with the supported list
        }
    }
}
